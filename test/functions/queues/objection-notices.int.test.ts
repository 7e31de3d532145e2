/**
 * The family is told when an objection is resolved, over HTTP with the queue workers running: each bound guardian
 * of that student gets exactly one private notice on their own channel (a WeChat template message, or the web-chat
 * inbox handed out with the next answer), in plain Chinese for each verdict; a retried or double-clicked resolve
 * sends nothing twice; no other family hears anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfig } from "../../../core/config.js";
import { objectionEventId } from "../../../core/actions/objections.js";
import { app } from "../../../functions/http/app.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import {
  TEMPLATES,
  addKids,
  api,
  notificationsOf,
  sendsByUser,
  settled,
  setupWorld,
  type Kid,
  type World,
} from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
/** upheld: one WeChat guardian + one web-chat guardian; dismissed: two WeChat guardians; bystander: never told. */
let upheld: Kid;
let dismissed: Kid;
let bystander: Kid;
let webSession: string;
const UPHELD_REASON = "经入户核实，家庭年收入超过认定标准";
const DISMISSED_REASON = "经核实为误传，维持资助";
const OBJECTION = "有村民反映家里新买了小轿车";

async function chat(text: string, session?: string) {
  const res = await app.request(`/chat/${w.tenant}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text, ...(session ? { session } : {}) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    session: string;
    replies: { text: string }[];
    inbox: { kind: string; text: string }[];
  };
}

async function object(kid: Kid) {
  const r = await api(w.schoolToken, "POST", `/api/applications/${kid.appId}/objections`, {
    from: "publicizing",
    reason: OBJECTION,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const resolve = (kid: Kid, result: "approved" | "rejected", reason: string) =>
  api(w.bureau, "POST", `/api/applications/${kid.appId}/objections/resolve`, { from: "objected", result, reason });

const openIds = (kid: Kid) => kid.users.filter((u) => u.startsWith("wechat:")).map((u) => u.slice("wechat:".length));

beforeAll(async () => {
  w = await setupWorld();
  const application = {
    programme: "compulsory_living",
    term: "2025-autumn",
    stage: "publicizing",
    amountFen: 62_500,
  } as const;
  const kids = await addKids(w.tenant, 3, { guardians: (i) => (i === 1 ? 2 : 1), application });
  [upheld, dismissed, bystander] = [kids[0]!, kids[1]!, kids[2]!];
  // The upheld child's second guardian uses the web chat, bound with the code the school printed.
  const code = await api(w.schoolToken, "POST", `/api/students/${upheld.id}/binding-codes`);
  expect(code.status, JSON.stringify(code.body)).toBe(201);
  const bound = await chat(`绑定码 ${code.body.code}`);
  expect(bound.replies.map((r) => r.text).join("")).toContain("绑定成功");
  webSession = bound.session;
  for (const kid of [upheld, dismissed, bystander]) await object(kid);
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
  resetConfig();
});

describe("an objection resolved: the family hears the verdict, once, privately", () => {
  it("upheld: each guardian gets one notice saying 未通过 and the bureau's reason, on WeChat and in the web chat", async () => {
    const r = await resolve(upheld, "rejected", UPHELD_REASON);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.application).toMatchObject({ stage: "rejected", stageLabel: "未通过" });
    expect(r.body.noticeId).toBe(objectionEventId(w.tenant, upheld.appId!));

    const report = await settled(w.bureau, r.body.noticeId);
    // Two guardians: the WeChat one (sent) and the web-chat one (delivered to the inbox).
    expect(report.counts).toMatchObject({ sent: 1, delivered: 1, failed: 0, unreachable: 0 });
    expect(report.event.kind).toBe("objection");

    const [openId] = openIds(upheld);
    const sends = sendsByUser(w.fake).get(openId!) ?? [];
    expect(sends).toHaveLength(1);
    expect(sends[0]!.template_id).toBe(TEMPLATES.broadcast);
    const fields = Object.values(sends[0]!.data).map((f) => f.value);
    expect(fields.join("|")).toMatch(
      /^测试县教育局\|[^|]+的申请复核未通过，回复查进度看原因\|\d{4}年\d{1,2}月\d{1,2}日$/,
    );
    for (const f of fields) expect([...f].length).toBeLessThanOrEqual(20);

    const next = await chat("你好", webSession);
    const notices = next.inbox.filter((i) => i.kind === "objection");
    expect(notices).toHaveLength(1);
    const text = notices[0]!.text;
    expect(text).toMatch(/^【异议复核结果】您的孩子.\*.+申请的义务教育家庭经济困难学生生活补助/);
    expect(text).toContain("结果是：申请未通过");
    expect(text).toContain(`原因：${UPHELD_REASON}`);
    expect(text).toContain("0000-1234567");
    // Only this family's own child, masked; never the objection itself, another family, or a staff code.
    expect(text).not.toContain(upheld.name);
    expect(text).not.toMatch(
      new RegExp(`${OBJECTION}|${dismissed.name}|${bystander.name}|${DISMISSED_REASON}|rejected|objected`),
    );
    // Read once: the next answer hands out nothing again.
    expect((await chat("谢谢", webSession)).inbox.filter((i) => i.kind === "objection")).toHaveLength(0);
  });

  it("dismissed: each of two WeChat guardians gets one notice saying the objection does not hold (公示无异议)", async () => {
    const r = await resolve(dismissed, "approved", DISMISSED_REASON);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.application).toMatchObject({ stage: "approved", stageLabel: "公示无异议" });
    const report = await settled(w.bureau, r.body.noticeId);
    expect(report.counts).toMatchObject({ sent: 2, failed: 0, unreachable: 0 });

    const byUser = sendsByUser(w.fake);
    const ids = openIds(dismissed);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const sends = byUser.get(id) ?? [];
      expect(sends).toHaveLength(1);
      expect(sends[0]!.data.thing2!.value).toMatch(/^.\*.?的异议不成立，公示无异议$/);
    }
    // One record per guardian of this child only, each sent.
    const records = await notificationsOf(w.tenant, r.body.noticeId);
    expect(records).toHaveLength(2);
    expect(records.every((n) => n.studentId === dismissed.id && n.status === "sent")).toBe(true);
  });

  it("a retried or double-clicked resolve is a 409 and sends nothing more; the bystander family hears nothing", async () => {
    const before = w.fake.sends.length;
    const again = await resolve(upheld, "rejected", UPHELD_REASON);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("stage_changed");

    // Two clicks at once on the last open objection: one moves it, the other is told it moved.
    const [a, b] = await Promise.all([
      resolve(bystander, "approved", DISMISSED_REASON),
      resolve(bystander, "approved", DISMISSED_REASON),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = a.status === 200 ? a : b;
    await settled(w.bureau, won.body.noticeId);
    const [bystanderOpenId] = openIds(bystander);
    expect(sendsByUser(w.fake).get(bystanderOpenId!) ?? []).toHaveLength(1);
    expect(await notificationsOf(w.tenant, won.body.noticeId)).toHaveLength(1);

    // Give the workers time to send anything a repeat might have queued: nothing more went out.
    await new Promise((r) => setTimeout(r, 1500));
    expect(w.fake.sends.length).toBe(before + 1);
    // Two guardians each, one notice each: the repeat added none.
    for (const kid of [upheld, dismissed])
      expect(await notificationsOf(w.tenant, objectionEventId(w.tenant, kid.appId!))).toHaveLength(2);
    // Nobody outside the three families was ever sent anything about an objection.
    const told = new Set(w.fake.sends.map((s) => (s.body as { touser: string }).touser));
    expect([...told].sort()).toEqual([...openIds(upheld), ...openIds(dismissed), ...openIds(bystander)].sort());
  });

  it("the bureau cannot skip the notice by a generic move out of 异议复核中", async () => {
    const [kid] = await addKids(w.tenant, 1, {
      guardians: () => 1,
      application: { programme: "compulsory_living", term: "2025-autumn", stage: "publicizing", amountFen: 62_500 },
    });
    await object(kid!);
    const r = await api(w.bureau, "POST", `/api/applications/${kid!.appId}/transitions`, {
      action: "move",
      from: "objected",
      to: "approved",
      reason: DISMISSED_REASON,
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("needs_resolve");
    expect(r.body.error.message).toContain("复核异议");
  });
});
