/**
 * The handoff inbox through the HTTP API: a family's 人工 (web chat, and WeChat through the webhook) opens a
 * request the child's school sees — masked, crisis first; a named account claims it, the bot then stays quiet
 * (except for a crisis), the reply reaches the family (web chat inbox; WeChat customer-service message inside
 * 48 hours, held for the next message outside them, with a template nudge), the request closes with a note, and
 * every step is in the audit trail. Unclaimed requests turn overdue, then escalated.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { Hono } from "hono";
import { app } from "../../../../functions/http/app.js";
import { onError } from "../../../../functions/http/errors.js";
import { wechatRoutes } from "../../../../functions/http/wechat.js";
import { defaultReply } from "../../../../core/channels/reply.js";
import { type ConsoleSession, type Json, schoolOfficer, sendAs } from "../../../support/console-session.js";
import * as audit from "../../../../core/audit/index.js";
import * as handoffs from "../../../../core/families/handoffs.js";
import * as students from "../../../../core/students/index.js";
import { containsUnmaskedPersonalData, maskName } from "../../../../core/mask.js";
import { FAKE_WECHAT_PATHS } from "../../../fakes/wechat-api.js";
import { wechatPeer, field } from "../../../core/channels/wechat/peer.js";
import {
  OTHER_SCHOOL,
  SCHOOL,
  TEMPLATES,
  addKids,
  api,
  setupWorld,
  type Kid,
  type World,
} from "../../queues/support.js";

type Browser = ConsoleSession;

let w: Omit<World, "kids">;
let kids: Kid[];
let li: Browser;
let wang: Browser;
let ip = 0;

const send = (b: Browser, method: string, path: string, body?: unknown) => sendAs(app, b, method, path, body);
const account = (name: string, username: string) => schoolOfficer(app, w.tenant, { name, username, schoolId: SCHOOL });

/** One web-chat message from its own client address (the per-address limits stay out of the way). */
async function say(text: string, session?: string) {
  const res = await app.request(
    `/chat/${w.tenant}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, ...(session ? { session } : {}) }),
    },
    { incoming: { socket: { remoteAddress: `198.51.100.${++ip}` } } },
  );
  const body = (await res.json()) as Json;
  return {
    session: body.session as string,
    text: ((body.replies ?? []) as Json[]).map((r) => r.text).join("\n"),
    inbox: ((body.inbox ?? []) as Json[]).map((n) => n.text as string),
  };
}

const TOKEN = "handoffWebhookToken";
const APPID = "wx_test_app";
const peer = wechatPeer({ token: TOKEN, appId: APPID, mode: "plain" });
const webhook = new Hono();
webhook.onError(onError);
webhook.route(
  "/",
  wechatRoutes({ reply: defaultReply, settings: () => ({ token: TOKEN, appId: APPID }), budgetMs: () => 8000 }),
);
/** A WeChat user's text through the webhook; the passive reply's text. */
async function wechatSays(openId: string, text: string): Promise<string> {
  const push = peer.push(`/wechat/${w.tenant}`, peer.text(openId, text));
  const res = await webhook.request(push.url, {
    method: "POST",
    body: push.body,
    headers: { "content-type": "text/xml" },
  });
  return field(await res.text(), "Content") ?? "";
}

const customSends = (openId: string) =>
  w.fake.sends.filter((s) => s.path === FAKE_WECHAT_PATHS.customSend && (s.body as Json).touser === openId);

beforeAll(async () => {
  w = await setupWorld();
  // kid 0: the family binds in the web chat during the test; kid 1: a WeChat guardian; kid 2: the other school's.
  const { student } = await students.upsert(w.tenant, {
    studentNo: "G510000201601017788",
    name: "赵小雨",
    schoolId: SCHOOL,
    grade: "3",
    class: "2",
    guardians: [{ name: "家长", relation: "母亲", phone: "13800001234" }],
  });
  kids = [{ id: student.id, name: "赵小雨", studentNo: "G510000201601017788", grade: "3", class: "2", users: [] }];
  kids.push(...(await addKids(w.tenant, 1, { guardians: () => 1 })));
  kids.push(...(await addKids(w.tenant, 1, { guardians: () => 1, schoolId: OTHER_SCHOOL })));
  li = await account("李老师", "lihf");
  wang = await account("王老师", "wanghf");
  // Warm the assistant (segmenter, index) outside the webhook's budget.
  await defaultReply({ tenant: w.tenant, userKey: "web:warm", channel: "web", text: "小学住校一年补多少" });
}, 120_000);

describe("the handoff inbox answers parents", () => {
  test("a web-chat 人工: masked in the school's inbox, claimed, bot quiet but crisis answered, reply in the chat, closed, audited", async () => {
    const k = kids[0]!;
    const bound = await say(`绑定 ${k.name} ${k.studentNo} 1234`);
    expect(bound.text).toContain("绑定");
    const s = bound.session;
    const asked = await say("我要找人工，电话 139 1234 5678，身份证 510722201001011234", s);
    expect(asked.text).toContain("转人工");

    const inbox = await send(li, "GET", "/api/handoffs/inbox");
    expect(inbox.status).toBe(200);
    expect(inbox.body.items).toHaveLength(1);
    const item = inbox.body.items[0];
    expect(item).toMatchObject({ status: "open", crisis: false, channel: "web", overdue: false, windowOpen: true });
    expect(item.children).toEqual([{ name: maskName(k.name), schoolId: SCHOOL }]);
    expect(containsUnmaskedPersonalData(JSON.stringify(inbox.body))).toBe(false);
    expect(JSON.stringify(inbox.body)).not.toContain("web:");
    const id = item.id as string;

    // The other school neither lists nor opens it; a token is no person to own it; no reply before a claim.
    expect((await api(w.otherSchoolToken, "GET", "/api/handoffs/inbox")).body.items).toEqual([]);
    expect((await api(w.otherSchoolToken, "GET", `/api/handoffs/${id}`)).status).toBe(404);
    const byToken = await api(w.schoolToken, "POST", `/api/handoffs/${id}/claim`);
    expect(byToken.status).toBe(403);
    expect(byToken.body.error.code).toBe("named_account_only");
    const early = await send(li, "POST", `/api/handoffs/${id}/reply`, { text: "您好" });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("handoff_not_claimed");

    const claimed = await send(li, "POST", `/api/handoffs/${id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.status).toBe("claimed");
    expect(claimed.body.owner.name).toContain("李老师");
    const taken = await send(wang, "POST", `/api/handoffs/${id}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain("李老师");

    // Owned: a policy question gets "a person is handling it", not the bot's answer; a crisis still gets the lines.
    const policy = await say("小学住校一年补多少钱", s);
    expect(policy.text).toContain("李老师");
    expect(policy.text).toContain("在处理");
    expect(policy.text).not.toMatch(/1250|元/);
    const crisis = await say("孩子在学校被人打了，现在流了很多血", s);
    expect(crisis.text).toContain("120");

    const replied = await send(li, "POST", `/api/handoffs/${id}/reply`, {
      text: "您好，寄宿生生活补助下周发放，到账后会通知您。",
    });
    expect(replied.status).toBe(200);
    expect(replied.body.delivery).toBe("web");
    const wrongOwner = await send(wang, "POST", `/api/handoffs/${id}/reply`, { text: "我来回" });
    expect(wrongOwner.status).toBe(409);
    const next = await say("好的谢谢", s);
    expect(next.inbox.join("\n")).toContain("寄宿生生活补助下周发放");
    expect(next.inbox.join("\n")).toContain("李老师");

    // The conversation staff read: masked, in order, with who replied; the crisis turn marked the request.
    const detail = await send(li, "GET", `/api/handoffs/${id}`);
    expect(detail.body.crisis).toBe(true);
    const thread = detail.body.thread as Json[];
    expect(thread[0]).toMatchObject({ from: "parent" });
    expect(thread[0]!.text).toContain("〔电话已隐去〕");
    const askedAt = thread.findIndex((e) => e.text === "小学住校一年补多少钱");
    expect(thread[askedAt]!.from).toBe("parent");
    expect(thread[askedAt + 1]).toMatchObject({ from: "bot" });
    expect(thread[askedAt + 1]!.text).toContain("在处理");
    const staffLine = thread.find((e) => e.from === "staff")!;
    expect(staffLine).toMatchObject({ delivery: "web", text: "您好，寄宿生生活补助下周发放，到账后会通知您。" });
    expect(staffLine.by).toContain("李老师");
    expect(thread.at(-2)).toMatchObject({ from: "parent", text: "好的谢谢" });
    expect(containsUnmaskedPersonalData(JSON.stringify(detail.body))).toBe(false);

    const noNote = await send(li, "POST", `/api/handoffs/${id}/close`, { note: "" });
    expect(noNote.status).toBe(400);
    const closed = await send(li, "POST", `/api/handoffs/${id}/close`, { note: "已电话说明发放时间" });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: "closed", closeNote: "已电话说明发放时间" });
    expect((await send(li, "GET", "/api/handoffs/inbox")).body.items).toEqual([]);
    // Closed: the bot answers the family again.
    expect((await say("小学住校一年补多少钱", s)).text).toMatch(/元/);

    const trail = await audit.trail(w.tenant, id);
    expect(trail.map((a) => a.action)).toEqual(["handoff_claimed", "handoff_reply", "handoff_closed"]);
    expect(trail.every((a) => a.actor.name?.includes("李老师"))).toBe(true);
    expect(trail[1]!.reason).toContain("网页聊天");
    expect(JSON.stringify(trail)).not.toContain("寄宿生生活补助下周发放");
  });

  test("WeChat: a customer-service message inside 48 hours; outside them the reply waits for the next message, with a template nudge", async () => {
    const openId = kids[1]!.users[0]!.slice("wechat:".length);
    expect(await wechatSays(openId, "人工")).toContain("转人工");
    const id = ((await send(li, "GET", "/api/handoffs/inbox")).body.items as Json[]).find(
      (i) => i.channel === "wechat",
    )!.id as string;
    expect((await send(li, "POST", `/api/handoffs/${id}/claim`)).status).toBe(200);
    const replied = await send(li, "POST", `/api/handoffs/${id}/reply`, { text: "您好，我是向阳小学李老师，请讲。" });
    expect(replied.body.delivery).toBe("wechat");
    const sent = customSends(openId);
    expect(sent).toHaveLength(1);
    expect((sent[0]!.body as Json).text.content).toContain("我是向阳小学李老师");
    // A double click (two identical POSTs at once) sends the next reply once; the other answer says so.
    const twice = await Promise.all(
      [1, 2].map(() => send(li, "POST", `/api/handoffs/${id}/reply`, { text: "材料带户口本就行。" })),
    );
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    expect(twice.map((r) => r.body.delivery).sort()).toEqual(["duplicate", "wechat"]);
    expect(customSends(openId).filter((m) => (m.body as Json).text.content.includes("户口本"))).toHaveLength(1);
    expect(await wechatSays(openId, "补助什么时候发")).toContain("在处理");
    expect((await send(li, "POST", `/api/handoffs/${id}/close`, { note: "已答复" })).status).toBe(200);

    // A request whose family last wrote three days ago: WeChat no longer takes a customer-service message.
    const late = await handoffs.record(
      w.tenant,
      kids[1]!.users[0]!,
      "人工",
      [{ name: "王*明", schoolId: SCHOOL }],
      new Date(Date.now() - 72 * 3600_000),
    );
    expect((await send(li, "POST", `/api/handoffs/${late.id}/claim`)).status).toBe(200);
    const detail = await send(li, "GET", `/api/handoffs/${late.id}`);
    expect(detail.body.windowOpen).toBe(false);
    const sentBefore = customSends(openId).length;
    const held = await send(li, "POST", `/api/handoffs/${late.id}/reply`, { text: "补助已于本周发放。" });
    expect(held.status).toBe(200);
    expect(held.body.delivery).toBe("pending");
    expect(held.body.message).toContain("48 小时");
    expect(customSends(openId)).toHaveLength(sentBefore);
    const nudged = await send(li, "POST", `/api/handoffs/${late.id}/nudge`);
    expect(nudged.status).toBe(200);
    const template = w.fake.sends.filter(
      (s) => s.path !== FAKE_WECHAT_PATHS.customSend && (s.body as Json).touser === openId,
    );
    expect((template.at(-1)!.body as Json).template_id).toBe(TEMPLATES.broadcast);
    // The family writes again: the held reply comes with the answer, once.
    const back = await wechatSays(openId, "在吗");
    expect(back).toContain("补助已于本周发放");
    expect(await wechatSays(openId, "好的")).not.toContain("补助已于本周发放");
    const trail = await audit.trail(w.tenant, late.id);
    expect(trail.map((a) => a.action)).toEqual(["handoff_claimed", "handoff_reply", "handoff_nudged"]);
    expect((await send(li, "POST", `/api/handoffs/${late.id}/close`, { note: "家长已看到" })).status).toBe(200);
  });

  test("unclaimed requests turn overdue, then escalated (the bureau sees them); a crisis is listed first", async () => {
    const userKey = (n: number) => `wechat:overdue_${w.tenant}_${n}`;
    const child = [{ name: "张*涵", schoolId: SCHOOL }];
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const fresh = await handoffs.record(w.tenant, userKey(1), "人工", child, minutesAgo(5));
    const overdue = await handoffs.record(w.tenant, userKey(2), "人工", child, minutesAgo(150));
    const escalated = await handoffs.record(w.tenant, userKey(3), "人工", child, minutesAgo(300));
    const crisis = await handoffs.record(w.tenant, userKey(4), "不想活了", child, minutesAgo(1));
    await handoffs.markCrisis(w.tenant, userKey(4));
    const unbound = await handoffs.record(w.tenant, userKey(5), "人工", [], minutesAgo(1));

    const school = await send(li, "GET", "/api/handoffs/inbox");
    expect(school.body.overdueMinutes).toBe(120);
    const ids = (school.body.items as Json[]).map((i) => i.id);
    expect(ids).toEqual([crisis.id, escalated.id, overdue.id, fresh.id]);
    const byId = new Map((school.body.items as Json[]).map((i) => [i.id, i]));
    expect(byId.get(crisis.id)).toMatchObject({ crisis: true, overdue: false });
    expect(byId.get(escalated.id)).toMatchObject({ overdue: true, escalated: true });
    expect(byId.get(overdue.id)).toMatchObject({ overdue: true, escalated: false });
    expect(byId.get(fresh.id)).toMatchObject({ overdue: false });
    expect(school.body.counts).toMatchObject({ open: 4, overdue: 2, escalated: 1, crisis: 1 });

    // The county centre sees the school's escalated request, and the families with no bound child.
    const bureau = await api(w.bureau, "GET", "/api/handoffs/inbox");
    const bureauIds = (bureau.body.items as Json[]).map((i) => i.id);
    expect(bureauIds).toContain(escalated.id);
    expect(bureauIds).toContain(unbound.id);
    expect(bureau.body.counts.escalated).toBe(1);
  });
});
