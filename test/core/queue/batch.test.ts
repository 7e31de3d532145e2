/**
 * The storage-free paths of partial-batch processing: successes acknowledged, ordinary failures reported by id.
 * Moving poison records to the dead-letter queue and visibility back-off talk to SQS and are covered in
 * test/functions/queues/failures.int.test.ts. Records are handled at once up to the concurrency asked for (the delivery
 * consumer asks for its whole batch), one after the other without it.
 */
import { describe, expect, it, test } from "vitest";
import { z } from "zod";
import { backoffSeconds, type BatchRecord, processBatch } from "../../../core/queue/batch.js";

const Job = z.object({ n: z.number() });

function record(id: string, body: unknown, receiveCount = 1): BatchRecord {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  };
}

describe("processBatch", () => {
  it("acknowledges every record when all are handled", async () => {
    const seen: number[] = [];
    const out = await processBatch("delivery", [record("a", { n: 1 }), record("b", { n: 2 })], Job, async (job) => {
      seen.push(job.n);
    });
    expect(out).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([1, 2]);
  });

  it("reports only the records that failed, by message id, and still handles the rest", async () => {
    const seen: number[] = [];
    const out = await processBatch(
      "delivery",
      [record("a", { n: 1 }), record("b", { n: 2 }), record("c", { n: 3 }), record("d", { n: 4 })],
      Job,
      async (job) => {
        seen.push(job.n);
        if (job.n % 2 === 0) throw new Error(`job ${job.n} failed`);
      },
    );
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: "b" }, { itemIdentifier: "d" }]);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("gives the handler the parsed job, its receive count and its message id", async () => {
    const Coerced = z.object({ n: z.coerce.number() });
    const meta: unknown[] = [];
    await processBatch("inbound", [record("m1", { n: "7", extra: true }, 3)], Coerced, async (job, m) => {
      meta.push(job, m);
    });
    expect(meta).toEqual([{ n: 7 }, { receiveCount: 3, messageId: "m1" }]);
  });

  it("reads a missing receive count as the first delivery", async () => {
    const counts: number[] = [];
    const r = { ...record("x", { n: 1 }), attributes: { ApproximateReceiveCount: "" } };
    await processBatch("delivery", [r], Job, async (_, m) => {
      counts.push(m.receiveCount);
    });
    expect(counts).toEqual([1]);
  });

  it("accepts an empty batch", async () => {
    expect(await processBatch("fanout", [], Job, async () => undefined)).toEqual({ batchItemFailures: [] });
  });
});

describe("backoffSeconds", () => {
  it("grows fourfold from about 5 s, within 20 % jitter", () => {
    for (let i = 0; i < 50; i++) {
      expect(backoffSeconds(1)).toBeGreaterThanOrEqual(4);
      expect(backoffSeconds(1)).toBeLessThanOrEqual(6);
      expect(backoffSeconds(2)).toBeGreaterThanOrEqual(16);
      expect(backoffSeconds(2)).toBeLessThanOrEqual(24);
      expect(backoffSeconds(3)).toBeGreaterThanOrEqual(64);
      expect(backoffSeconds(3)).toBeLessThanOrEqual(96);
    }
  });

  it("is capped near 15 minutes however often a record came back", () => {
    for (const n of [5, 10, 100]) {
      expect(backoffSeconds(n)).toBeGreaterThanOrEqual(720);
      expect(backoffSeconds(n)).toBeLessThanOrEqual(1080);
    }
  });

  it("treats a receive count of zero as the first", () => {
    expect(backoffSeconds(0)).toBeLessThanOrEqual(6);
  });
});

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
