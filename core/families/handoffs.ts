/**
 * Handoff requests ("人工"): a small item per request, listed for staff newest first. The text is stored with
 * anything shaped like a phone, ID number, 学籍号 or account replaced, and the chat user appears only as a short
 * reference; children appear masked, with their school so each school sees its own families' requests.
 */
import { randomBytes } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ddb, expiresIn, nowSeconds, queryPage, tableName, TTL, withoutKeys, type Page } from "../db/client.js";
import { keys } from "../db/keys.js";
import { scrub } from "../log.js";
import { sha256Hex } from "../ids.js";

/** Kept half a year: long enough to follow up, not a permanent record of what families typed. */
export const KEEP_SECONDS = 180 * 24 * 3600;

export const HandoffInfo = z.object({
  id: z.string(),
  at: z.string(),
  channel: z.string(),
  /** A stable short reference for the chat user (not the OpenID itself). */
  userRef: z.string(),
  text: z.string(),
  children: z.array(z.object({ name: z.string(), schoolId: z.string() })),
});
export type HandoffInfo = z.infer<typeof HandoffInfo>;

export function userRef(tenant: string, userKey: string): string {
  return `u_${sha256Hex(`${tenant}|${userKey}`).slice(0, 10)}`;
}

export async function record(
  tenant: string,
  userKey: string,
  text: string,
  children: { name: string; schoolId: string }[],
): Promise<HandoffInfo> {
  const at = new Date().toISOString();
  const value = HandoffInfo.parse({
    id: `hnd_${randomBytes(8).toString("hex")}`,
    at,
    channel: userKey.split(":")[0] ?? "unknown",
    userRef: userRef(tenant, userKey),
    text: scrub(text.slice(0, 300)),
    children,
  });
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.handoff(tenant, at, value.id), type: "handoff", ...value, [TTL]: expiresIn(KEEP_SECONDS) },
    }),
  );
  return value;
}

/** Pattern 29: newest first, a page at a time; `visible` filters by the caller's scope. */
export async function list(tenant: string, cursor?: string, limit = 50): Promise<Page<HandoffInfo>> {
  const page = await queryPage<Record<string, unknown>>(
    {
      KeyConditionExpression: "pk = :pk",
      // Retention is enforced by reads too: DynamoDB deletes expired items only eventually.
      FilterExpression: "attribute_not_exists(#ttl) OR #ttl > :now",
      ExpressionAttributeNames: { "#ttl": TTL },
      ExpressionAttributeValues: { ":pk": keys.handoffsPk(tenant), ":now": nowSeconds() },
      ScanIndexForward: false,
      Limit: limit,
    },
    cursor,
  );
  return { items: page.items.map((i) => HandoffInfo.parse(withoutKeys(i))), cursor: page.cursor };
}
