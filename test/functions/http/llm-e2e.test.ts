/**
 * LLM mode end to end: the real app, the real assistant wiring (core/channels/reply.ts) with OPENAI_* pointed at
 * the scripted local model, DynamoDB Local, the SQS emulator with the real inbound worker, and the fake WeChat API.
 * A slow model makes the webhook defer; the answer then arrives through the customer-service API exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { resetConfig } from "../../../core/config.js";
import { getItem } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import { recordId } from "../../../core/channels/wechat/dedupe.js";
import { buildApp } from "../../../functions/http/app.js";
import { inboundHandler } from "../../../functions/queues/inbound.js";
import { startQueueRunner } from "../../../functions/dev/queue-runner.js";
import { createTenant, isolatedQueues } from "../../support/stack.js";
import { startFakeWechatApi, type FakeWechatApi } from "../../fakes/wechat-api.js";
import { afterTools, answer, startFakeOpenAi, toolCall, type FakeOpenAi, type Received } from "../../fakes/openai.js";
import { field, randomOpenId, wechatPeer } from "../../core/channels/wechat/peer.js";

const TOKEN = "zizhuLlmE2eToken";
const APPID = "wx5c2769f8efd9abc9";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const SECRET = "llm-e2e-secret";
const TITLE = "义务教育家庭经济困难学生生活补助（两免一补中的一补）";
const MODEL_ANSWER = "小学住校的困难学生，一年补 1250 元，先找学校认定。";

const ENV = {
  OPENAI_API_KEY: "e2e-key",
  OPENAI_MODEL: "fake-model",
  OPENAI_TIMEOUT_MS: "5000",
  WECHAT_TOKEN: TOKEN,
  WECHAT_APP_ID: APPID,
  WECHAT_AES_KEY: AES_KEY,
  WECHAT_APP_SECRET: SECRET,
};
const saved = Object.fromEntries(["OPENAI_BASE_URL", "WECHAT_API_BASE", "WECHAT_REPLY_BUDGET_MS", ...Object.keys(ENV)].map((k) => [k, process.env[k]]));

let model: FakeOpenAi;
let wechat: FakeWechatApi;
let tenant: string;
let app: ReturnType<typeof buildApp>;
const peer = wechatPeer({ token: TOKEN, appId: APPID, aesKey: AES_KEY, mode: "safe" });

/** search_policy with the user's words, then MODEL_ANSWER citing the title; each step after `delayMs`. */
function policyModel(delayMs = 0) {
  model.respondWith((req) => {
    const question = [...req.body.messages].reverse().find((m) => m.role === "user")!.content!;
    return afterTools(req) ? answer(`${MODEL_ANSWER}\n来源：${TITLE}`, delayMs) : toolCall("search_policy", { query: question }, delayMs);
  });
}

/** How long the webhook waits before deferring (read from config per request). */
function replyBudget(ms: number) {
  process.env.WECHAT_REPLY_BUDGET_MS = String(ms);
  resetConfig();
}

const userTurns = (req: Received) => req.body.messages.filter((m) => m.role === "user").map((m) => m.content);

beforeAll(async () => {
  model = await startFakeOpenAi({ apiKey: ENV.OPENAI_API_KEY });
  wechat = await startFakeWechatApi({ appId: APPID, secret: SECRET });
  Object.assign(process.env, ENV, { OPENAI_BASE_URL: model.url, WECHAT_API_BASE: wechat.url });
  resetConfig();
  tenant = (await createTenant()).id;
  await isolatedQueues();
  app = buildApp();
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetConfig();
  await Promise.all([model.stop(), wechat.stop()]);
});
beforeEach(() => {
  model.reset();
  wechat.reset();
});

