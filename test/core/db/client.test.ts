/**
 * The storage-free helpers of the DynamoDB module: expiry, the put-if-absent-or-expired condition, page cursors and
 * stripping keys. The calls themselves (getItem, queryPage, transact, batchPut…) run against DynamoDB Local in every
 * integration test; their faults in test/functions/http/storage-faults.int.test.ts.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  absentOrExpired,
  decodeCursor,
  encodeCursor,
  expiresIn,
  ddb,
  isExpired,
  isTransactionConflict,
  nowSeconds,
  transact,
  TTL,
  withoutKeys,
} from "../../../core/db/client.js";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const cancelled = (...codes: string[]) =>
  Object.assign(new Error("cancelled"), {
    name: "TransactionCanceledException",
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe("transactions that collide on a shared item", () => {
  it("recognises a cancellation caused only by another transaction, not a lost condition", () => {
    expect(isTransactionConflict(cancelled("None", "TransactionConflict"))).toBe(true);
    expect(isTransactionConflict(cancelled("ConditionalCheckFailed", "TransactionConflict"))).toBe(false);
    expect(isTransactionConflict(cancelled("ConditionalCheckFailed", "None"))).toBe(false);
    expect(isTransactionConflict(Object.assign(new Error("x"), { name: "TransactionConflictException" }))).toBe(true);
  });

  it("tries a transaction again after a conflict, and gives a lost condition back at once", async () => {
    const send = vi
      .spyOn(ddb(), "send")
      .mockRejectedValueOnce(cancelled("TransactionConflict", "None") as never)
      .mockResolvedValueOnce({} as never);
    await transact([]);
    expect(send).toHaveBeenCalledTimes(2);

    send.mockReset().mockRejectedValue(cancelled("ConditionalCheckFailed") as never);
    await expect(transact([])).rejects.toMatchObject({ name: "TransactionCanceledException" });
    expect(send).toHaveBeenCalledTimes(1);
  });
});

describe("time to live", () => {
  it("counts in whole epoch seconds", () => {
    vi.useFakeTimers({ now: new Date("2025-11-20T08:00:00.900Z"), toFake: ["Date"] });
    expect(nowSeconds()).toBe(Date.UTC(2025, 10, 20, 8) / 1000);
    expect(expiresIn(60)).toBe(nowSeconds() + 60);
  });

  it("treats an item as expired from its expiry second on, and one without expiry as live", () => {
    const now = nowSeconds();
    expect(isExpired({ [TTL]: now - 1 })).toBe(true);
    expect(isExpired({ [TTL]: now })).toBe(true);
    expect(isExpired({ [TTL]: now + 60 })).toBe(false);
    expect(isExpired({ pk: "x" })).toBe(false);
    expect(isExpired({ [TTL]: String(now - 1) })).toBe(false);
    expect(isExpired(undefined)).toBe(false);
  });

  it("lets a put overwrite only an absent or expired item, at the time given", () => {
    expect(absentOrExpired(1_700_000_000)).toEqual({
      ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
      ExpressionAttributeNames: { "#ttl": "expiresAt" },
      ExpressionAttributeValues: { ":now": 1_700_000_000 },
    });
  });
});

describe("page cursors", () => {
  it("read back as the key they were made from", () => {
    const key = { pk: "T#demo#SCH#s01", sk: "STU#张小明#stu_1" };
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
  });

  it("are absent on the last page", () => {
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor("")).toBeUndefined();
  });

  it("start from the beginning when a cursor was tampered with, instead of failing", () => {
    expect(decodeCursor("not base64 json!")).toBeUndefined();
    expect(decodeCursor(Buffer.from("[1,2]").toString("base64url"))).toBeUndefined();
    expect(decodeCursor(Buffer.from("42").toString("base64url"))).toBeUndefined();
    expect(decodeCursor(Buffer.from('"pk"').toString("base64url"))).toBeUndefined();
    expect(decodeCursor(Buffer.from("null").toString("base64url"))).toBeUndefined();
  });
});

describe("withoutKeys", () => {
  it("strips every key and index attribute and the expiry, keeping the data", () => {
    const item = {
      pk: "a",
      sk: "b",
      gsi1pk: "c",
      gsi1sk: "d",
      gsi2pk: "e",
      gsi2sk: "f",
      expiresAt: 1,
      type: "student",
      name: "张小明",
    };
    expect(withoutKeys(item)).toEqual({ type: "student", name: "张小明" });
  });
});
