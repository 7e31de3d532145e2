/**
 * Suspicious activity (pattern 31), for staff to see and act on: a student whose binding details drew
 * more wrong guesses than a family makes (limits.ts StudentThreshold). One alert per student per window — written
 * when the threshold is crossed, not on every guess. No 学籍号, name or phone is stored: the student id, the
 * school (when the 学籍号 exists) and the count.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ddb, expiresIn, queryPage, tableName, TTL, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
import { newId } from "../ids.js";

/** Alerts are kept 90 days. */
export const ALERT_TTL_SECONDS = 90 * 24 * 3600;

export const AlertInfo = z.object({
  id: z.string(),
  /**
   * binding_guessing: many wrong binding guesses on one student. import_conflict: a token tried to import a
   * 学籍号 held by a school outside its scope (a transfer, a typo, or probing) — told to the bureau, not the caller.
   */
  kind: z.enum(["binding_guessing", "import_conflict"]),
  at: z.string(),
  /** The student the guesses named; for a 学籍号 that does not exist, its would-be id and no school. */
  studentId: z.string(),
  schoolId: z.string().optional(),
  failures: z.number().int().optional(),
  /** The staff token that acted (import_conflict). */
  by: z.string().optional(),
});
export type AlertInfo = z.infer<typeof AlertInfo>;

export async function record(tenant: string, a: Omit<AlertInfo, "id" | "at">): Promise<AlertInfo> {
  const value = AlertInfo.parse({ ...a, id: newId("alr", 10), at: new Date().toISOString() });
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.alert(tenant, value.at, value.id), type: "alert", ...value, [TTL]: expiresIn(ALERT_TTL_SECONDS) },
    }),
  );
  return value;
}

/** Newest first, one page. */
export async function recent(tenant: string, limit = 100): Promise<AlertInfo[]> {
  const page = await queryPage<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.alertsPk(tenant) },
    ScanIndexForward: false,
    Limit: limit,
  });
  return page.items.map((i) => AlertInfo.parse(withoutKeys(i)));
}
