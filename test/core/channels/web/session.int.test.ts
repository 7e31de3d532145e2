import { beforeAll, describe, expect, test } from "vitest";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, getItem, nowSeconds, tableName, TTL } from "../../../../core/db/client.js";
import { keys } from "../../../../core/db/keys.js";
import {
  findSession,
  resolveSession,
  saveInboxCursor,
  ANON_SESSION_TTL_SECONDS,
  SESSION_TTL_SECONDS,
} from "../../../../core/channels/web/session.js";
import { uniqueTenant } from "../../../support/stack.js";

let tenant: string;
beforeAll(() => {
  tenant = uniqueTenant("ws");
});

describe("web sessions", () => {
  test("of two inbox reads from the same cursor, only the first moves it (each item is handed out once)", async () => {
    const s = await resolveSession(tenant, undefined);
    expect(await saveInboxCursor(tenant, s.sessionId, "2026-12-01T00:00:00.000Z#ntf_1", undefined)).toBe(true);
    // The other read started before the cursor moved: it must not hand out the same items again.
    expect(await saveInboxCursor(tenant, s.sessionId, "2026-12-01T00:00:00.000Z#ntf_1", undefined)).toBe(false);
    expect(await saveInboxCursor(tenant, s.sessionId, "2026-12-01T00:01:00.000Z#ntf_2", "stale")).toBe(false);
    expect(
      await saveInboxCursor(tenant, s.sessionId, "2026-12-01T00:01:00.000Z#ntf_2", "2026-12-01T00:00:00.000Z#ntf_1"),
    ).toBe(true);
    expect((await findSession(tenant, s.sessionId))?.inboxCursor).toBe("2026-12-01T00:01:00.000Z#ntf_2");
  });

  test("finding a session never makes one", async () => {
    expect(await findSession(tenant, "B".repeat(22))).toBeUndefined();
    expect(await getItem(keys.webSession(tenant, "B".repeat(22)))).toBeUndefined();
    expect(await findSession(tenant, "not a session")).toBeUndefined();
  });

  test("are 128-bit random ids issued by the server, each with its own user", async () => {
    const a = await resolveSession(tenant, undefined);
    const b = await resolveSession(tenant, undefined);
    expect(a.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(a.sessionId, "base64url")).toHaveLength(16);
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(a.userId).not.toBe(b.userId);
    expect(a.userId).not.toBe(a.sessionId);
    expect(a.isNew).toBe(true);
  });

  test("a known session resolves to the same user", async () => {
    const a = await resolveSession(tenant, undefined);
    const again = await resolveSession(tenant, a.sessionId);
    expect(again).toMatchObject({ sessionId: a.sessionId, userId: a.userId, isNew: false });
  });

  test("an expired session is replaced by a new one", async () => {
    const id = "EXPIREDexpiredEXPIRED0";
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.webSession(tenant, id), userId: "someone", [TTL]: nowSeconds() - 5 },
      }),
    );
    const s = await resolveSession(tenant, id);
    expect(s.isNew).toBe(true);
    expect(s.sessionId).not.toBe(id);
    expect(s.userId).not.toBe("someone");
  });

  test("an anonymous session close to expiry is extended by 12 hours when used, a bound one by 30 days", async () => {
    const a = await resolveSession(tenant, undefined);
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.webSession(tenant, a.sessionId), userId: a.userId, [TTL]: nowSeconds() + 600 },
      }),
    );
    await resolveSession(tenant, a.sessionId);
    const anon = await getItem<Record<string, number>>(keys.webSession(tenant, a.sessionId));
    expect(anon?.[TTL]).toBeGreaterThan(nowSeconds() + ANON_SESSION_TTL_SECONDS - 60);
    expect(anon?.[TTL]).toBeLessThanOrEqual(nowSeconds() + ANON_SESSION_TTL_SECONDS);

    const b = await resolveSession(tenant, undefined);
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.webSession(tenant, b.sessionId), userId: b.userId, bound: true, [TTL]: nowSeconds() + 3600 },
      }),
    );
    await resolveSession(tenant, b.sessionId);
    const bound = await getItem<Record<string, number>>(keys.webSession(tenant, b.sessionId));
    expect(bound?.[TTL]).toBeGreaterThan(nowSeconds() + SESSION_TTL_SECONDS - 60);
  });
});
