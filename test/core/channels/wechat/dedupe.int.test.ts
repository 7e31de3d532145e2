import { beforeAll, describe, expect, test } from "vitest";
import { randomBytes } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, nowSeconds, tableName, TTL } from "../../../../core/db/client.js";
import { keys } from "../../../../core/db/keys.js";
import * as records from "../../../../core/channels/wechat/dedupe.js";
import { uniqueTenant } from "../../../support/stack.js";

let tenant: string;
const freshId = () => records.recordId(`o${randomBytes(6).toString("hex")}|${Date.now()}`);

beforeAll(() => {
  tenant = uniqueTenant("dd");
});

describe("inbound record", () => {
  test("is keyed by a hash, so no openid sits in a key", () => {
    const id = records.recordId("oyORnuP8q7ou2gfYjqLzSIWZf0rs|24536712345678901234");
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.dedupe(tenant, id).pk).not.toContain("oyORnu");
  });

  test("the first claim wins; every later claim learns the push was seen and in which state", async () => {
    const id = freshId();
    expect(await records.claim(tenant, id)).toEqual({ claimed: true });
    expect(await records.claim(tenant, id)).toEqual({ claimed: false, state: "processing" });
    await records.transition(tenant, id, { from: "processing", to: "answered" });
    expect(await records.claim(tenant, id)).toEqual({ claimed: false, state: "answered" });
  });

  test("concurrent claims of one push: exactly one wins", async () => {
    const id = freshId();
    const results = await Promise.all(Array.from({ length: 8 }, () => records.claim(tenant, id)));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
  });

  test("a record past its TTL counts as absent and can be claimed again", async () => {
    const id = freshId();
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.dedupe(tenant, id), state: "answered", [TTL]: nowSeconds() - 1 },
      }),
    );
    expect(await records.get(tenant, id)).toBeUndefined();
    expect(await records.claim(tenant, id)).toEqual({ claimed: true });
  });

  test("passive reply and deferral exclude each other: once one moved the record, the other cannot", async () => {
    const a = freshId();
    await records.claim(tenant, a);
    expect(await records.transition(tenant, a, { from: "processing", to: "deferred" })).toBe(true);
    expect(await records.transition(tenant, a, { from: "processing", to: "answered" })).toBe(false);

    const b = freshId();
    await records.claim(tenant, b);
    expect(await records.transition(tenant, b, { from: "processing", to: "answered" })).toBe(true);
    expect(await records.transition(tenant, b, { from: "processing", to: "deferred" })).toBe(false);
    expect(await records.transition(tenant, b, { from: "deferred", to: "sending" })).toBe(false);
  });

  test("release deletes only a record still in the given state", async () => {
    const id = freshId();
    await records.claim(tenant, id);
    await records.transition(tenant, id, { from: "processing", to: "answered" });
    await records.release(tenant, id, "processing");
    expect((await records.get(tenant, id))?.state).toBe("answered");
    const other = freshId();
    await records.claim(tenant, other);
    await records.release(tenant, other, "processing");
    expect(await records.get(tenant, other)).toBeUndefined();
  });

  test("a transition never creates a record", async () => {
    const id = freshId();
    expect(await records.transition(tenant, id, { from: "processing", to: "answered" })).toBe(false);
    expect(await records.get(tenant, id)).toBeUndefined();
  });
});
