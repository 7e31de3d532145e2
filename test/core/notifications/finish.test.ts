/**
 * The decision half of finishing an event: final counts from the notices, or not yet. Moving the event to done
 * (storage) is covered in test/functions/queues/event-finish.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { finalCounts } from "../../../core/notifications/finish.js";
import type { NotificationStatus } from "../../../core/notifications/records.js";

const row = (studentId: string, status: NotificationStatus) => ({ studentId, status });

describe("finalCounts", () => {
  it.each(["queued", "held", "sending"] as const)("is not ready while a notice is %s", (status) => {
    expect(finalCounts([row("s1", "delivered"), row("s2", status)])).toBeUndefined();
  });

  it("counts an event that had nobody to reach as done with zeros", () => {
    expect(finalCounts([])).toEqual({
      students: 0,
      reached: 0,
      sent: 0,
      delivered: 0,
      failed: 0,
      skipped: 0,
      unreachable: 0,
    });
  });

  it("counts notices by how they ended and students by whether any guardian was reached", () => {
    const counts = finalCounts([
      // s1: one guardian failed, the other got it → reached
      row("s1", "failed"),
      row("s1", "delivered"),
      // s2: sent (accepted, no final word yet) → reached
      row("s2", "sent"),
      // s3: nobody reached
      row("s3", "unreachable"),
      row("s3", "skipped"),
      // s4: failed only
      row("s4", "failed"),
    ]);
    expect(counts).toEqual({
      students: 4,
      reached: 2,
      sent: 1,
      delivered: 1,
      failed: 2,
      skipped: 1,
      unreachable: 1,
    });
  });

  it("does not let a later failure unmark a student already reached", () => {
    expect(finalCounts([row("s1", "delivered"), row("s1", "failed")])?.reached).toBe(1);
  });
});
