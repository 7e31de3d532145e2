/**
 * The storage process itself frozen (issue 10, fault injection): this file starts a DynamoDB Local of its own (the
 * shared one that other test files use is never touched), writes a family's binding, then SIGSTOPs the JVM while a
 * parent's personal question is on its way to it. The question is answered "系统繁忙，请稍后再试" within the storage
 * timeout, policy answers still come, /health says degraded; after SIGCONT everything recovers and the binding
 * written before is there. (test/functions/http/storage-faults.int.test.ts injects the same faults at the port.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config, resetConfig } from "../../../core/config.js";
import { startOwnDynamoLocal, type OwnDynamoLocal } from "../../../core/local/stack.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { buildApp } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";
import { faultClients } from "../../support/fault-clients.js";
import { wechatPeer } from "../../core/channels/wechat/peer.js";

const TOKEN = "zizhuSigstopToken";
const APPID = "wx5c2769f8efd9abc9";
const saved = { ...process.env };
let own: OwnDynamoLocal | undefined;
let tenant: string;
let boundSession: string;
let app: ReturnType<typeof buildApp>;
const peer = wechatPeer({ token: TOKEN, appId: APPID, mode: "plain" });

/** Short storage timeouts while frozen (the file stays quick); generous ones otherwise (the machine is shared). */
function timeouts(frozen: boolean) {
  Object.assign(process.env, {
    STORAGE_TIMEOUT_MS: frozen ? "600" : "15000",
    STORAGE_MAX_ATTEMPTS: frozen ? "2" : "3",
    CHAT_BUDGET_MS: frozen ? "3000" : "60000",
  });
  resetConfig();
}

const { chat, wechat } = faultClients(() => ({ app, tenant }), peer);

beforeAll(async () => {
  own = await startOwnDynamoLocal({ tableName: config().tableName, region: config().region });
  Object.assign(process.env, { DYNAMODB_ENDPOINT: own.endpoint, WECHAT_TOKEN: TOKEN, WECHAT_APP_ID: APPID });
  delete process.env.WECHAT_AES_KEY;
  timeouts(false);
  app = buildApp();
  tenant = (await createTenant()).id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  await students.upsert(tenant, {
    studentNo: "G510000201901010002",
    name: "周小雨",
    schoolId: "s1",
    grade: "1",
    class: "1",
    guardians: [{ name: "周母", relation: "母亲", phone: "13800002468" }],
  });
  const bound = await chat("绑定 周小雨 G510000201901010002 2468");
  expect(bound.json.replies[0].text).toContain("绑定成功");
  boundSession = bound.json.session;
}, 180_000);

afterAll(async () => {
  await own?.stop();
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  resetConfig();
});

describe("DynamoDB Local frozen with SIGSTOP mid-request, then SIGCONT", () => {
  it("answers the parent 系统繁忙 within the storage timeout, keeps answering policy, says degraded, and recovers", async () => {
    timeouts(true);
    // The personal question is sent, and the storage process freezes while it is on its way.
    const pending = chat("查进度", boundSession);
    own!.pause();
    try {
      const t0 = Date.now();
      const personal = await pending;
      expect(personal.status).toBe(503);
      expect(personal.json.error.code).toBe("storage_unavailable");
      expect(personal.json.error.message).toBe("系统繁忙，请稍后再试。政策问题现在也可以照常问我。");
      expect(Number(personal.retryAfter)).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeLessThan(10_000);

      const policy = await chat("小学住校一年补多少");
      expect(policy.status).toBe(200);
      expect(policy.json.intent).toBe("policy");
      expect(policy.json.replies[0].text).toContain("1250");

      const onWechat = await wechat("我家孩子的补助发了没有");
      expect(onWechat.status).toBe(200);
      expect((onWechat.reply as { content: string }).content).toContain("系统繁忙，请稍后再试");

      const health = await app.request("/health");
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, status: "degraded", table: "unreachable" });
    } finally {
      own!.resume();
      timeouts(false);
    }

    // Back: healthy again, and the binding written before the freeze answers the same question.
    let healthy = 0;
    for (let i = 0; i < 40 && healthy !== 200; i++) {
      healthy = (await app.request("/health")).status;
      if (healthy !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(healthy).toBe(200);
    const after = await chat("查进度", boundSession);
    expect(after.status).toBe(200);
    expect(after.json.session).toBe(boundSession);
    expect(after.json.intent).toBe("status");
    expect(after.json.replies.map((x: { text: string }) => x.text).join("\n")).toContain("周*雨");
  }, 120_000);
});
