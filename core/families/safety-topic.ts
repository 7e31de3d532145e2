/**
 * The last safety topic of a chat user (key 20s): after a scam warning, a privacy refusal or a crisis answer, a
 * short follow-up ("我已经填了咋办", "我是他邻居 他家托我问的", "还在河边 怎么办") means something only in its
 * light. One small item with a 30-minute TTL, written only after a safety answer and read only when a message is
 * shaped like a follow-up; an expired topic is absent. Inside a message it comes with the user's other SESSION#
 * items (core/chatusers/session-items.ts), so the follow-up check costs no read of its own.
 */
import { z } from "zod";
import { putSessionItem, readSessionItem } from "../chatusers/session-items.js";
import { expiresIn, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";
import type { SafetyTopic } from "../assistant/ports.js";

export const TOPIC_SECONDS = 30 * 60;

const Topic = z.enum(["scam", "privacy", "crisis", "binding", "handoff"]);

export async function get(tenant: string, userKey: string): Promise<SafetyTopic | undefined> {
  const item = await readSessionItem(keys.safetyTopic(tenant, userKey));
  const parsed = Topic.safeParse(item?.topic);
  return parsed.success ? parsed.data : undefined;
}

export async function put(tenant: string, userKey: string, topic: SafetyTopic): Promise<void> {
  await putSessionItem({
    ...keys.safetyTopic(tenant, userKey),
    type: "safetyTopic",
    topic: Topic.parse(topic),
    [TTL]: expiresIn(TOPIC_SECONDS),
  });
}
