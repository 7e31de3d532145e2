/**
 * Each county on its own WeChat Official Account, end to end over HTTP: two counties enter different AppID /
 * AppSecret / Token / EncodingAESKey in the console; a push signed for one county is accepted at its URL and
 * refused at the other's; a notice to a family of county B goes out with a token got by B's AppID (the fake WeChat
 * API refuses another account's token for B's followers); changing B's credentials in the console takes effect at
 * once in this process and within 30 s in any other; no secret is ever logged.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetConfig } from "../../../core/config.js";
import { freePort } from "../../../core/local/stack.js";
import { logSink } from "../../../core/log.js";
import { clearCache } from "../../../core/notifications/cache.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { ensureAdminToken } from "../../../core/staff/index.js";
import { saveCredentials } from "../../../core/tenants/wechat-credentials.js";
import { app } from "../../../functions/http/app.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { FAKE_WECHAT_PATHS, startFakeWechatApi, type FakeWechatApi } from "../../fakes/wechat-api.js";
import { createTenant, isolatedQueues } from "../../support/stack.js";
import { randomOpenId, wechatPeer, type WechatPeer } from "../../core/channels/wechat/peer.js";
import { api, settled } from "../queues/support.js";

/** The deployment's own account (WECHAT_*): what a county without saved credentials uses. */
const DEPLOYMENT = { appId: "wxdep0000000000001", secret: "deploymentsecret0000000000000001", token: "deployToken" };
const A = {
  appId: "wxaaaa000000000001",
  appSecret: "aaaasecret0000000000000000000001",
  token: "countyAtoken",
  aesKey: "AAAAbcdefghijklmnopqrstuvwxyz0123456789ABCD",
};
const B = {
  appId: "wxbbbb000000000002",
  appSecret: "bbbbsecret0000000000000000000002",
  token: "countyBtoken",
  aesKey: "BBBBbcdefghijklmnopqrstuvwxyz0123456789WXYZ",
};
const B_NEW = { appSecret: "bbbbsecretRESET00000000000000003", token: "countyBtoken2" };
const TEMPLATES = { publicity: "tpl_pub", payment: "tpl_pay", broadcast: "tpl_bc" };
const KID = { name: "吴小天", studentNo: "G510000201901010777", phone: "13800003579" };

let fake: FakeWechatApi;
let runner: Runner;
const c = { a: "", b: "", adminA: "", adminB: "" };
const logLines: string[] = [];
const originalSink = logSink.write;
const saved: Record<string, string | undefined> = {};

const peerFor = (k: { appId: string; token: string; aesKey: string }): WechatPeer =>
  wechatPeer({ token: k.token, appId: k.appId, aesKey: k.aesKey, mode: "safe" });

async function push(tenant: string, peer: WechatPeer, openId: string, text: string) {
  const p = peer.push(`/wechat/${tenant}`, peer.text(openId, text));
  const res = await app.request(p.url, { method: "POST", body: p.body, headers: { "content-type": "text/xml" } });
  const body = await res.text();
  return { status: res.status, body };
}

async function verify(tenant: string, peer: WechatPeer) {
  const res = await app.request(peer.verifyUrl(`/wechat/${tenant}`, "echo_4711"));
  return { status: res.status, body: await res.text() };
}

/** Template sends to `openId` the fake accepted, with the AppID of the token each used. */
const templateSendsTo = (openId: string) =>
  fake.sends.filter(
    (s) => s.path === FAKE_WECHAT_PATHS.templateSend && (s.body as { touser?: string }).touser === openId,
  );

async function broadcastInB(text: string) {
  const r = await api(c.adminB, "POST", "/api/broadcasts", { audience: { schoolId: "bx1" }, text });
  expect(r.status).toBe(201);
  return settled(c.adminB, r.body.broadcast.id);
}

