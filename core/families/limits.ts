/**
 * Binding attempt limits (docs/abuse.md has the arithmetic). Budgets that lock:
 *   - per chat user: 5 failures in 24 h;
 *   - per client address (web chat): 30 failures in 24 h — web sessions are free, addresses are not;
 *   - per tenant, for codes only: 600 failed codes an hour across the whole county.
 * An attempt is charged *before* the check with an atomic conditional increment (so parallel messages cannot
 * slip past a limit) and refunded when the binding succeeds — what remains counted are the failures. The window
 * starts at the first charged attempt; its TTL is the time we tell a locked-out user to come back.
 *
 * Per student there is a threshold, not a lock: strangers' failures must never keep the real family, who knows
 * the right details, from binding. Past the threshold each wrong guess on that student costs the guesser double
 * and the school gets an alert (binding.ts).
 */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionFailure } from "../errors.js";
import { ddb, nowSeconds, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";
import { subjectHash } from "../abuse/ratelimit.js";

export const Limits = {
  user: { max: 5, windowSeconds: 24 * 3600, window: "24h" },
  client: { max: 30, windowSeconds: 24 * 3600, window: "24h" },
  tenantCodes: { max: 600, windowSeconds: 3600, window: "1h" },
} as const;
export type LimitKind = keyof typeof Limits;

/** Failures on one student in 24 h after which each further wrong guess costs double and the school is alerted. */
export const StudentThreshold = { failures: 10, windowSeconds: 24 * 3600, window: "24h" } as const;

function subject(kind: LimitKind | "student", id: string): string {
  switch (kind) {
    case "user":
      return `USR#${id}`;
    case "client":
      return `CLI#${subjectHash(id)}`;
    case "tenantCodes":
      return "CODES";
    case "student":
      return `STU#${id}`;
  }
}

function windowOf(kind: LimitKind | "student"): string {
  return kind === "student" ? StudentThreshold.window : Limits[kind].window;
}

export type Charge = { ok: true; used: number; left: number } | { ok: false; until: number };

/** Take one attempt from the budget, or learn until when the subject is locked. */
export async function charge(tenant: string, kind: LimitKind, id: string): Promise<Charge> {
  const { max, windowSeconds } = Limits[kind];
  const key = keys.limit(tenant, subject(kind, id), windowOf(kind));
  for (let round = 0; round < 3; round++) {
    const now = nowSeconds();
    try {
      const out = await ddb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: "SET #c = #c + :one",
          ConditionExpression: "attribute_exists(pk) AND #ttl > :now AND #c < :max",
          ExpressionAttributeNames: { "#c": "count", "#ttl": TTL },
          ExpressionAttributeValues: { ":one": 1, ":now": now, ":max": max },
          ReturnValues: "ALL_NEW",
        }),
      );
      const used = Number(out.Attributes?.count ?? max);
      return { ok: true, used, left: max - used };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
    const current = (await ddb().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item;
    const until = Number(current?.[TTL] ?? 0);
    if (current && until > now && Number(current.count) >= max) return { ok: false, until };
    // Absent or expired: open a fresh window. Losing this race to a parallel attempt just means another round.
    try {
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...key, type: "limit", count: 1, [TTL]: now + windowSeconds },
          ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
          ExpressionAttributeNames: { "#ttl": TTL },
          ExpressionAttributeValues: { ":now": now },
        }),
      );
      return { ok: true, used: 1, left: max - 1 };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  // Heavy contention on one counter is itself suspicious: treat as locked for a short while.
  return { ok: false, until: nowSeconds() + 60 };
}

/** Give back an attempt that turned out not to be a failure (the binding succeeded, or nothing was checked). */
export async function refund(tenant: string, kind: LimitKind | "student", id: string): Promise<void> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.limit(tenant, subject(kind, id), windowOf(kind)),
        UpdateExpression: "SET #c = #c - :one",
        ConditionExpression: "attribute_exists(pk) AND #c > :zero",
        ExpressionAttributeNames: { "#c": "count" },
        ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/**
 * Count one attempt on a student (never refused): the number of attempts in the current 24-hour window,
 * including this one. A window that has expired starts again at 1.
 */
export async function countStudentAttempt(tenant: string, studentId: string): Promise<number> {
  const key = keys.limit(tenant, subject("student", studentId), StudentThreshold.window);
  const now = nowSeconds();
  for (let round = 0; round < 3; round++) {
    try {
      const out = await ddb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: "SET #c = #c + :one",
          ConditionExpression: "attribute_exists(pk) AND #ttl > :now",
          ExpressionAttributeNames: { "#c": "count", "#ttl": TTL },
          ExpressionAttributeValues: { ":one": 1, ":now": now },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      return Number(out.Attributes?.count ?? 1);
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
    try {
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...key, type: "limit", count: 1, [TTL]: now + StudentThreshold.windowSeconds },
          ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
          ExpressionAttributeNames: { "#ttl": TTL },
          ExpressionAttributeValues: { ":now": now },
        }),
      );
      return 1;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  return StudentThreshold.failures + 1;
}
