import { describe, expect, it } from "vitest";
import { chunks, mapLimit } from "../../core/concurrency.js";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("mapLimit", () => {
  it("keeps the order of the items even when later ones finish first", async () => {
    const out = await mapLimit([30, 10, 20, 0], 4, async (n, i) => {
      for (let k = 0; k < n; k++) await tick();
      return `${i}:${n}`;
    });
    expect(out).toEqual(["0:30", "1:10", "2:20", "3:0"]);
  });

  it("never has more than the limit in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    await mapLimit(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        await tick();
        inFlight--;
      },
    );
    expect(peak).toBe(3);
  });

  it("calls the function once per item with its index", async () => {
    const seen: number[] = [];
    await mapLimit(["a", "b", "c"], 2, async (_, i) => {
      seen.push(i);
    });
    expect(seen.sort()).toEqual([0, 1, 2]);
  });

  it("returns an empty list for no items without calling the function", async () => {
    let called = false;
    const out = await mapLimit([], 16, async () => {
      called = true;
    });
    expect(out).toEqual([]);
    expect(called).toBe(false);
  });

  it("rejects with the first failure", async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error("item 2 failed");
        return n;
      }),
    ).rejects.toThrow("item 2 failed");
  });
});

describe("chunks", () => {
  it("splits into full chunks and a shorter last one", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("gives exactly n/size chunks when the size divides the length (SQS batches of 10)", () => {
    const out = chunks(
      Array.from({ length: 30 }, (_, i) => i),
      10,
    );
    expect(out.map((c) => c.length)).toEqual([10, 10, 10]);
    expect(out.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it("gives no chunks for no items", () => {
    expect(chunks([], 25)).toEqual([]);
  });
});
