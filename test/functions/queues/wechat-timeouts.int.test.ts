/**
 * WeChat's API timing out (issue 10, fault injection): the fake WeChat API reads a request and never answers it.
 * A notification's delivery gives up after its own timeout (WECHAT_API_TIMEOUT_MS), records "retry later" on the
 * notice, holds no other delivery up, and the queue's retry sends it once. A staff member's handoff reply gives up
 * the same way and is answered 503 in Chinese with Retry-After, nothing recorded as sent; the same reply sent again
 * once WeChat answers goes out once.
 */
import { Hono } from "hono";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleSession, type Json, schoolOfficer, sendAs } from "../../support/console-session.js";
import { resetConfig } from "../../../core/config.js";
import { defaultReply } from "../../../core/channels/reply.js";
import { queryAll, withoutKeys } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import { NotificationInfo } from "../../../core/notifications/records.js";
import { app } from "../../../functions/http/app.js";
import { onError } from "../../../functions/http/errors.js";
import { wechatRoutes } from "../../../functions/http/wechat.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { FAKE_WECHAT_PATHS } from "../../fakes/wechat-api.js";
import { field, wechatPeer } from "../../core/channels/wechat/peer.js";
import { SCHOOL, addKids, api, setupWorld, waitFor, type World } from "./support.js";

const TIMEOUT_MS = 3000;
let w: Omit<World, "kids">;
const runners: Runner[] = [];

beforeAll(async () => {
  w = await setupWorld();
  process.env.WECHAT_API_TIMEOUT_MS = String(TIMEOUT_MS);
  resetConfig();
}, 120_000);

afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
});

afterAll(async () => {
  delete process.env.WECHAT_API_TIMEOUT_MS;
  resetConfig();
  await w?.fake.stop();
});

const calls = (path: string, errcode: number) => w.fake.calls.filter((c) => c.path === path && c.errcode === errcode);

async function notificationsOf(eventId: string): Promise<NotificationInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": keys.notificationsOfEventPk(w.tenant, eventId), ":p": "NTF#" },
    ConsistentRead: true,
  });
  return items.map((i) => NotificationInfo.parse(withoutKeys(i)));
}