beforeAll(async () => {
  for (const k of [
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "WECHAT_TOKEN",
    "WECHAT_AES_KEY",
    "WECHAT_API_BASE",
    "WECHAT_REPLY_BUDGET_MS",
    "LOG_LEVEL",
  ])
    saved[k] = process.env[k];
  await isolatedQueues();
  fake = await startFakeWechatApi({
    accounts: { [DEPLOYMENT.appId]: DEPLOYMENT.secret, [A.appId]: A.appSecret, [B.appId]: B.appSecret },
  });
  Object.assign(process.env, {
    WECHAT_APP_ID: DEPLOYMENT.appId,
    WECHAT_APP_SECRET: DEPLOYMENT.secret,
    WECHAT_TOKEN: DEPLOYMENT.token,
    WECHAT_API_BASE: fake.url,
    LOG_LEVEL: "debug",
    // This file checks whose account answers, not the 5 s deadline: on a loaded machine the first answer may take
    // longer than 4 s and would otherwise be deferred to the customer-service API.
    WECHAT_REPLY_BUDGET_MS: "30000",
  });
  delete process.env.WECHAT_AES_KEY;
  delete process.env.ADMIN_TOKEN;
  resetConfig();
  logSink.write = (line) => void logLines.push(line);

  c.a = (await createTenant(undefined, { templates: TEMPLATES })).id;
  c.b = (await createTenant(undefined, { templates: TEMPLATES })).id;
  clearCache();
  c.adminA = await ensureAdminToken(c.a);
  c.adminB = await ensureAdminToken(c.b);
  for (const [admin, creds] of [
    [c.adminA, A],
    [c.adminB, B],
  ] as const) {
    const r = await api(admin, "PUT", "/api/tenant/wechat", creds);
    expect(r.status).toBe(200);
    expect(r.body.changed).toEqual(["AppID", "AppSecret", "Token", "EncodingAESKey"]);
  }
  await schools.create(c.b, { id: "bx1", name: "河口小学", kind: "primary", township: "河口乡" });
  await students.upsert(c.b, {
    studentNo: KID.studentNo,
    name: KID.name,
    schoolId: "bx1",
    grade: "3",
    class: "1",
    guardians: [{ name: "吴父", relation: "父亲", phone: KID.phone }],
  });
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  logSink.write = originalSink;
  await runner?.stop();
  await fake?.stop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetConfig();
});

const openIdB = randomOpenId();

describe("each county's webhook checks pushes with its own Token, EncodingAESKey and AppID", () => {
  it("a push signed and encrypted for county B is answered at /wechat/B and refused at /wechat/A", async () => {
    fake.follow(openIdB, B.appId);
    const atB = await push(c.b, peerFor(B), openIdB, `绑定 ${KID.name} ${KID.studentNo} 3579`);
    expect(atB.status).toBe(200);
    const reply = peerFor(B).openReply(atB.body);
    expect(reply).toMatchObject({ kind: "text", to: openIdB, encrypted: true });
    expect(reply.kind === "text" && reply.content).toContain("绑定成功");

    const atA = await push(c.a, peerFor(B), randomOpenId(), "小学住校一年补多少");
    expect(atA.status).toBe(403);
    expect(atA.body).not.toContain(B.token);
  });

  it("county A's own pushes are answered at /wechat/A, and URL verification follows each county's Token", async () => {
    const atA = await push(c.a, peerFor(A), randomOpenId(), "你好");
    expect(atA.status).toBe(200);
    expect(peerFor(A).openReply(atA.body).kind).toBe("text");
    expect(await verify(c.a, peerFor(A))).toEqual({ status: 200, body: "echo_4711" });
    expect((await verify(c.a, peerFor(B))).status).toBe(403);
    expect(await verify(c.b, peerFor(B))).toEqual({ status: 200, body: "echo_4711" });
  });

  it("a push encrypted with B's key but signed with A's Token, or sealed for another AppID, is refused", async () => {
    const forged = wechatPeer({ token: A.token, appId: B.appId, aesKey: B.aesKey, mode: "safe" });
    expect((await push(c.b, forged, randomOpenId(), "你好")).status).toBe(403);
    const p = peerFor(B).push(`/wechat/${c.b}`, peerFor(B).text(randomOpenId(), "你好"), { encryptAppId: A.appId });
    const res = await app.request(p.url, { method: "POST", body: p.body, headers: { "content-type": "text/xml" } });
    expect(res.status).toBe(403);
  });

  it("a county that saved no account keeps the deployment's (the demo tenant's case)", async () => {
    const bare = (await createTenant()).id;
    const plain = wechatPeer({ token: DEPLOYMENT.token, appId: DEPLOYMENT.appId, mode: "plain" });
    expect((await push(bare, plain, randomOpenId(), "你好")).status).toBe(200);
    expect((await push(c.a, plain, randomOpenId(), "你好")).status).toBe(403);
  });
});

describe("never a mix of a county's account and the deployment's", () => {
  it("a county that saved its AppID and AppSecret but no Token is not configured: the deployment's Token does not open its webhook", async () => {
    const half = (await createTenant()).id;
    const admin = await ensureAdminToken(half);
    const saved = await api(admin, "PUT", "/api/tenant/wechat", { appId: A.appId, appSecret: A.appSecret });
    expect(saved.status).toBe(200);
    const plain = wechatPeer({ token: DEPLOYMENT.token, appId: DEPLOYMENT.appId, mode: "plain" });
    const r = await push(half, plain, randomOpenId(), "你好");
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body).error.code).toBe("wechat_not_configured");
  });
});

