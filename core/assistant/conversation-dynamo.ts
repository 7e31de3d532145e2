/**
 * The conversation store in DynamoDB: one item per chat user (key 20c, `T#<tenant>#USR#<userKey>` /
 * `SESSION#TOPIC`) beside LLM mode's memory item, with the table's TTL attribute. Reads go through the TTL-aware
 * getItem (DynamoDB Local deletes expired items late or never), so a topic idle past 30 minutes is gone. Only slot
 * values are stored — programme, level, aspect, category, a child's nickname — never the message.
 */
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, expiresIn, getItem, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";
import { Topic, TOPIC_TTL_SECONDS, type ConversationStore } from "./conversation.js";

export function dynamoConversationStore(opts: { ttlSeconds?: number } = {}): ConversationStore {
  const ttl = opts.ttlSeconds ?? TOPIC_TTL_SECONDS;
  return {
    async load(tenant, userKey) {
      const item = await getItem<Record<string, unknown>>(keys.conversationTopic(tenant, userKey));
      const parsed = Topic.safeParse(item?.topic);
      return item && parsed.success ? parsed.data : undefined;
    },
    async save(tenant, userKey, topic) {
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.conversationTopic(tenant, userKey),
            type: "topic",
            topic: Topic.parse(topic),
            [TTL]: expiresIn(ttl),
          },
        }),
      );
    },
    async clear(tenant, userKey) {
      await ddb().send(new DeleteCommand({ TableName: tableName(), Key: keys.conversationTopic(tenant, userKey) }));
    },
  };
}
