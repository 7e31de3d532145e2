/**
 * What the payments page reads while a batch's confirmations go out: GET /api/events/{id}/deliveries, polled until
 * the event is done. Its students reached and not reached add up, and agree with the final counts the event keeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEvent } from "../../../core/notifications/events.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { addKids, api, setupWorld, waitFor, type Kid, type World } from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
let kids: Kid[];
const term = "2025-autumn";

beforeAll(async () => {
  w = await setupWorld();
  // 8 approved: #0 and #1 have no guardian; #2 reads the web chat; the others WeChat.
  kids = await addKids(w.tenant, 8, {
    guardians: (i) => (i < 2 ? 0 : 1),
    web: (i) => i === 2,
    application: { programme: "compulsory_living", term, stage: "approved", amountFen: 62500 },
  });
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
});

describe("a payment batch's progress, as the payments page reads it", () => {
  it("counts students reached and not reached until done, and ends where the event's final counts do", async () => {
    const csv = [
      "batch_id,student_no,programme,term,amount,paid_date,account_last4",
      ...kids.map((k) =>
        ["P2025-12", k.studentNo, "compulsory_living", term, "625.00", "2025-12-01", "0042"].join(","),
      ),
    ].join("\n");
    const up = await api(w.bureau, "POST", "/api/payments", csv);
    expect(up.status).toBe(201);
    const eventId = up.body.eventId as string;

    const seen: { reached: number; unreached: number; status: string }[] = [];
    const final = await waitFor(
      async () => {
        const r = await api(w.bureau, "GET", `/api/events/${eventId}/deliveries`);
        expect(r.status).toBe(200);
        seen.push({ reached: r.body.reached, unreached: r.body.unreached.total, status: r.body.event.status });
        // Never more reached and unreached than there are students.
        expect(r.body.reached + r.body.unreached.total).toBeLessThanOrEqual(r.body.students);
        return r.body.event.status === "done" ? r.body : undefined;
      },
      60_000,
      "the batch to finish",
    );
    expect(final.students).toBe(8);
    expect(final.reached).toBe(6);
    expect(final.unreached.total).toBe(2);
    expect(final.counts.queued + final.counts.held).toBe(0);
    // The progress never went backwards.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.reached).toBeGreaterThanOrEqual(seen[i - 1]!.reached);

    const event = await getEvent(w.tenant, eventId);
    expect(event?.counts).toMatchObject({ students: 8, reached: 6 });

    // A school cannot read the bureau's batch.
    const school = await api(w.schoolToken, "GET", `/api/events/${eventId}/deliveries`);
    expect(school.status).toBe(404);
  });
});
