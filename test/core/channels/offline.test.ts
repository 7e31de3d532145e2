/**
 * The storage-free parts of answering while storage is down: the deadline and which answers storage must back.
 * The offline assistant itself is exercised end to end in test/functions/http/storage-faults.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { DeadlineExceeded, isPersonal, isStorageFault, withDeadline } from "../../../core/channels/offline.js";

describe("withDeadline", () => {
  it("gives the work's result when it comes in time", async () => {
    expect(await withDeadline(Promise.resolve("答案"), 1000)).toBe("答案");
  });

  it("passes the work's own failure through", async () => {
    await expect(withDeadline(Promise.reject(new Error("boom")), 1000)).rejects.toThrow("boom");
  });

  it("fails with DeadlineExceeded, a storage fault, when the work is late", async () => {
    const never = new Promise<string>(() => undefined);
    const err = await withDeadline(never, 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceeded);
    expect((err as Error).message).toBe("no answer within 5 ms");
    expect(isStorageFault(err)).toBe(true);
  });

  it("treats a negative budget as none left", async () => {
    const never = new Promise<string>(() => undefined);
    await expect(withDeadline(never, -100)).rejects.toBeInstanceOf(DeadlineExceeded);
  });
});

describe("isPersonal", () => {
  it("counts status, binding, unbinding and unsubscribing as answers storage must back", () => {
    for (const intent of ["status", "bind", "unbind", "unsubscribe"] as const)
      expect(isPersonal({ intent })).toBe(true);
  });

  it("counts a handoff as personal, except a crisis, whose answer must always go out", () => {
    expect(isPersonal({ intent: "handoff" })).toBe(true);
    expect(isPersonal({ intent: "handoff", flags: { crisis: true } } as never)).toBe(false);
  });

  it("does not count a policy answer as personal", () => {
    expect(isPersonal({ intent: "policy" } as never)).toBe(false);
  });
});
