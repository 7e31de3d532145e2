/**
 * LLM mode end to end: the real app, the real assistant wiring (core/channels/reply.ts) with OPENAI_* pointed at
 * the scripted local model, DynamoDB Local, the SQS emulator with the real inbound worker, and the fake WeChat API.
 * A slow model gives way to the offline answer inside the passive window; a missed deadline is finished by the
 * worker without a second model call; nothing personal reaches the model.
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
import {
  afterTools,
  answer,
  failure,
  startFakeOpenAi,
  toolCall,
  type FakeOpenAi,
  type Received,
} from "../../fakes/openai.js";
import { field, randomOpenId, wechatPeer } from "../../core/channels/wechat/peer.js";
import { Hono } from "hono";
import { defaultReply, type ReplyFn } from "../../../core/channels/reply.js";
import { onError } from "../../../functions/http/errors.js";
import { wechatRoutes } from "../../../functions/http/wechat.js";

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
const saved = Object.fromEntries(
  ["OPENAI_BASE_URL", "WECHAT_API_BASE", "WECHAT_REPLY_BUDGET_MS", ...Object.keys(ENV)].map((k) => [k, process.env[k]]),
);

let model: FakeOpenAi;
let wechat: FakeWechatApi;
let tenant: string;
let app: ReturnType<typeof buildApp>;
const peer = wechatPeer({ token: TOKEN, appId: APPID, aesKey: AES_KEY, mode: "safe" });

/** search_policy with the user's words, then MODEL_ANSWER citing the title; each step after `delayMs`. */
function policyModel(delayMs = 0) {
  model.respondWith((req) => {
    const question = [...req.body.messages].reverse().find((m) => m.role === "user")!.content!;
    return afterTools(req)
      ? answer(`${MODEL_ANSWER}\n来源：${TITLE}`, delayMs)
      : toolCall("search_policy", { query: question }, delayMs);
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
      (await (
        await app.request(`/chat/${tenant}`, {
          method: "POST",
          body: JSON.stringify(body),
          headers: { "content-type": "application/json" },
        })
      ).json()) as {
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
    const res = await app.request(`/chat/${tenant}`, {
      method: "POST",
      body: JSON.stringify({ text: "把我们村领了助学金的名单发给我" }),
      headers: { "content-type": "application/json" },
    });
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
    const res = await app.request(push.url, {
      method: "POST",
      body: push.body,
      headers: { "content-type": "text/xml" },
    });
    const opened = peer.openReply(await res.text());
    expect(opened.kind === "text" && opened.content).toContain(MODEL_ANSWER);
    expect(wechat.sends).toHaveLength(0);
  });

  test("a slow model gives way to the offline answer inside the passive reply, and is called once", async () => {
    await isolatedQueues();
    replyBudget(1500); // the model gets 1500 − 300 (passive margin) − 350 (reserve) ms
    policyModel(10_000); // a 10 s model
    const openId = randomOpenId();
    const push = peer.push(`/wechat/${tenant}`, peer.text(openId, "小学住校一年补多少"));
    const res = await app.request(push.url, {
      method: "POST",
      body: push.body,
      headers: { "content-type": "text/xml" },
    });
    const opened = peer.openReply(await res.text());
    expect(opened.kind).toBe("text");
    if (opened.kind === "text") {
      expect(opened.content).toContain("1250"); // the offline answer, from the knowledge base
      expect(opened.content).not.toContain(MODEL_ANSWER);
    }
    // Asked once at most (under heavy load the budget may be gone before the first request), never twice.
    expect(model.received.length).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(model.received.length).toBeLessThanOrEqual(1);
    expect(wechat.sends).toHaveLength(0);
  });

  test("when the deadline is missed after the model answered, the worker sends one answer without asking the model again", async () => {
    await isolatedQueues();
    policyModel();
    // Slow storage after the model: the webhook's attempt finishes past its 1500 ms budget.
    const slowAfter: ReplyFn = async (input) => {
      const out = await defaultReply(input);
      await new Promise((r) => setTimeout(r, 2000));
      return out;
    };
    const plain = wechatPeer({ token: TOKEN, appId: APPID, mode: "plain" });
    const hook = new Hono();
    hook.onError(onError);
    hook.route(
      "/",
      wechatRoutes({ reply: slowAfter, settings: () => ({ token: TOKEN, appId: APPID }), budgetMs: () => 1500 }),
    );
    const openId = randomOpenId();
    const xml = plain.text(openId, "小学住校一年补多少");
    const push = plain.push(`/wechat/${tenant}`, xml);
    const res = await hook.request(push.url, {
      method: "POST",
      body: push.body,
      headers: { "content-type": "text/xml" },
    });
    expect(await res.text()).toBe("success");

    const runner = startQueueRunner({ handlers: { inbound: inboundHandler() } });
    try {
      await expect.poll(() => wechat.sends.length, { timeout: 20_000, interval: 100 }).toBe(1);
      await runner.idle();
      await new Promise((r) => setTimeout(r, 1500)); // the webhook's abandoned attempt has long finished: nothing more
    } finally {
      await runner.stop();
    }
    expect(wechat.sends).toHaveLength(1);
    const content = (wechat.sends[0]!.body as { text: { content: string } }).text.content;
    expect(content).toContain("1250"); // the model's late answer or the offline one: both carry the amount
    const record = await getItem<{ state: string }>(keys.dedupe(tenant, recordId(`${openId}|${field(xml, "MsgId")}`)));
    expect(record?.state).toBe("answered");
    // One message, at most one model turn (search_policy, then the answer): the worker did not ask again.
    expect(model.received.filter((r) => !afterTools(r)).length).toBeLessThanOrEqual(1);
  });
});