describe("WeChat's API never answering", () => {
  it("gives up on a delivery after its own timeout, records retry-later, lets the others through, and sends it once later", async () => {
    await addKids(w.tenant, 3, { guardians: () => 1, grade: () => "5", klass: () => "41" });
    const fanoutOnly = startQueueRunner({ handlers: { fanout }, concurrency: 1 });
    runners.push(fanoutOnly);
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "5", class: "41" },
      text: "明天上午九点开家长会。",
      urgent: true,
    });
    expect(res.status).toBe(201);
    const eventId = res.body.broadcast.id as string;
    await waitFor(async () => (await notificationsOf(eventId)).length === 3 || undefined, 60_000, "fan-out");
    await fanoutOnly.idle();

    // The first template send is read by "WeChat" and never answered; the three notices travel in one batch.
    w.fake.hangNext(FAKE_WECHAT_PATHS.templateSend, 1);
    const runner = startQueueRunner({ handlers: { delivery }, concurrency: 1 });
    runners.push(runner);

    const hung = await waitFor(async () => calls(FAKE_WECHAT_PATHS.templateSend, -2)[0], 60_000, "the hung send");
    // Not held up by the hung one: both others reach WeChat before the hung send's timeout is even over.
    const others = await waitFor(
      async () => {
        const ok = calls(FAKE_WECHAT_PATHS.templateSend, 0);
        return ok.length >= 2 ? ok : undefined;
      },
      60_000,
      "the other sends",
    );
    expect(others.every((c) => c.time < hung.time + TIMEOUT_MS)).toBe(true);

    // It gave up on its own: recorded "retry later" with WeChat's transport errcode, the claim given back.
    const waiting = await waitFor(
      async () =>
        (await notificationsOf(eventId)).find((n) => n.status === "queued" && n.reason === "wechat_-1") ?? undefined,
      30_000,
      "the timed-out notice recorded for retry",
    );
    expect(waiting.errcode).toBe(-1);
    const notes = await notificationsOf(eventId);
    expect(notes.filter((n) => n.status === "sent")).toHaveLength(2);

    // The queue hands it back after its backoff (≈5 s): sent once; every notice ends sent, nothing twice.
    const final = await waitFor(
      async () => {
        const list = await notificationsOf(eventId);
        return list.every((n) => n.status === "sent") ? list : undefined;
      },
      60_000,
      "the retried send",
    );
    expect(final).toHaveLength(3);
    await runner.idle();
    expect(calls(FAKE_WECHAT_PATHS.templateSend, 0)).toHaveLength(3);
    expect(new Set(w.fake.sends.map((s) => (s.body as Json).touser)).size).toBe(3);
  }, 150_000);

  it("answers a handoff reply 503 in Chinese after its timeout, records nothing as sent, and sends the retry once", async () => {
    const [kid] = await addKids(w.tenant, 1, { guardians: () => 1 });
    const openId = kid!.users[0]!.slice("wechat:".length);
    const teacher = await account("李老师", "litimeout");
    await defaultReply({ tenant: w.tenant, userKey: "web:warm", channel: "web", text: "小学住校一年补多少" });
    expect(await wechatSays(openId, "人工")).toContain("转人工");
    const inbox = await send(teacher, "GET", "/api/handoffs/inbox");
    const id = (inbox.body.items as Json[]).find((i) => i.channel === "wechat")!.id as string;
    expect((await send(teacher, "POST", `/api/handoffs/${id}/claim`)).status).toBe(200);

    w.fake.hangNext(FAKE_WECHAT_PATHS.customSend, 1);
    const t0 = Date.now();
    const timedOut = await send(teacher, "POST", `/api/handoffs/${id}/reply`, { text: "您好，我是李老师，请讲。" });
    const took = Date.now() - t0;
    expect(timedOut.status).toBe(503);
    expect(timedOut.body.error.code).toBe("wechat_unavailable");
    expect(timedOut.body.error.message).toBe("微信暂时发不出去，请稍后再试");
    expect(timedOut.retryAfter).toBe("30");
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(calls(FAKE_WECHAT_PATHS.customSend, -2)).toHaveLength(1);
    const thread = await send(teacher, "GET", `/api/handoffs/${id}`);
    expect(JSON.stringify(thread.body)).not.toContain("我是李老师");

    // WeChat answers again: the same words are not refused as a duplicate, and go out once.
    const again = await send(teacher, "POST", `/api/handoffs/${id}/reply`, { text: "您好，我是李老师，请讲。" });
    expect(again.status).toBe(200);
    expect(again.body.delivery).toBe("wechat");
    const sent = w.fake.sends.filter(
      (s) => s.path === FAKE_WECHAT_PATHS.customSend && (s.body as Json).touser === openId,
    );
    expect(sent).toHaveLength(1);
  }, 120_000);
});

// --- a named console account and WeChat pushes, as the handoff inbox tests use them --------------------------------

type Browser = ConsoleSession;

const send = (b: Browser, method: string, path: string, body?: unknown) => sendAs(app, b, method, path, body);
const account = (name: string, username: string) => schoolOfficer(app, w.tenant, { name, username, schoolId: SCHOOL });

const TOKEN = "timeoutWebhookToken";
const APPID = "wx_test_app";
const peer = wechatPeer({ token: TOKEN, appId: APPID, mode: "plain" });
const webhook = new Hono();
webhook.onError(onError);
webhook.route(
  "/",
  wechatRoutes({ reply: defaultReply, settings: () => ({ token: TOKEN, appId: APPID }), budgetMs: () => 8000 }),
);
async function wechatSays(openId: string, text: string): Promise<string> {
  const push = peer.push(`/wechat/${w.tenant}`, peer.text(openId, text));
  const res = await webhook.request(push.url, {
    method: "POST",
    body: push.body,
    headers: { "content-type": "text/xml" },
  });
  return field(await res.text(), "Content") ?? "";
}
