/**
 * GET / — the web chat page: one self-contained HTML document (inline CSS and JS, no CDN, no fonts to fetch),
 * sized for a cheap phone and a grandparent's eyes: 20 px text, big buttons, one column. Words come from
 * prompts/channels.ts. The inline code runs under a per-response CSP nonce; answers are inserted as text, never
 * as HTML.
 *
 * `?tenant=<id>` picks the county (default: the demo tenant). The session id the server issues is kept in
 * localStorage and sent back with each message; the conversation shown is kept there too (the last 80 bubbles; long
 * numbers the parent typed — 学籍号, phones — stored as 13****21), so a reload shows it again. While the page is open it asks POST /chat/:tenant/inbox every 12 seconds (and when it
 * regains focus) for what waits for the session — a person's reply, a school notice — and shows each item once.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { channelText, policyTopics } from "../../../prompts/channels.js";
import { TENANT_ID } from "../../../core/ids.js";

const DEFAULT_TENANT = "demo";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe to place inside <script>. */
const jsonForScript = (v: unknown) =>
  JSON.stringify(v)
    .replace(/</g, "\\u003c")
    .replace(/\u2028|\u2029/g, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029"));

const CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:20px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#eef1f4;color:#1a1a1a;display:flex;flex-direction:column;-webkit-text-size-adjust:100%}
header{background:#1f6f43;color:#fff;padding:10px 16px}
header h1{margin:0;font-size:24px;line-height:1.3}
header p{margin:2px 0 0;font-size:16px;opacity:.9}
#log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px}
.msg{max-width:88%;padding:10px 14px;border-radius:14px;white-space:pre-wrap;word-break:break-word}
.bot{align-self:flex-start;background:#fff;border:1px solid #d5dbe1}
.me{align-self:flex-end;background:#c8f0c0}
.notice{align-self:stretch;max-width:100%;background:#fff7d6;border:2px solid #e0b400}
.notice b{display:block;font-size:18px;color:#7a5b00}
.source{display:block;margin-top:6px;font-size:16px;color:#555;border-top:1px dashed #ccd;padding-top:4px}
.wait{color:#666;font-style:italic}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
button{font:inherit;cursor:pointer;border-radius:12px;border:2px solid #1f6f43;background:#fff;color:#1f6f43;min-height:52px;padding:6px 12px}
button:active{background:#e3f3e8}
button:disabled{opacity:.5}
#quick{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;padding:8px 12px;background:#fff;border-top:1px solid #d5dbe1}
#quick button{font-size:21px;font-weight:600;padding:6px 2px}
form{display:flex;gap:8px;padding:8px 12px 10px;background:#fff}
#text{flex:1;min-width:0;font:inherit;padding:10px 12px;border:2px solid #9aa5b1;border-radius:12px;min-height:52px}
#text:focus{outline:3px solid #7cc49a;border-color:#1f6f43}
#send{background:#1f6f43;color:#fff;font-weight:600;min-width:84px}
.sr{position:absolute;left:-9999px}
footer{font-size:15px;color:#666;text-align:center;padding:0 12px 8px;background:#fff}
`;

function script(nonce: string, tenant: string): string {
  const t = channelText.page;
  const boot = {
    tenant,
    text: {
      greeting: t.greeting,
      sending: t.sending,
      error: t.error,
      notice: t.notice,
      reply: t.reply,
      policyPrompt: t.policyPrompt,
    },
    topics: policyTopics,
  };
  return `<script nonce="${nonce}">
(function(){
var BOOT=${jsonForScript(boot)};
var KEY="zizhu.session."+BOOT.tenant,LOG="zizhu.log."+BOOT.tenant,KEEP=80,EVERY=12000;
var log=document.getElementById("log"),form=document.getElementById("chat"),input=document.getElementById("text"),send=document.getElementById("send");
var busy=false,looking=false,lastLook=0,quietUntil=0;
function session(){try{return localStorage.getItem(KEY)||undefined}catch(e){return undefined}}
function keep(s){try{localStorage.setItem(KEY,s)}catch(e){}}
function history(){try{var h=JSON.parse(localStorage.getItem(LOG)||"[]");return Array.isArray(h)?h:[]}catch(e){return[]}}
function hide(t){return String(t).replace(/[A-Za-z]?\\d[\\dXx]{5,}/g,function(m){return m.slice(0,2)+"****"+m.slice(-2)})}
function remember(entry){try{if(entry.c==="me")entry.t=hide(entry.t);var h=history();h.push(entry);localStorage.setItem(LOG,JSON.stringify(h.slice(-KEEP)))}catch(e){}}
function seen(id){return history().some(function(e){return e.id===id})}
function bubble(cls){var d=document.createElement("div");d.className="msg "+cls;log.appendChild(d);return d}
function scroll(){log.scrollTop=log.scrollHeight}
function botText(text){
  var d=bubble("bot");
  text.split("\\n").forEach(function(line,i){
    if(/^来源：/.test(line)){var s=document.createElement("span");s.className="source";s.textContent=line;d.appendChild(s);return}
    if(i>0&&d.lastChild&&d.lastChild.className!=="source")d.appendChild(document.createTextNode("\\n"));
    d.appendChild(document.createTextNode(line));
  });
  scroll();return d;
}
function meText(text){bubble("me").textContent=text;scroll()}
function noticeBox(n){var d=bubble("notice");var b=document.createElement("b");b.textContent=n.kind==="reply"?BOOT.text.reply:BOOT.text.notice;d.appendChild(b);d.appendChild(document.createTextNode(n.text));scroll()}
function notice(n){if(n.id&&seen(n.id))return;noticeBox(n);remember({c:"notice",t:n.text,k:n.kind,id:n.id})}
function say(text){botText(text);remember({c:"bot",t:text})}
function look(){
  var s=session(),now=Date.now();
  if(!s||looking||busy||document.hidden||now<quietUntil||now-lastLook<3000)return;
  looking=true;lastLook=now;
  fetch("/chat/"+encodeURIComponent(BOOT.tenant)+"/inbox",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({session:s})})
    .then(function(r){
      if(r.status===429){quietUntil=Date.now()+1000*(parseInt(r.headers.get("retry-after")||"60",10)||60);return null}
      return r.ok?r.json():null;
    })
    .then(function(res){if(res)(res.inbox||[]).forEach(notice)})
    .catch(function(){})
    .then(function(){looking=false});
}
function ask(text){
  text=(text||"").trim();
  if(!text||busy)return;
  busy=true;send.disabled=true;
  meText(text);remember({c:"me",t:text});
  var wait=bubble("bot wait");wait.textContent=BOOT.text.sending;scroll();
  fetch("/chat/"+encodeURIComponent(BOOT.tenant),{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({text:text,session:session()})})
    .then(function(r){if(!r.ok)throw new Error("HTTP "+r.status);return r.json()})
    .then(function(res){
      wait.remove();
      if(res.session)keep(res.session);
      (res.inbox||[]).forEach(notice);
      (res.replies||[]).forEach(function(r){say(r.text)});
    })
    .catch(function(){wait.remove();bubble("bot").textContent=BOOT.text.error;scroll()})
    .then(function(){busy=false;send.disabled=false});
}
function policyChooser(){
  var d=botText(BOOT.text.policyPrompt);
  var c=document.createElement("div");c.className="chips";
  BOOT.topics.forEach(function(t){var b=document.createElement("button");b.type="button";b.textContent=t.label;b.addEventListener("click",function(){ask(t.question)});c.appendChild(b)});
  d.appendChild(c);scroll();
}
form.addEventListener("submit",function(e){e.preventDefault();var t=input.value;input.value="";ask(t)});
Array.prototype.forEach.call(document.querySelectorAll("#quick button"),function(b){
  b.addEventListener("click",function(){var t=b.getAttribute("data-text");if(t)ask(t);else policyChooser()});
});
var past=history();
if(past.length){past.forEach(function(e){if(e.c==="me")meText(e.t);else if(e.c==="notice")noticeBox({text:e.t,kind:e.k});else botText(e.t)})}
else say(BOOT.text.greeting);
setInterval(look,EVERY);
window.addEventListener("focus",look);
document.addEventListener("visibilitychange",look);
look();
})();
</script>`;
}

export function renderChatPage(tenant: string, nonce: string): string {
  const t = channelText.page;
  const quick = t.quick
    .map((q) => `<button type="button" data-text="${esc(q.text)}">${esc(q.label)}</button>`)
    .join("");
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(t.title)}</title>
<style nonce="${nonce}">${CSS}</style>
</head>
<body>
<header><h1>${esc(t.heading)}</h1><p>${esc(t.subheading)}</p></header>
<main id="log" aria-live="polite"></main>
<nav id="quick" aria-label="常用">${quick}</nav>
<form id="chat" autocomplete="off">
<label for="text" class="sr">${esc(t.placeholder)}</label>
<input id="text" name="text" type="text" maxlength="500" placeholder="${esc(t.placeholder)}" enterkeyhint="send">
<button id="send" type="submit">${esc(t.send)}</button>
</form>
<footer>${esc(t.footer)}</footer>
${script(nonce, tenant)}
</body>
</html>`;
}

export const pageRoutes = new Hono().get("/", (c) => {
  const requested = c.req.query("tenant");
  const tenant = requested && TENANT_ID.test(requested) ? requested : DEFAULT_TENANT;
  const nonce = randomBytes(16).toString("base64");
  c.header(
    "content-security-policy",
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  c.header("x-content-type-options", "nosniff");
  c.header("referrer-policy", "no-referrer");
  c.header("cache-control", "no-store");
  return c.html(renderChatPage(tenant, nonce));
});
