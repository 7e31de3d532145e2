import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatusers from "../../../core/chatusers/index.js";
import { resetConfig } from "../../../core/config.js";
import { releaseDue } from "../../../core/notifications/index.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as release } from "../../../functions/cron/release.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import {
  OTHER_SCHOOL,
  SCHOOL,
  TEMPLATES,
  addKids,
  api,
  sendsByUser,
  settled,
  setupWorld,
  type Kid,
  type World,
} from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
let classA: Kid[];
let classB: Kid[];

/** A quiet window around the current minute in Shanghai, so "now" is inside it. */
function quietAroundNow(): string {
  const [h, m] = new Date()
    .toLocaleTimeString("en-GB", { timeZone: "Asia/Shanghai", hour12: false })
    .split(":")
    .map(Number);
  const now = h! * 60 + m!;
  const fmt = (x: number) =>
    `${String(Math.floor(((x + 1440) % 1440) / 60)).padStart(2, "0")}:${String((x + 1440) % 60).padStart(2, "0")}`;
  return `${fmt(now - 60)}-${fmt(now + 60)}`;
}

beforeAll(async () => {
  w = await setupWorld();
  classA = await addKids(w.tenant, 6, { guardians: (i) => (i === 0 ? 0 : 1), grade: () => "5", klass: () => "1" });
  classB = await addKids(w.tenant, 4, { guardians: () => 1, grade: () => "5", klass: () => "2" });
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
  process.env.QUIET_HOURS = "";
  resetConfig();
});

const users = (kids: Kid[]) => kids.flatMap((k) => k.users);

describe("school broadcasts", () => {
  it("reaches one class only, skips the family that sent 退订, and reports who was not reached", async () => {
    const optedOut = classA[1]!.users[0]!;
    await chatusers.setBroadcasts(w.tenant, optedOut, false);
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "5", class: "1" },
      text: "本周五下午三点在学校礼堂召开家长会，请准时参加。",
    });
    expect(res.status).toBe(201);
    const report = await settled(w.schoolToken, res.body.broadcast.id);
    const expected = users(classA).filter((u) => u !== optedOut);
    expect(report.counts).toMatchObject({ sent: expected.length, skipped: 1, unreachable: 1 });
    const sends = sendsByUser(w.fake);
    for (const u of expected) expect(sends.get(u.slice(7))).toHaveLength(1);
    expect(sends.has(optedOut.slice(7))).toBe(false);
    for (const u of users(classB)) expect(sends.has(u.slice(7))).toBe(false);
    expect(sends.get(expected[0]!.slice(7))?.[0]?.template_id).toBe(TEMPLATES.broadcast);
    expect(report.unreached.students.map((s: { reason: string }) => s.reason).sort()).toEqual([
      "no_guardian",
      "unsubscribed",
    ]);
    await chatusers.setBroadcasts(w.tenant, optedOut, true);
  });

  it("answers 404 for a school outside the token's scope, the same as a missing one", async () => {
    const other = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: OTHER_SCHOOL },
      text: "通知",
    });
    const missing = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: "no-such-school" },
      text: "通知",
    });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body.error.message).toBe(missing.body.error.message);
  });

  it("sends once for a retried request with the same Idempotency-Key", async () => {
    const before = w.fake.sends.length;
    const body = { audience: { schoolId: SCHOOL, grade: "5", class: "2" }, text: "明天放假一天。", urgent: true };
    const first = await api(w.schoolToken, "POST", "/api/broadcasts", body, {
      "idempotency-key": "req-2025-11-20-001",
    });
    const second = await api(w.schoolToken, "POST", "/api/broadcasts", body, {
      "idempotency-key": "req-2025-11-20-001",
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.broadcast.id).toBe(first.body.broadcast.id);
    await settled(w.schoolToken, first.body.broadcast.id);
    await runner.idle();
    expect(w.fake.sends.length - before).toBe(users(classB).length);
  });

  it("refuses an Idempotency-Key reused with other content (422, in Chinese) and sends nothing for it", async () => {
    const before = w.fake.sends.length;
    const body = { audience: { schoolId: SCHOOL, grade: "5", class: "2" }, text: "周五下午家长会。", urgent: true };
    const [a, b] = await Promise.all([
      api(w.schoolToken, "POST", "/api/broadcasts", body, { "idempotency-key": "req-2025-11-20-002" }),
      api(
        w.schoolToken,
        "POST",
        "/api/broadcasts",
        { ...body, text: "周五下午家长会。" },
        { "idempotency-key": "req-2025-11-20-002" },
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(b.body.broadcast.id).toBe(a.body.broadcast.id);
    const changed = await api(
      w.schoolToken,
      "POST",
      "/api/broadcasts",
      { ...body, text: "周六上午家长会。" },
      { "idempotency-key": "req-2025-11-20-002" },
    );
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe("idempotency_key_reused");
    expect(changed.body.error.message).toMatch(/Idempotency-Key 已用于另一个内容不同的请求/);
    const otherClass = await api(
      w.schoolToken,
      "POST",
      "/api/broadcasts",
      { ...body, audience: { schoolId: SCHOOL, grade: "5" } },
      { "idempotency-key": "req-2025-11-20-002" },
    );
    expect(otherClass.status).toBe(422);
    await settled(w.schoolToken, a.body.broadcast.id);
    await runner.idle();
    expect(w.fake.sends.length - before).toBe(users(classB).length);
  });

  it("waits for its send time and is started by the release job", async () => {
    const sendAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "5", class: "2" },
      text: "下周一开学典礼。",
      urgent: true,
      sendAt,
    });
    expect(res.body.broadcast).toMatchObject({ status: "scheduled", sendAt });
    const before = w.fake.sends.length;
    expect((await releaseDue({ tenants: [w.tenant] })).events).toBe(0);
    await runner.idle();
    expect(w.fake.sends.length).toBe(before);

    const out = await releaseDue({ now: new Date(Date.now() + 11 * 60_000), tenants: [w.tenant] });
    expect(out.events).toBe(1);
    await settled(w.schoolToken, res.body.broadcast.id);
    expect(w.fake.sends.length - before).toBe(users(classB).length);
  });
});

