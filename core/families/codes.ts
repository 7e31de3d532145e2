/**
 * One-time binding codes (12 digits, 14 days) that a school officer hands to a family that cannot match the
 * registered details. Consumed with a conditional write, so a code binds exactly once even when two people send
 * it at the same moment.
 *
 * Length: 10^12 codes per tenant. With 50,000 live codes a random guess hits one with p = 5·10⁻⁸; the tenant-wide
 * budget of 600 failed codes an hour (limits.ts) makes the expected time to a first hit ~3.8 years against a
 * 14-day life (docs/abuse.md). Twelve digits is what a parent can still copy from a slip, shown as 1234 5678 9012;
 * spaces and dashes are ignored.
 */
import { randomInt } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionFailure } from "../errors.js";
import { absentOrExpired, ddb, nowSeconds, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";

export const CODE_TTL_SECONDS = 14 * 24 * 3600;
export const CODE_DIGITS = 12;

/** "1234 5678-9012" → "123456789012"; undefined unless exactly 12 digits remain. */
export function normalizeCode(raw: string): string | undefined {
  const digits = raw.normalize("NFKC").replace(/[\s-]/g, "");
  return /^\d{12}$/.test(digits) ? digits : undefined;
}

/** How staff read a code out: three groups of four. */
export function displayCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export async function issue(
  tenant: string,
  studentId: string,
  issuedBy: string,
): Promise<{ code: string; display: string; expiresAt: string }> {
  // A collision with a live code is very rare and simply draws again.
  for (let i = 0; i < 8; i++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0") + String(randomInt(0, 1_000_000)).padStart(6, "0");
    const now = nowSeconds();
    const expires = now + CODE_TTL_SECONDS;
    try {
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.bindingCode(tenant, code),
            type: "bindingCode",
            studentId,
            issuedBy,
            createdAt: new Date(now * 1000).toISOString(),
            [TTL]: expires,
          },
          ...absentOrExpired(now),
        }),
      );
      return { code, display: displayCode(code), expiresAt: new Date(expires * 1000).toISOString() };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  throw new Error("could not draw a free binding code");
}

/** The student a live, unused code is for, marking it used by `userKey`; undefined for any other code. */
export async function consume(tenant: string, raw: string, userKey: string): Promise<string | undefined> {
  const code = normalizeCode(raw);
  if (!code) return undefined;
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
export async function release(tenant: string, raw: string, userKey: string): Promise<void> {
  const code = normalizeCode(raw);
  if (!code) return;
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
