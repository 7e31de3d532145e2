/**
 * Storage that does not answer (paused) or is gone (killed), with the DEFAULT storage timeouts (3 s per call × 3 attempts — not shortened as in
 * storage-faults.int.test.ts): WeChat still gets its reply within its own 5 s (issue 10, Done when), also once the
 * channels' minute of tenant cache has passed, and the web chat answers without waiting for storage to give up.
 * The tenant is then the last one known; a tenant this process never saw cannot be answered: 503 系统繁忙.
 */
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { config, resetConfig } from "../../../core/config.js";
import { expireChannelTenants } from "../../../core/channels/tenant.js";
import { freePort } from "../../../core/local/stack.js";
import { forgetWechatAccount } from "../../../core/channels/wechat/account.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { buildApp } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";
import { faultClients } from "../../support/fault-clients.js";
import { wechatPeer } from "../../core/channels/wechat/peer.js";

const TOKEN = "zizhuDeadlineToken";
const APPID = "wx5c2769f8efd9abc9";
/** WeChat's own limit: a push not answered within 5 s is retried, and after three the parent gets nothing. */
const WECHAT_GIVES_UP_MS = 5_000;
const realEndpoint = process.env.DYNAMODB_ENDPOINT!;
const suiteTimeouts = {
  STORAGE_TIMEOUT_MS: process.env.STORAGE_TIMEOUT_MS,
  CHAT_BUDGET_MS: process.env.CHAT_BUDGET_MS,
  WECHAT_HARD_DEADLINE_MS: process.env.WECHAT_HARD_DEADLINE_MS,
};
let tenant: string;
let boundSession: string;
let app: ReturnType<typeof buildApp>;
let blackhole: TcpServer;
const held: Socket[] = [];
const peer = wechatPeer({ token: TOKEN, appId: APPID, mode: "plain" });
const clients = faultClients(() => ({ app, tenant }), peer);

let refusedPort: number;

/** A faulty storage with the production timeouts, or (undefined) the shared table with the suite's generous ones. */
function pointStorageAt(faulty: string | undefined) {
  if (faulty) {
    for (const k of Object.keys(suiteTimeouts)) delete process.env[k];
    delete process.env.STORAGE_MAX_ATTEMPTS;
    process.env.DYNAMODB_ENDPOINT = faulty;
  } else {
    Object.assign(process.env, suiteTimeouts, { DYNAMODB_ENDPOINT: realEndpoint });
  }
  resetConfig();
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number } & T> {
  const t0 = performance.now();
  const out = await work();
  return { ...out, ms: performance.now() - t0 };
}

beforeAll(async () => {
  Object.assign(process.env, { WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APPID });
  delete process.env.WECHAT_AES_KEY;
  resetConfig();
  app = buildApp();
  tenant = (await createTenant()).id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  await students.upsert(tenant, {
    studentNo: "G510000201901010003",
    name: "郑小禾",
    schoolId: "s1",
    grade: "1",
    class: "1",
    guardians: [{ name: "郑母", relation: "母亲", phone: "13800001357" }],
  });
  const bound = await clients.chat("绑定 郑小禾 G510000201901010003 1357");
  expect(bound.json.replies[0].text).toContain("绑定成功");
  boundSession = bound.json.session;
  // Warm: the storage-free assistant builds its index once per process.
  expect((await clients.wechat("高中助学金一年多少钱")).status).toBe(200);
  blackhole = createTcpServer((s) => void held.push(s)); // accepts, never answers: a paused JVM looks like this
  await new Promise<void>((r) => blackhole.listen(0, "127.0.0.1", r));
  refusedPort = await freePort();
}, 180_000);

afterAll(() => {
  pointStorageAt(undefined);
  for (const s of held) s.destroy();
  blackhole?.close();
  blackhole?.unref();
});

const faults = [
  {
    fault: "storage paused (accepts, never answers)",
    endpoint: () => `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}`,
  },
  { fault: "storage killed (connection refused)", endpoint: () => `http://127.0.0.1:${refusedPort}` },
];

describe.each(faults)("$fault, default storage timeouts, the tenant cache expired", ({ fault, endpoint }) => {
  beforeAll(() => pointStorageAt(endpoint()));
  // Each case a minute after the last: the channels' tenant cache and the account cache have lapsed (no failed
  // read remembered either, so every case waits for storage once).
  beforeEach(() => {
    expireChannelTenants();
    forgetWechatAccount(tenant);
  });
  afterAll(() => pointStorageAt(undefined));

  it("uses the production timeouts", () => {
    expect(config().storage).toEqual({ timeoutMs: 3000, maxAttempts: 3 });
    expect(config().wechat.hardDeadlineMs).toBe(4600);
  });

  it("WeChat gets the policy answer within its 5 s", async () => {
    const r = await timed(() => clients.wechat("高中助学金一年多少钱"));
    expect(r.status).toBe(200);
    expect((r.reply as { content: string }).content).toContain("2300");
    console.info(`WeChat policy push, ${fault}: ${Math.round(r.ms)} ms`);
    expect(r.ms).toBeLessThan(WECHAT_GIVES_UP_MS);
  });

  it("WeChat gets 系统繁忙 for a personal question within its 5 s, and the next push too", async () => {
    for (const [i, text] of ["我家孩子的补助发了没有", "查进度"].entries()) {
      if (i > 0) expireChannelTenants();
      const r = await timed(() => clients.wechat(text));
      expect(r.status).toBe(200);
      expect((r.reply as { content: string }).content).toContain("系统繁忙，请稍后再试");
      console.info(`WeChat personal push, ${fault}: ${Math.round(r.ms)} ms`);
      expect(r.ms).toBeLessThan(WECHAT_GIVES_UP_MS);
    }
  });

  it("web chat answers policy and says 503 系统繁忙 for a personal question, without waiting for storage to give up", async () => {
    const policy = await timed(() => clients.chat("小学住校一年补多少"));
    expect(policy.status).toBe(200);
    expect(policy.json.replies[0].text).toContain("1250");
    const personal = await timed(() => clients.chat("查进度", boundSession));
    expect(personal.status).toBe(503);
    expect(personal.json.error.message).toBe("系统繁忙，请稍后再试。政策问题现在也可以照常问我。");
    console.info(`web chat, ${fault}: policy ${Math.round(policy.ms)} ms, personal ${Math.round(personal.ms)} ms`);
    // The same bar as WeChat's: well inside what one storage call may take with its retries (3 s × 3).
    expect(policy.ms).toBeLessThan(WECHAT_GIVES_UP_MS);
    expect(personal.ms).toBeLessThan(WECHAT_GIVES_UP_MS);
  });

  it("a tenant this process never saw gets 503 系统繁忙 in Chinese, on WeChat and the web chat, never a 500", async () => {
    const unseen = "t9zzzzzzzz";
    const push = peer.push(`/wechat/${unseen}`, peer.text("oUnseen0000000000000000000000", "高中助学金一年多少钱"));
    const w = await (async () => {
      const res = await app.request(push.url, {
        method: "POST",
        body: push.body,
        headers: { "content-type": "text/xml" },
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    })();
    expect(w.status).toBe(503);
    expect(w.body.error).toMatchObject({
      code: "storage_unavailable",
      message: "系统繁忙，请稍后再试。政策问题现在也可以照常问我。",
    });
    const res = await app.request(`/chat/${unseen}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "小学住校一年补多少" }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("系统繁忙");
  }, 30_000);
});
