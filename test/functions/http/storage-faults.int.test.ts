/**
 * Storage faults, injected: the table endpoint pointed at (1) a port that accepts connections and never answers
 * (storage paused), (2) a port nobody listens on (storage killed / unreachable), (3) a server that answers every
 * call with ThrottlingException; and back to DynamoDB Local (storage restarted). Policy questions are still
 * answered, personal ones get "系统繁忙" (503 on /chat, a passive reply on WeChat — never a 500), /health says
 * degraded, the staff API says 503; once storage is back, everything written before is there.
 *
 * Timeouts are shortened here (STORAGE_TIMEOUT_MS, CHAT_BUDGET_MS) so the file runs quickly; the code paths are
 * the production ones.
 */
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfig } from "../../../core/config.js";
import { freePort } from "../../../core/local/stack.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { ensureAdminToken } from "../../../core/staff/index.js";
import { buildApp } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";
import { faultClients } from "../../support/fault-clients.js";
import { wechatPeer } from "../../core/channels/wechat/peer.js";

const TOKEN = "zizhuFaultToken";
const APPID = "wx5c2769f8efd9abc9";
const realEndpoint = process.env.DYNAMODB_ENDPOINT!;
let tenant: string;
let admin: string;
let boundSession: string;
let app: ReturnType<typeof buildApp>;
const peer = wechatPeer({ token: TOKEN, appId: APPID, mode: "plain" });

let blackhole: TcpServer;
const held: Socket[] = [];
let throttler: HttpServer;
let refusedPort: number;

/** Faults get short timeouts (so the file runs quickly); the real table keeps the suite's generous ones. */
function pointStorageAt(endpoint: string) {
  const faulty = endpoint !== realEndpoint;
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: endpoint,
    STORAGE_TIMEOUT_MS: faulty ? "400" : "15000",
    STORAGE_MAX_ATTEMPTS: faulty ? "2" : "3",
    CHAT_BUDGET_MS: faulty ? "3000" : "60000",
    WECHAT_HARD_DEADLINE_MS: faulty ? "4600" : "60000",
  });
  resetConfig();
}

const { chat, wechat } = faultClients(() => ({ app, tenant }), peer);

beforeAll(async () => {
  Object.assign(process.env, { WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APPID });
  delete process.env.WECHAT_AES_KEY;
  delete process.env.ADMIN_TOKEN;
  resetConfig();
  app = buildApp();
  tenant = (await createTenant()).id;
  admin = await ensureAdminToken(tenant);
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  await students.upsert(tenant, {
    studentNo: "G510000201901010001",
    name: "吴小天",
    schoolId: "s1",
    grade: "1",
    class: "1",
    guardians: [{ name: "吴父", relation: "父亲", phone: "13800003579" }],
  });
  const bound = await chat("绑定 吴小天 G510000201901010001 3579");
  expect(bound.json.replies[0].text).toContain("绑定成功");
  boundSession = bound.json.session;

  blackhole = createTcpServer((s) => void held.push(s)); // accepts, never answers: a paused JVM looks like this
  await new Promise<void>((r) => blackhole.listen(0, "127.0.0.1", r));
  throttler = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": "ThrottlingException" });
      res.end(
        JSON.stringify({
          __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException",
          message: "Rate of requests exceeds the allowed throughput.",
        }),
      );
    });
  });
  await new Promise<void>((r) => throttler.listen(0, "127.0.0.1", r));
  refusedPort = await freePort();
}, 180_000);

afterAll(async () => {
  pointStorageAt(realEndpoint);
  for (const s of held) s.destroy();
  blackhole?.close();
  blackhole?.unref();
  throttler?.closeAllConnections();
  throttler?.close();
  throttler?.unref();
});

const faults = [
  {
    fault: "storage paused (accepts, never answers)",
    endpoint: () => `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}`,
  },
  { fault: "storage killed (connection refused)", endpoint: () => `http://127.0.0.1:${refusedPort}` },
  {
    fault: "storage throttling every call",
    endpoint: () => `http://127.0.0.1:${(throttler.address() as AddressInfo).port}`,
  },
];

describe.each(faults)("$fault", ({ endpoint }) => {
  beforeAll(() => pointStorageAt(endpoint()));
  afterAll(() => pointStorageAt(realEndpoint));

  it("web chat still answers a policy question, from the knowledge base in the code", async () => {
    const r = await chat("小学住校一年补多少");
    expect(r.status).toBe(200);
    expect(r.json.intent).toBe("policy");
    expect(r.json.replies[0].text).toContain("1250");
    expect(r.json.session).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("web chat answers a personal question with 503 系统繁忙 and Retry-After, showing nothing about the child", async () => {
    const r = await chat("查进度", boundSession);
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe("storage_unavailable");
    expect(r.json.error.message).toBe("系统繁忙，请稍后再试。政策问题现在也可以照常问我。");
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
  });

  it("WeChat gets a passive reply, never a 500: the policy answer, or 系统繁忙 for a personal question", async () => {
    const policy = await wechat("高中助学金一年多少钱");
    expect(policy.status).toBe(200);
    expect(policy.reply).toMatchObject({ kind: "text" });
    expect((policy.reply as { content: string }).content).toContain("2300");
    const personal = await wechat("我家孩子的补助发了没有");
    expect(personal.status).toBe(200);
    expect((personal.reply as { content: string }).content).toContain("系统繁忙，请稍后再试");
  });

  it("/health says degraded with 503", async () => {
    const res = await app.request("/health");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, status: "degraded", table: "unreachable" });
  });

  it("the staff API answers 503 storage_unavailable with Retry-After, not 500", async () => {
    const res = await app.request("/api/schools", { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("storage_unavailable");
  });
});

describe("storage back", () => {
  it("finds everything written before: the binding, the session, the status", async () => {
    pointStorageAt(realEndpoint);
    const r = await chat("查进度", boundSession);
    expect(r.status).toBe(200);
    expect(r.json.session).toBe(boundSession);
    expect(r.json.intent).toBe("status");
    expect(r.json.replies.map((x: { text: string }) => x.text).join("\n")).toContain("吴*天");
    expect((await app.request("/health")).status).toBe(200);
  });
});