describe("a county's notices go out from its own account", () => {
  it("a broadcast to a family of county B is sent with a token got by B's AppID and AppSecret", async () => {
    const report = await broadcastInB("本周五下午三点召开家长会，请准时参加。");
    expect(report.counts).toMatchObject({ sent: 1 });
    const sends = templateSendsTo(openIdB);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.appId).toBe(B.appId);
    expect(fake.tokenCalls.filter((t) => t.errcode === 0).map((t) => (t.body as { appid: string }).appid)).toContain(
      B.appId,
    );
    expect(
      fake.tokenCalls.some(
        (t) => (t.body as { appid: string }).appid === B.appId && (t.body as { secret: string }).secret !== B.appSecret,
      ),
    ).toBe(false);
  });
});

describe("changing a county's account in the console", () => {
  it("takes effect at once: the old Token is refused, the new one answered, sends use the new AppSecret", async () => {
    fake.setAccount(B.appId, B_NEW.appSecret); // reset in the WeChat admin: tokens got with the old secret stop working
    const r = await api(c.adminB, "PUT", "/api/tenant/wechat", B_NEW);
    expect(r.status).toBe(200);
    expect(r.body.changed).toEqual(["AppSecret", "Token"]);

    const newPeer = peerFor({ ...B, token: B_NEW.token });
    expect((await push(c.b, peerFor(B), openIdB, "你好")).status).toBe(403);
    const ok = await push(c.b, newPeer, openIdB, "你好");
    expect(ok.status).toBe(200);
    expect(newPeer.openReply(ok.body).kind).toBe("text");

    const before = templateSendsTo(openIdB).length;
    const report = await broadcastInB("下周一开始发放营养餐补助，请留意。");
    expect(report.counts).toMatchObject({ sent: 1, failed: 0 });
    const sends = templateSendsTo(openIdB);
    expect(sends).toHaveLength(before + 1);
    expect(sends.at(-1)!.appId).toBe(B.appId);
    expect(fake.tokenCalls.at(-1)).toMatchObject({ errcode: 0, body: { appid: B.appId, secret: B_NEW.appSecret } });
  });

  it("saved from another instance, it takes effect within 30 seconds", async () => {
    const third = { token: "countyBtoken3" };
    // Written as another process would: this process's cache still holds the previous Token.
    await saveCredentials(c.b, { id: "acct_other_instance", role: "bureau", name: "李老师" }, third);
    const current = peerFor({ ...B, token: B_NEW.token });
    expect((await push(c.b, current, openIdB, "你好")).status).toBe(200);

    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, "now").mockImplementation(() => realNow() + 31_000);
    try {
      expect((await push(c.b, current, openIdB, "你好")).status).toBe(403);
      expect((await push(c.b, peerFor({ ...B, ...third }), openIdB, "你好")).status).toBe(200);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("storage down while a county's account is due for a fresh read", () => {
  it("keeps the county's last known account (never the deployment's) and still answers", async () => {
    const real = { endpoint: process.env.DYNAMODB_ENDPOINT, timeout: process.env.STORAGE_TIMEOUT_MS };
    const realNow = Date.now.bind(Date);
    const clock = vi.spyOn(Date, "now").mockImplementation(() => realNow() + 120_000);
    Object.assign(process.env, {
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
      STORAGE_TIMEOUT_MS: "400",
    });
    resetConfig();
    try {
      const current = peerFor({ ...B, token: "countyBtoken3" });
      const res = await push(c.b, current, openIdB, "小学住校一年补多少");
      expect(res.status).toBe(200);
      const reply = current.openReply(res.body);
      expect(reply.kind === "text" && reply.content).toContain("1250");
      const deployment = wechatPeer({ token: DEPLOYMENT.token, appId: DEPLOYMENT.appId, mode: "plain" });
      expect((await push(c.b, deployment, randomOpenId(), "你好")).status).toBe(403);
    } finally {
      clock.mockRestore();
      Object.assign(process.env, { DYNAMODB_ENDPOINT: real.endpoint, STORAGE_TIMEOUT_MS: real.timeout });
      resetConfig();
    }
  });
});

describe("secrets stay out of the logs", () => {
  it("no AppSecret, Token, EncodingAESKey or access token appears in any log line of this file", () => {
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join("\n");
    for (const s of [A.appSecret, A.token, A.aesKey, B.appSecret, B.token, B.aesKey, B_NEW.appSecret, B_NEW.token])
      expect(all).not.toContain(s);
    for (const t of fake.tokenCalls) if (t.accessToken) expect(all).not.toContain(t.accessToken);
  });
});
