/**
 * Binding attempt limits, against the in-memory table (test/support/fake-table.ts) and a fake clock: the budgets and
 * their windows written out as numbers here (5 a day per chat user, 30 a day per client address, 600 an hour of codes
 * per county), a refund giving back exactly one, and the per-student count that never refuses. The same verbs run
 * against DynamoDB Local through test/core/families/binding.int.test.ts and test/functions/http/binding-abuse.int.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { charge, countStudentAttempt, refund } from "../../../core/families/limits.js";
import { fakeTable, type FakeTable } from "../../support/fake-table.js";

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const start = T0 / 1000;
const HOUR = 3600;
const DAY = 24 * HOUR;
let table: FakeTable;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  table = fakeTable();
});
afterEach(() => {
  table.restore();
  vi.useRealTimers();
});

const at = (seconds: number) => vi.setSystemTime((start + seconds) * 1000);

async function chargeTimes(n: number, kind: "user" | "client" | "tenantCodes", id: string) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await charge("demo", kind, id));
  return out;
}

describe("charge", () => {
  it("gives a chat user five attempts a day, counting down 4, 3, 2, 1, 0, then locks until a day after the first", async () => {
    const five = await chargeTimes(5, "user", "web:u1");
    expect(five).toEqual([
      { ok: true, used: 1, left: 4 },
      { ok: true, used: 2, left: 3 },
      { ok: true, used: 3, left: 2 },
      { ok: true, used: 4, left: 1 },
      { ok: true, used: 5, left: 0 },
    ]);
    at(HOUR);
    expect(await charge("demo", "user", "web:u1")).toEqual({ ok: false, until: start + DAY });
  });

  it("keeps the lock for the whole 24 hours and opens a fresh window the second they are over", async () => {
    await chargeTimes(5, "user", "web:u1");
    at(DAY - 1);
    expect(await charge("demo", "user", "web:u1")).toEqual({ ok: false, until: start + DAY });
    at(DAY);
    expect(await charge("demo", "user", "web:u1")).toEqual({ ok: true, used: 1, left: 4 });
    at(DAY + 1);
    expect(await charge("demo", "user", "web:u1")).toEqual({ ok: true, used: 2, left: 3 });
  });

  it("gives one client address thirty attempts a day, then locks it for 24 hours", async () => {
    const thirty = await chargeTimes(30, "client", "203.0.113.7");
    expect(thirty.map((c) => (c.ok ? c.left : -1))).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
    expect(await charge("demo", "client", "203.0.113.7")).toEqual({ ok: false, until: start + DAY });
    at(DAY);
    expect(await charge("demo", "client", "203.0.113.7")).toEqual({ ok: true, used: 1, left: 29 });
  });

  it("gives a county six hundred failed codes an hour, then locks codes until the hour is over", async () => {
    const all = await chargeTimes(600, "tenantCodes", "demo");
    expect(all.every((c) => c.ok)).toBe(true);
    expect(all.at(-1)).toEqual({ ok: true, used: 600, left: 0 });
    expect(await charge("demo", "tenantCodes", "demo")).toEqual({ ok: false, until: start + HOUR });
    at(HOUR);
    expect(await charge("demo", "tenantCodes", "demo")).toEqual({ ok: true, used: 1, left: 599 });
  });

  it("keeps each chat user's, each address's and each county's budget apart", async () => {
    await chargeTimes(5, "user", "web:u1");
    expect(await charge("demo", "user", "web:u2")).toEqual({ ok: true, used: 1, left: 4 });
    expect(await charge("other", "user", "web:u1")).toEqual({ ok: true, used: 1, left: 4 });
    expect(await charge("demo", "client", "web:u1")).toEqual({ ok: true, used: 1, left: 29 });
    expect(await charge("demo", "tenantCodes", "demo")).toEqual({ ok: true, used: 1, left: 599 });
  });

  it("stores a client address only as a hash, and each subject under its own key", async () => {
    await charge("demo", "client", "203.0.113.7");
    await charge("demo", "user", "web:u1");
    await charge("demo", "tenantCodes", "demo");
    const pks = [...table.items.values()].map((i) => String(i.pk));
    expect(pks.some((pk) => pk.includes("203.0.113.7"))).toBe(false);
    expect(pks).toHaveLength(3);
    expect(pks.filter((pk) => pk.includes("#LIMIT#CLI#"))).toHaveLength(1);
    expect(pks.filter((pk) => pk.endsWith("#LIMIT#USR#web:u1"))).toHaveLength(1);
    expect(pks.filter((pk) => pk.endsWith("#LIMIT#CODES"))).toHaveLength(1);
    expect([...table.items.values()].map((i) => i.sk).sort()).toEqual(["BIND#1h", "BIND#24h", "BIND#24h"]);
    expect([...table.items.values()].map((i) => i.type)).toEqual(["limit", "limit", "limit"]);
  });

  it("treats a counter that parallel writers keep changing under it as locked for a minute", async () => {
    // Each time this attempt looks, another writer has just expired or reopened the window.
    table.beforeSend = (operation, input) => {
      if (!input.Key && !input.Item) return;
      const key = input.Key ?? { pk: input.Item.pk, sk: input.Item.sk };
      const now = Date.now() / 1000;
      if (operation === "UpdateCommand") table.put({ ...key, type: "limit", count: 1, expiresAt: now - 1 });
      if (operation === "PutCommand") table.put({ ...key, type: "limit", count: 1, expiresAt: now + 100 });
    };
    expect(await charge("demo", "user", "web:u1")).toEqual({ ok: false, until: start + 60 });
    expect(table.sent.filter((s) => s === "UpdateCommand")).toHaveLength(3);
  });

  it("does not lock a user when a refund lands between its write and its read", async () => {
    await chargeTimes(4, "user", "web:u1");
    let step = 0;
    table.beforeSend = (operation, input) => {
      if (!input.Key) return;
      const item = table.get(input.Key);
      if (!item) return;
      // The fifth attempt of a parallel message takes the last try; then this one's refund gives it back.
      if (operation === "UpdateCommand" && step++ === 0) item.count = 5;
      if (operation === "GetCommand") item.count = 4;
    };
    expect(await charge("demo", "user", "web:u1")).toEqual({ ok: true, used: 5, left: 0 });
  });
});

describe("a storage fault", () => {
  const throttled = () =>
    Object.assign(new Error("Rate of requests exceeds the allowed throughput"), {
      name: "ProvisionedThroughputExceededException",
    });

  it("is passed on by every verb, never taken for a spent budget or a fresh window", async () => {
    await charge("demo", "user", "web:u1");
    await countStudentAttempt("demo", "stu_0000000000000001");
    for (const operation of ["UpdateCommand", "PutCommand"]) {
      table.beforeSend = (op) => {
        if (op === operation) throw throttled();
      };
      // A fresh subject reaches the put; an existing one the update.
      const subject = operation === "PutCommand" ? "web:new" : "web:u1";
      await expect(charge("demo", "user", subject)).rejects.toThrow("Rate of requests");
      const student = operation === "PutCommand" ? "stu_0000000000000002" : "stu_0000000000000001";
      await expect(countStudentAttempt("demo", student)).rejects.toThrow("Rate of requests");
    }
    table.beforeSend = (op) => {
      if (op === "UpdateCommand") throw throttled();
    };
    await expect(refund("demo", "user", "web:u1")).rejects.toThrow("Rate of requests");
  });
});

describe("refund", () => {
  it("gives back exactly one attempt", async () => {
    await chargeTimes(5, "user", "web:u1");
    await refund("demo", "user", "web:u1");
    expect(await charge("demo", "user", "web:u1")).toEqual({ ok: true, used: 5, left: 0 });
    expect((await charge("demo", "user", "web:u1")).ok).toBe(false);
  });

  it("never counts below zero and never creates a counter", async () => {
    await refund("demo", "user", "web:nobody");
    expect(table.items.size).toBe(0);
    await charge("demo", "user", "web:u1");
    await refund("demo", "user", "web:u1");
    await refund("demo", "user", "web:u1");
    expect([...table.items.values()].map((i) => i.count)).toEqual([0]);
  });

  it("gives back to the student's count as well", async () => {
    await countStudentAttempt("demo", "stu_0000000000000001");
    await countStudentAttempt("demo", "stu_0000000000000001");
    await refund("demo", "student", "stu_0000000000000001");
    expect(await countStudentAttempt("demo", "stu_0000000000000001")).toBe(2);
  });
});

describe("countStudentAttempt", () => {
  it("counts every attempt on a student and never refuses, however many", async () => {
    const counts = [];
    for (let i = 0; i < 15; i++) counts.push(await countStudentAttempt("demo", "stu_0000000000000001"));
    expect(counts).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(await countStudentAttempt("demo", "stu_0000000000000002")).toBe(1);
  });

  it("starts again at 1 when 24 hours have passed since the first attempt", async () => {
    await countStudentAttempt("demo", "stu_0000000000000001");
    at(DAY - 1);
    expect(await countStudentAttempt("demo", "stu_0000000000000001")).toBe(2);
    at(DAY);
    expect(await countStudentAttempt("demo", "stu_0000000000000001")).toBe(1);
    expect([...table.items.values()].map((i) => [i.type, i.sk, i.expiresAt])).toEqual([
      ["limit", "BIND#24h", start + 2 * DAY],
    ]);
  });

  it("answers past the threshold when parallel writers keep changing the count under it", async () => {
    table.beforeSend = (operation, input) => {
      const key = input.Key ?? (input.Item ? { pk: input.Item.pk, sk: input.Item.sk } : undefined);
      if (!key) return;
      const now = Date.now() / 1000;
      if (operation === "UpdateCommand") table.put({ ...key, type: "limit", count: 1, expiresAt: now - 1 });
      if (operation === "PutCommand") table.put({ ...key, type: "limit", count: 1, expiresAt: now + 100 });
    };
    expect(await countStudentAttempt("demo", "stu_0000000000000001")).toBe(11);
    expect(table.sent.filter((s) => s === "UpdateCommand")).toHaveLength(3);
  });
});
