/**
 * A WeChat push whose bytes are not UTF-8 (plain mode: the XML arrives as sent) is refused with 400 invalid_utf8
 * before anything reads it — never handed on as U+FFFD — and the next good push is answered as usual.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { resetConfig } from "../../../core/config.js";
import { buildApp } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";
import { randomOpenId, wechatPeer } from "../../core/channels/wechat/peer.js";

const TOKEN = "zizhuUtf8Token";
const APPID = "wx5c2769f8efd9abc9";
const peer = wechatPeer({ token: TOKEN, appId: APPID, mode: "plain" });
let tenant: string;
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  Object.assign(process.env, { WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APPID });
  delete process.env.WECHAT_AES_KEY;
  resetConfig();
  app = buildApp();
  tenant = (await createTenant()).id;
});

async function post(url: string, body: Uint8Array | string) {
  const res = await app.request(url, { method: "POST", body, headers: { "content-type": "text/xml" } });
  return { status: res.status, text: await res.text() };
}

describe("WeChat pushes that are not UTF-8", () => {
  it("refuses a signed push with a broken character with 400 invalid_utf8, and answers the next good one", async () => {
    const openId = randomOpenId();
    const push = peer.push(`/wechat/${tenant}`, peer.text(openId, "助学金怎么申请"));
    const bytes = Buffer.from(push.body, "utf8");
    const at = bytes.indexOf(Buffer.from("助"));
    bytes[at + 1] = 0xff; // the middle byte of 助: a sequence no UTF-8 decoder may accept
    const broken = await post(push.url, new Uint8Array(bytes));
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).error).toMatchObject({ code: "invalid_utf8" });
    expect(broken.text).not.toContain("\uFFFD");

    // A lone continuation byte and a truncated sequence at the end are refused the same way.
    const tail = peer.push(`/wechat/${tenant}`, peer.text(openId, "补助"));
    const cut = Buffer.from(tail.body, "utf8");
    expect((await post(tail.url, new Uint8Array([...cut, 0xe5, 0x8a]))).status).toBe(400);
    expect((await post(tail.url, new Uint8Array([0x80, ...cut]))).status).toBe(400);

    const good = peer.push(`/wechat/${tenant}`, peer.text(openId, "助学金怎么申请"));
    const ok = await post(good.url, good.body);
    expect(ok.status).toBe(200);
    const reply = peer.openReply(ok.text);
    expect(reply.kind).toBe("text");
    if (reply.kind === "text") expect(reply.content).toMatch(/助学金|资助/);
  }, 60_000);
});