describe("quiet hours", () => {
  it("hold non-urgent notices until morning, let urgent ones through, and the release job sends the held ones", async () => {
    process.env.QUIET_HOURS = quietAroundNow();
    resetConfig();
    const before = w.fake.sends.length;
    const calm = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "5", class: "2" },
      text: "请家长查看期中成绩。",
    });
    const urgent = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "5", class: "2" },
      text: "暴雨停课通知。",
      urgent: true,
    });
    const held = await settled(w.schoolToken, calm.body.broadcast.id, 30_000, ["held"]);
    expect(held.counts).toMatchObject({ held: users(classB).length, sent: 0 });
    await settled(w.schoolToken, urgent.body.broadcast.id);
    expect(w.fake.sends.length - before).toBe(users(classB).length);

    // A run before the window ends releases nothing.
    expect((await release()).notifications).toBe(0);

    // Morning: the window is over and the job runs.
    process.env.QUIET_HOURS = "";
    resetConfig();
    const out = await releaseDue({ now: new Date(Date.now() + 2 * 3600_000), tenants: [w.tenant] });
    expect(out.notifications).toBe(users(classB).length);
    const report = await settled(w.schoolToken, calm.body.broadcast.id);
    expect(report.counts).toMatchObject({ held: 0, sent: users(classB).length });
    expect(w.fake.sends.length - before).toBe(2 * users(classB).length);
    const sends = sendsByUser(w.fake);
    for (const u of users(classB))
      expect(sends.get(u.slice(7))?.filter((m) => m.data.thing2?.value.startsWith("请家长"))).toHaveLength(1);
  });
});
