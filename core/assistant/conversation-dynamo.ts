/**
 * The conversation store in DynamoDB: one item per chat user (key 20c, `T#<tenant>#USR#<userKey>` /
 * `SESSION#TOPIC`) beside LLM mode's memory item, with the table's TTL attribute. Reads go through the TTL-aware
 * getItem (DynamoDB Local deletes expired items late or never), so a topic idle past 30 minutes is gone. Only slot
 * values are stored — programme, level, aspect, category, a child's nickname — never the message.
 *
 * Within a message the item is read with the user's other SESSION# items (core/chatusers/session-items.ts), and a
 * save that would store the topic the message read, written less than a tenth of the TTL ago (3 minutes of 30), is
 * left out: a parent asking on about the same thing costs no write, and the topic still lives 27–30 minutes past the
 * last message.
 */
import { isDeepStrictEqual } from "node:util";
import { deleteSessionItem, putSessionItem, readSessionItem, storedSessionItem } from "../chatusers/session-items.js";
import { expiresIn, nowSeconds, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";
import { Topic, TOPIC_TTL_SECONDS, type ConversationStore } from "./conversation.js";

export function dynamoConversationStore(opts: { ttlSeconds?: number } = {}): ConversationStore {
  const ttl = opts.ttlSeconds ?? TOPIC_TTL_SECONDS;
  return {
    async load(tenant, userKey) {
      const item = await readSessionItem(keys.conversationTopic(tenant, userKey));
      const parsed = Topic.safeParse(item?.topic);
      return item && parsed.success ? parsed.data : undefined;
    },
    async save(tenant, userKey, topic) {
      const key = keys.conversationTopic(tenant, userKey);
      const next = Topic.parse(topic);
      const stored = storedSessionItem(key)?.item;
      if (stored && sameValue(stored.topic, next) && Number(stored[TTL]) - nowSeconds() > ttl - ttl / 10) return;
      await putSessionItem({ ...key, type: "topic", topic: next, [TTL]: expiresIn(ttl) });
    },
    async clear(tenant, userKey) {
      await deleteSessionItem(keys.conversationTopic(tenant, userKey));
    },
  };
}

/** Equal as stored: DynamoDB drops undefined attributes, so they are dropped on both sides before comparing. */
function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}
