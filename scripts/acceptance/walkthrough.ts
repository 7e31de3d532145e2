/**
 * An outside script, using only the documented HTTP API and WeChat's push
 * protocol (safe mode, with Tencent's @wecom/crypto playing WeChat):
 *
 *   1. creates a school, scoped tokens, a student with a guardian phone and an application;
 *   2. binds as that guardian over WeChat and reads the status reply;
 *   3. walks the application through every stage (school → township → county →
 *      公示 list → close → payment CSV), reading the status reply at each one;
 *   4. checks that wrong binding attempts lock out and that a school token cannot
 *      read or change another school's student.
 *
 *   BASE_URL=http://localhost:3000 ADMIN_TOKEN=… npx tsx scripts/acceptance/walkthrough.ts
 * (WECHAT_TOKEN / WECHAT_APP_ID / WECHAT_AES_KEY default to the dev values `npm run dev` prints.)
 */
import { randomBytes } from "node:crypto";
import * as wecom from "@wecom/crypto";

export interface WalkthroughOptions {
  baseUrl: string;
  adminToken: string;
  tenant: string;
  wechat: { token: string; appId: string; aesKey: string };
  log?: (line: string) => void;
}

export interface WalkthroughResult {
  statusReplies: { stage: string; reply: string }[];
  lockoutReply: string;
  crossSchoolStatus: number[];
}

const cdata = (s: string) => `<![CDATA[${s}]]>`;
const field = (xml: string, name: string) => {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2] ?? "") : undefined;
};

