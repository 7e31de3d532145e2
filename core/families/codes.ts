/**
 * One-time binding codes (6 digits, 30 days) that a school officer hands to a family that cannot match the
 * registered details. Consumed with a conditional write, so a code binds exactly once even when two people send
 * it at the same moment.
 */
import { randomInt } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionFailure } from "../errors.js";
import { absentOrExpired, ddb, nowSeconds, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";

export const CODE_TTL_SECONDS = 30 * 24 * 3600;

export async function issue(tenant: string, studentId: string, issuedBy: string): Promise<{ code: string; expiresAt: string }> {
  // 10^6 codes per tenant; a collision with a live code is rare and simply draws again.
  for (let i = 0; i < 8; i++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const now = nowSeconds();
    const expires = now + CODE_TTL_SECONDS;
    try {
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.bindingCode(tenant, code), type: "bindingCode", studentId, issuedBy, createdAt: new Date(now * 1000).toISOString(), [TTL]: expires },
          ...absentOrExpired(now),
        }),
      );
      return { code, expiresAt: new Date(expires * 1000).toISOString() };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  throw new Error("could not draw a free binding code");
}

/** The student a live, unused code is for, marking it used by `userKey`; undefined for any other code. */
export async function consume(tenant: string, code: string, userKey: string): Promise<string | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  try {
    const out = await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.bindingCode(tenant, code),
        UpdateExpression: "SET usedAt = :at, usedBy = :by",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(usedAt) AND #ttl > :now",
        ExpressionAttributeNames: { "#ttl": TTL },
        ExpressionAttributeValues: { ":at": new Date().toISOString(), ":by": userKey, ":now": nowSeconds() },
        ReturnValues: "ALL_NEW",
      }),
    );
    const studentId = out.Attributes?.studentId;
    return typeof studentId === "string" ? studentId : undefined;
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

/** Put a code back when the binding it was consumed for could not be written (only by the same user). */
export async function release(tenant: string, code: string, userKey: string): Promise<void> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.bindingCode(tenant, code),
        UpdateExpression: "REMOVE usedAt, usedBy",
        ConditionExpression: "usedBy = :by",
        ExpressionAttributeValues: { ":by": userKey },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}
