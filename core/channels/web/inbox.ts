/**
 * The web-chat inbox (pattern 22): web users have no push channel, so their notices wait here and the /chat
 * route hands out the pending ones. Keyed by (time, notification id) with a conditional put: a retried delivery
 * writes the same item once.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { expiresIn, isExpired, queryPage, tableName, ddb, TTL } from "../../db/client.js";
import { keys } from "../../db/keys.js";
import { isConditionFailure } from "../../errors.js";

/** Inbox items outlive any term's notices, then go (TTL). */
const KEEP_SECONDS = 180 * 24 * 3600;

export const InboxItem = z.object({
  /** The notification id. */
  id: z.string(),
  eventId: z.string(),
  /** reply: a person's answer to the family's request (core/actions/handoffs.ts); eventId is then the request id. */
  kind: z.enum(["publicity", "payment", "broadcast", "objection", "reply"]),
  text: z.string(),
  at: z.string(),
});
export type InboxItem = z.infer<typeof InboxItem>;

/** Add an item; a second push of the same notification (same `at`) changes nothing. */
export async function push(tenant: string, userKey: string, entry: InboxItem): Promise<{ created: boolean }> {
  const value = InboxItem.parse(entry);
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.inboxItem(tenant, userKey, value.at, value.id),
          type: "inboxItem",
          userKey,
          ...value,
          [TTL]: expiresIn(KEEP_SECONDS),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return { created: true };
  } catch (e) {
    if (isConditionFailure(e)) return { created: false };
    throw e;
  }
}

/**
 * Items after `since`, oldest first. `since` is the `cursor` of a previous read (strictly after that item) or an
 * ISO time (items at or after it); omitted → from the start. Callers keep the ids they have shown: an item whose
 * time was fixed just before a read may land just after it.
 */
export async function read(
  tenant: string,
  userKey: string,
  since?: string,
  limit = 20,
): Promise<{ items: InboxItem[]; cursor?: string }> {
  const from = since ? `INBOX#${since}` : "INBOX#";
  const page = await queryPage<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
    ExpressionAttributeValues: { ":pk": keys.inboxPk(tenant, userKey), ":from": from, ":to": "INBOX#\uffff" },
    Limit: limit + 1,
  });
  const items = page.items
    .filter((i) => String(i.sk) !== from && !isExpired(i))
    .slice(0, limit)
    .map((i) => InboxItem.parse(i));
  const last = items[items.length - 1];
  return { items, cursor: last ? `${last.at}#${last.id}` : since };
}
