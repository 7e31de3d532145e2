/**
 * Binding attempt limits: 5 per chat user and 10 per student in 24 hours. An attempt is charged *before* the check
 * with an atomic conditional increment (so parallel messages cannot slip past the limit) and refunded when the
 * binding succeeds — what remains counted are the failures. The window starts at the first charged attempt; its
 * TTL is the time we tell a locked-out user to come back.
 */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionFailure } from "../errors.js";
import { ddb, nowSeconds, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";

export const Limits = {
  user: { max: 5, windowSeconds: 24 * 3600 },
  student: { max: 10, windowSeconds: 24 * 3600 },
} as const;
export type LimitKind = keyof typeof Limits;

const WINDOW = "24h";

function subject(kind: LimitKind, id: string): string {
  return kind === "user" ? `USR#${id}` : `STU#${id}`;
}

export type Charge = { ok: true; used: number; left: number } | { ok: false; until: number };

/** Take one attempt from the budget, or learn until when the subject is locked. */
export async function charge(tenant: string, kind: LimitKind, id: string): Promise<Charge> {
  const { max, windowSeconds } = Limits[kind];
  const key = keys.limit(tenant, subject(kind, id), WINDOW);
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
export async function refund(tenant: string, kind: LimitKind, id: string): Promise<void> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.limit(tenant, subject(kind, id), WINDOW),
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