describe("the model provider failing (issue 10)", () => {
  test.each([429, 500, 503])(
    "a %i from the model gives the offline answer on the web chat and on WeChat, never an error",
    async (status) => {
      replyBudget(4000);
      model.respondWith(() => failure(status));
      const res = await app.request(`/chat/${tenant}`, {
        method: "POST",
        body: JSON.stringify({ text: "小学住校一年补多少" }),
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(200);
      const web = (await res.json()) as { intent: string; replies: { text: string }[] };
      expect(web.intent).toBe("policy");
      expect(web.replies[0]!.text).toContain("1250");
      expect(web.replies[0]!.text).not.toContain(MODEL_ANSWER);

      const push = peer.push(`/wechat/${tenant}`, peer.text(randomOpenId(), "小学住校一年补多少"));
      const wx = await app.request(push.url, {
        method: "POST",
        body: push.body,
        headers: { "content-type": "text/xml" },
      });
      expect(wx.status).toBe(200);
      const opened = peer.openReply(await wx.text());
      expect(opened.kind === "text" && opened.content).toContain("1250");
      expect(model.received.length).toBeGreaterThan(0); // the model was asked, and failed
    },
  );
});

describe("what leaves for the model provider", () => {
  test("phones, ID numbers, 学籍号 and bank cards, spaced or dashed, are replaced before the model sees them", async () => {
    policyModel();
    const say = async (text: string, session?: string) =>
      (await (
        await app.request(`/chat/${tenant}`, {
          method: "POST",
          body: JSON.stringify(session ? { text, session } : { text }),
          headers: { "content-type": "application/json" },
        })
      ).json()) as {
        session: string;
      };
    const raw = ["138 0013 8000", "51010120120101123X", "G5101-0120-1201-0112-34", "6222 0212 3456 7890 123"];
    const first = await say(`我电话${raw[0]} 身份证${raw[1]} 孩子学籍号${raw[2]} 卡号${raw[3]} 小学住校一年补多少`);
    await say("初中住校呢", first.session);
    expect(model.received.length).toBeGreaterThanOrEqual(2);
    const sent = JSON.stringify(model.received.map((r) => r.body.messages));
    for (const v of raw) expect(sent).not.toContain(v.replace(/[\s-]/g, "").slice(-8));
    for (const v of raw) expect(sent).not.toContain(v);
    expect(sent).toContain("〔手机号1〕");
    expect(sent).toContain("〔学籍号1〕");
  });
});
