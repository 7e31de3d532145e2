/**
 * Partial-batch processing: records handled at once up to the concurrency asked for (the delivery consumer asks
 * for its whole batch), one after the other without it, and every failed record reported by its id.
 */
import { z } from "zod";
import { describe, expect, test } from "vitest";
import { processBatch, type BatchRecord } from "../../../core/queue/batch.js";

const Job = z.object({ n: z.number() });
const records = (count: number): BatchRecord[] =>
  Array.from({ length: count }, (_, n) => ({
    messageId: `m${n}`,
    receiptHandle: `r${n}`,
    body: JSON.stringify({ n }),
    attributes: { ApproximateReceiveCount: "1" },
  }));

/** A handler that waits a turn of the event loop and records how many ran at once; job 3 fails. */
function tracking() {
  let now = 0;
  const seen = { max: 0, order: [] as number[] };
  const handle = async (job: { n: number }) => {
    now++;
    seen.max = Math.max(seen.max, now);
    await new Promise((r) => setImmediate(r));
    now--;
    seen.order.push(job.n);
    if (job.n === 3) throw new Error("storage unavailable");
  };
  return { seen, handle };
}

describe("processing a batch of queue records", () => {
  test("handles the records at once up to the concurrency given, and reports the failed one by id", async () => {
    const t = tracking();
    const out = await processBatch("delivery", records(10), Job, t.handle, { concurrency: 10 });
    expect(t.seen.max).toBe(10);
    expect(t.seen.order.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: "m3" }]);
  });

  test("without a concurrency, handles them one after the other in order", async () => {
    const t = tracking();
    const out = await processBatch("fanout", records(5), Job, t.handle);
    expect(t.seen.max).toBe(1);
    expect(t.seen.order).toEqual([0, 1, 2, 3, 4]);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: "m3" }]);
  });
});