describe("web chat in LLM mode", () => {
  test("answers with the model, cites the passage, and remembers the session's previous question", async () => {
    policyModel();
    const chat = async (body: Record<string, string>) =>
      (await (await app.request(`/chat/${tenant}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } })).json()) as {
        session: string;
        intent: string;
        replies: { text: string }[];
        citations: { id: string }[];
      };
    const first = await chat({ text: "小学住校一年补多少" });
    expect(first.intent).toBe("policy");
    expect(first.replies[0]!.text).toContain(MODEL_ANSWER);
    expect(first.replies[0]!.text).toContain(`来源：${TITLE}`);
    expect(first.citations.map((c) => c.id)).toEqual(["compulsory-living-allowance"]);
    expect(model.received[0]!.authorization).toBe(`Bearer ${ENV.OPENAI_API_KEY}`);
    expect(model.received[0]!.body.model).toBe("fake-model");

    await chat({ text: "初中住校呢", session: first.session });
    const secondTurn = model.received.filter((r) => !afterTools(r))[1]!;
    expect(userTurns(secondTurn)).toEqual(["小学住校一年补多少", "初中住校呢"]);
  });

  test("a privacy probe is answered by the guardrail without asking the model", async () => {
    policyModel();
    const res = await app.request(`/chat/${tenant}`, { method: "POST", body: JSON.stringify({ text: "把我们村领了助学金的名单发给我" }), headers: { "content-type": "application/json" } });
    expect(((await res.json()) as { intent: string }).intent).toBe("out_of_scope");
    expect(model.received).toHaveLength(0);
  });
});

describe("WeChat in LLM mode", () => {
  test("a quick model answers within the deadline as the passive reply", async () => {
    replyBudget(4000);
    policyModel();
    const openId = randomOpenId();
    const push = peer.push(`/wechat/${tenant}`, peer.text(openId, "小学住校一年补多少"));
    const res = await app.request(push.url, { method: "POST", body: push.body, headers: { "content-type": "text/xml" } });
    const opened = peer.openReply(await res.text());
    expect(opened.kind === "text" && opened.content).toContain(MODEL_ANSWER);
    expect(wechat.sends).toHaveLength(0);
  });

  test("a slow model makes the webhook defer, and the answer arrives through the customer-service API exactly once", async () => {
    await isolatedQueues();
    replyBudget(300);
    policyModel(700); // two requests per answer: ~1.4 s, far past the 300 ms reply budget
    const openId = randomOpenId();
    const xml = peer.text(openId, "小学住校一年补多少");
    const push = peer.push(`/wechat/${tenant}`, xml);
    const started = Date.now();
    const res = await app.request(push.url, { method: "POST", body: push.body, headers: { "content-type": "text/xml" } });
    expect(await res.text()).toBe("success");
    expect(Date.now() - started).toBeLessThan(1200);

    const runner = startQueueRunner({ handlers: { inbound: inboundHandler() } });
    try {
      await expect.poll(() => wechat.sends.length, { timeout: 20_000, interval: 100 }).toBe(1);
      await runner.idle();
      await new Promise((r) => setTimeout(r, 1500)); // the webhook's abandoned attempt has long finished: nothing more
    } finally {
      await runner.stop();
    }
    expect(wechat.sends).toHaveLength(1);
    const sent = wechat.sends[0]!;
    expect(sent.path).toBe("/cgi-bin/message/custom/send");
    expect(sent.body).toMatchObject({ touser: openId, msgtype: "text" });
    const content = (sent.body as { text: { content: string } }).text.content;
    expect(content).toContain(MODEL_ANSWER);
    expect(content).toContain(`来源：${TITLE}`);
    const record = await getItem<{ state: string }>(keys.dedupe(tenant, recordId(`${openId}|${field(xml, "MsgId")}`)));
    expect(record?.state).toBe("answered");
    // The worker asked the model afresh, and its own message was not fed back to it as history.
    const turnStarts = model.received.filter((r) => !afterTools(r));
    expect(turnStarts.length).toBeGreaterThanOrEqual(2);
    for (const r of turnStarts) expect(userTurns(r)).toEqual(["小学住校一年补多少"]);
  });
});
