/**
 * Conversation state for follow-ups ("那初中呢", "去哪里办", "一年多少钱"): per chat user (tenant + userKey — a WeChat
 * openid or a web-chat session), the last topic understood — programme, school level, aspect, household category,
 * boarding variant and the child under discussion — kept for 30 minutes of silence. Read at the start of a turn and
 * written after it; a message naming a new programme replaces it.
 *
 * The port is small so the offline eval can run on the in-memory store and the channels on DynamoDB
 * (conversation-dynamo.ts); both expire by the same clock rule.
 */
import { z } from "zod";

export const Topic = z.object({
  programme: z.string().optional(),
  level: z.string().optional(),
  aspect: z.string().optional(),
  household: z.string().optional(),
  variant: z.string().optional(),
  /** The child under discussion (a name as the parent said it; never a number). */
  child: z.string().optional(),
  /** The knowledge-base entry the last answer came from. */
  entry: z.string().optional(),
});
export type Topic = z.infer<typeof Topic>;

export interface ConversationStore {
  /** The user's topic, or undefined when there is none or it is older than the TTL. */
  load(tenant: string, userKey: string): Promise<Topic | undefined>;
  save(tenant: string, userKey: string, topic: Topic): Promise<void>;
  /** Forgets the topic (a turn that leaves the domain, e.g. an unrelated question). */
  clear(tenant: string, userKey: string): Promise<void>;
}

/** Idle time after which a topic is forgotten. */
export const TOPIC_TTL_SECONDS = 30 * 60;

/** An in-process store (the eval CLI, tests, the `ask` CLI): same contract, same TTL. */
export function memoryConversationStore(opts: { ttlSeconds?: number; now?: () => number } = {}): ConversationStore {
  const ttl = (opts.ttlSeconds ?? TOPIC_TTL_SECONDS) * 1000;
  const now = opts.now ?? Date.now;
  const items = new Map<string, { topic: Topic; at: number }>();
  const k = (tenant: string, userKey: string) => `${tenant}\u0000${userKey}`;
  return {
    async load(tenant, userKey) {
      const item = items.get(k(tenant, userKey));
      if (!item || now() - item.at > ttl) return undefined;
      return { ...item.topic };
    },
    async save(tenant, userKey, topic) {
      items.set(k(tenant, userKey), { topic: { ...topic }, at: now() });
    },
    async clear(tenant, userKey) {
      items.delete(k(tenant, userKey));
    },
  };
}