export async function runWalkthrough(o: WalkthroughOptions): Promise<WalkthroughResult> {
  const log = o.log ?? (() => undefined);
  const api = async (method: string, path: string, token: string, body?: unknown, type = "application/json") => {
    const res = await fetch(o.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": type }) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as any;
    return { status: res.status, json };
  };
  const must = async (method: string, path: string, token: string, body?: unknown, type?: string) => {
    const r = await api(method, path, token, body, type);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };

  let msgId = BigInt(Date.now()) * 1000n;
  const wechat = async (openId: string, text: string): Promise<string> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(100000 + Math.floor(Math.random() * 899999));
    const inner = `<xml><ToUserName>${cdata("gh_acceptance")}</ToUserName><FromUserName>${cdata(openId)}</FromUserName><CreateTime>${timestamp}</CreateTime><MsgType>${cdata("text")}</MsgType><Content>${cdata(text)}</Content><MsgId>${String(msgId++)}</MsgId></xml>`;
    const encrypt = wecom.encrypt(o.wechat.aesKey, inner, o.wechat.appId);
    const signature = wecom.getSignature(o.wechat.token, timestamp, nonce, "");
    const msgSignature = wecom.getSignature(o.wechat.token, timestamp, nonce, encrypt);
    const qs = new URLSearchParams({
      signature,
      timestamp,
      nonce,
      openid: openId,
      encrypt_type: "aes",
      msg_signature: msgSignature,
    });
    const res = await fetch(`${o.baseUrl}/wechat/${o.tenant}?${qs}`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: `<xml><ToUserName>${cdata("gh_acceptance")}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`,
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`WeChat push → ${res.status} ${body}`);
    if (body === "success" || body === "") return "";
    const enc = field(body, "Encrypt")!;
    const sig = field(body, "MsgSignature")!;
    if (wecom.getSignature(o.wechat.token, field(body, "TimeStamp")!, field(body, "Nonce")!, enc) !== sig)
      throw new Error("reply signature is wrong");
    const opened = wecom.decrypt(o.wechat.aesKey, enc);
    if (opened.id !== o.wechat.appId) throw new Error("reply appid is wrong");
    return field(opened.message, "Content") ?? "";
  };

  const tag = randomBytes(3).toString("hex");
  const township = `验收镇${tag}`;
  const schoolId = `acc-${tag}`;
  const otherSchoolId = `acc-${tag}-b`;
  await must("POST", "/api/schools", o.adminToken, { id: schoolId, name: `验收小学${tag}`, kind: "primary", township });
  await must("POST", "/api/schools", o.adminToken, {
    id: otherSchoolId,
    name: `邻校小学${tag}`,
    kind: "primary",
    township: `别的镇${tag}`,
  });
  const schoolToken = (
    await must("POST", "/api/tokens", o.adminToken, { role: "school", schoolId, label: "验收学校资助专干" })
  ).token as string;
  const townshipToken = (
    await must("POST", "/api/tokens", o.adminToken, { role: "township", township, label: "验收中心校" })
  ).token as string;
  const otherSchoolToken = (
    await must("POST", "/api/tokens", o.adminToken, { role: "school", schoolId: otherSchoolId, label: "邻校" })
  ).token as string;
  log("school, tokens: ok");

  const studentNo = `G${String(Date.now()).slice(-9)}${randomBytes(4).readUInt32BE() % 1_000_000_000}`
    .padEnd(19, "7")
    .slice(0, 19);
  const phone = `1380000${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const imported = await must("POST", "/api/students", schoolToken, {
    students: [
      {
        name: "验收明",
        studentNo,
        school: schoolId,
        grade: "4",
        class: "1",
        guardians: [{ name: "验收大山", relation: "父亲", phone }],
      },
    ],
  });
  const studentId = imported.rows[0].studentId as string;
  const app = (
    await must("POST", "/api/applications", schoolToken, {
      studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: "625",
    })
  ).application;
  log(`student ${studentId}, application ${app.id}: ok`);

  const guardian = `o_acc_${tag}`;
  const bindReply = await wechat(guardian, `绑定 验收明 ${studentNo} ${phone.slice(-4)}`);
  if (!bindReply.includes("验*明")) throw new Error(`binding did not confirm with the masked name: ${bindReply}`);
  log("bound over WeChat safe mode: ok");

  const statusReplies: { stage: string; reply: string }[] = [];
  const status = async (stage: string) => {
    const reply = await wechat(guardian, "查进度");
    statusReplies.push({ stage, reply });
    log(`status at ${stage}: ${reply.split("\n")[0]}`);
  };
  await status("submitted");
  await must("POST", `/api/applications/${app.id}/approve`, schoolToken, { from: "submitted" });
  await status("school_approved");
  await must("POST", `/api/applications/${app.id}/approve`, townshipToken, { from: "school_approved" });
  await status("township_approved");
  await must("POST", `/api/applications/${app.id}/approve`, o.adminToken, { from: "township_approved" });
  await status("county_approved");
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const list = await must("POST", "/api/lists", o.adminToken, {
    programme: "compulsory_living",
    term: "2025-autumn",
    scope: { kind: "school", schoolId },
    applicationIds: [app.id],
    publicity: { start: day(-6), end: day(-1) },
    objectionContact: "县学生资助管理中心 0000-6612345",
  });
  await status("publicizing");
  await must("POST", `/api/lists/${list.list.id}/close`, o.adminToken, {});
  await status("approved");
  const csv = `batch_id,student_no,programme,term,amount,paid_date,account_last4\nACC-${tag},${studentNo},compulsory_living,2025-autumn,625,${day(0)},4321\n`;
  await must("POST", "/api/payments", o.adminToken, csv, "text/csv");
  await status("paid");

  const stranger = `o_guess_${tag}`;
  let lockoutReply = "";
  for (let i = 0; i < 6; i++) lockoutReply = await wechat(stranger, `绑定 验收明 ${studentNo} ${String(1000 + i)}`);
  log(`after 6 wrong attempts: ${lockoutReply.split("\n")[0]}`);

  const crossSchoolStatus = [
    (await api("GET", `/api/students/${studentId}`, otherSchoolToken)).status,
    (
      await api("POST", "/api/applications", otherSchoolToken, {
        studentId,
        programme: "compulsory_living",
        term: "2026-spring",
        amount: "625",
      })
    ).status,
    (
      await api("POST", `/api/applications/${app.id}/reject`, otherSchoolToken, {
        from: "county_approved",
        reason: "越权测试",
      })
    ).status,
    (await api("GET", `/api/applications/${app.id}`, otherSchoolToken)).status,
  ];
  log(`another school's token: ${crossSchoolStatus.join(", ")}`);
  return { statusReplies, lockoutReply, crossSchoolStatus };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/scripts\//, "scripts/"));
if (isMain) {
  const result = await runWalkthrough({
    baseUrl: process.env.BASE_URL ?? "http://localhost:3000",
    adminToken: process.env.ADMIN_TOKEN ?? "",
    tenant: process.env.TENANT ?? "demo",
    wechat: {
      token: process.env.WECHAT_TOKEN ?? "zizhu-dev-token",
      appId: process.env.WECHAT_APP_ID ?? "wx0000000000000dev",
      aesKey: process.env.WECHAT_AES_KEY ?? "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    },
    log: (l) => console.log(l),
  });
  console.log(JSON.stringify({ stages: result.statusReplies.length, crossSchoolStatus: result.crossSchoolStatus }));
}
