import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatusers from "../../../core/chatusers/index.js";
import { getEvent } from "../../../core/notifications/index.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { SCHOOL, addKids, api, waitFor, setupWorld, type Kid, type World } from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
let kids: Kid[];
const term = "2025-autumn";

beforeAll(async () => {
  w = await setupWorld();
  // Grade 3 class 1: kid 0 has no guardian, kid 1 two guardians, kid 2 reads the web chat, kid 3 sent 退订.
  kids = await addKids(w.tenant, 5, {
    guardians: (i) => (i === 0 ? 0 : i === 1 ? 2 : 1),
    web: (i) => i === 2,
    grade: () => "3",
    klass: () => "1",
    application: { programme: "compulsory_living", term, stage: "county_approved", amountFen: 62500 },
  });
  await chatusers.setBroadcasts(w.tenant, kids[3]!.users[0]!, false);
  // Grade 8 class 2: one student whom no guardian has linked.
  await addKids(w.tenant, 1, { guardians: () => 0, grade: () => "8", klass: () => "2" });
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
});

/** The event as stored — read directly, so the delivery report's own catch-up cannot be what finished it. */
async function finished(eventId: string) {
  return waitFor(
    async () => {
      const e = await getEvent(w.tenant, eventId);
      return e?.status === "done" || e?.finishedAt ? e : undefined;
    },
    30_000,
    `event ${eventId} to finish`,
  );
}

describe("every event ends in a final state once fan-out and delivery are through", () => {
  it("refuses a broadcast to a class that does not exist instead of sending to nobody", async () => {
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "9", class: "9" },
      text: "九年级九班家长会。",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("empty_audience");
    expect(res.body.error.message).toContain("「9」「9」没有学生");
  });

  it("finishes a broadcast that had nobody to reach, with its counts", async () => {
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "8", class: "2" },
      text: "八年级二班家长会。",
    });
    expect(res.status).toBe(201);
    const e = await finished(res.body.broadcast.id);
    expect(e.status).toBe("done");
    expect(e.counts).toEqual({ students: 1, reached: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, unreachable: 1 });
    const report = await api(w.schoolToken, "GET", `/api/events/${res.body.broadcast.id}/deliveries`);
    expect(report.body.event).toMatchObject({ status: "done", fanoutDone: true });
  });

  it("finishes a class broadcast with counts by student and by notice", async () => {
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "3", class: "1" },
      text: "周五家长会。",
      urgent: true,
    });
    const e = await finished(res.body.broadcast.id);
    expect(e.status).toBe("done");
    // kid 1: 2 sent; kid 2: web inbox; kid 3: 退订 (skipped); kid 4: sent; kid 0: nobody linked.
    expect(e.counts).toEqual({ students: 5, reached: 3, sent: 3, delivered: 1, failed: 0, skipped: 1, unreachable: 1 });
    const report = await api(w.schoolToken, "GET", `/api/events/${res.body.broadcast.id}/deliveries`);
    expect(report.body.event.status).toBe("done");
    expect(report.body.event.finishedAt).toBe(e.finishedAt);
  });

  it("finishes a 公示 list and a payment batch, and a closed list keeps its counts", async () => {
    const list = await api(w.bureau, "POST", "/api/lists", {
      programme: "compulsory_living",
      term,
      scope: { kind: "school", schoolId: SCHOOL },
      applicationIds: kids.map((k) => k.appId!),
      publicity: { start: "2025-11-01", end: "2025-11-07" },
      objectionContact: "向阳小学资助办 0000-1234567",
    });
    expect(list.status).toBe(201);
    const listEvent = await finished(list.body.list.id);
    // 公示 notices ignore 退订: kid 3's guardian is reached too.
    expect(listEvent.counts).toMatchObject({ students: 5, reached: 4, unreachable: 1, skipped: 0 });

    const closed = await api(w.bureau, "POST", `/api/lists/${list.body.list.id}/close`);
    expect(closed.status).toBe(200);
    const after = await getEvent(w.tenant, list.body.list.id);
    expect(after).toMatchObject({ status: "closed", counts: listEvent.counts, finishedAt: listEvent.finishedAt });

    const csv = [
      "batch_id,student_no,programme,term,amount,paid_date,account_last4",
      ...kids.map((k) => `B-FIN-1,${k.studentNo},compulsory_living,${term},625.00,2025-12-01,1234`),
    ].join("\n");
    const pay = await api(w.bureau, "POST", "/api/payments", { csv });
    expect(pay.status).toBe(201);
    const payEvent = await finished(pay.body.eventId);
    expect(payEvent.status).toBe("done");
    expect(payEvent.counts).toMatchObject({ students: 5, reached: 4, unreachable: 1 });
    // Two events' fan-outs (32 segments each) through two pollers: on a loaded machine this takes longer than the
    // default 30 s, though nothing is wrong (each wait above has its own bound).
  }, 120_000);
});
