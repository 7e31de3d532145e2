/**
 * Conversation memory for LLM mode: the last few exchanges of one chat user (tenant + userKey), so "那初中呢?"
 * means something. One item per user (key 20, `T#<tenant>#USR#<userKey>` / `SESSION`) with a TTL; reads go through
 * the TTL-aware getItem, so a conversation idle past the TTL is gone even before DynamoDB deletes it.
 *
 * Only what was said is kept: the user's message and the reply the user saw, both trimmed, with anything shaped
 * like a phone, ID number, 学籍号 or account scrubbed. Tool results are never stored — a status the user was shown
 * is in the reply already, nothing more.
 *
 * Asking the same message again replaces the last exchange instead of adding one: WeChat's deferred path answers
 * a message twice (the webhook's abandoned attempt and the worker's), and a retry must not see itself as history.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ddb, expiresIn, getItem, tableName, TTL } from "../../db/client.js";
import { keys } from "../../db/keys.js";
import { scrub } from "../../log.js";

export interface Exchange {
  user: string;
  assistant: string;
}

export interface Memory {
  /**
   * Oldest first; empty when there is none (or it expired). A last exchange that is `current` itself (the same
   * message asked again) is left out.
   */
  load(tenant: string, userKey: string, current: string): Promise<Exchange[]>;
  save(tenant: string, userKey: string, exchange: Exchange): Promise<void>;
}

export interface MemoryOptions {
  /** Exchanges kept. Default 6. */
  turns?: number;
  /** Idle time after which the conversation is forgotten. Default 30 minutes. */
  ttlSeconds?: number;
  /** Characters kept of each message. Default 300. */
  maxChars?: number;
}

const Stored = z.object({ turns: z.array(z.object({ u: z.string(), a: z.string() })) });

/** What may be remembered of a message: trimmed, personal numbers scrubbed. */
export function rememberable(text: string, maxChars: number): string {
  const chars = [...scrub(text.trim())];
  return chars.length > maxChars ? `${chars.slice(0, maxChars).join("")}…` : chars.join("");
}

/** A user re-sending the same words: compared without spacing and punctuation. */
const sameMessage = (a: string, b: string) => a.replace(/[\s\p{P}]/gu, "") === b.replace(/[\s\p{P}]/gu, "");

export function dynamoMemory(opts: MemoryOptions = {}): Memory {
  const turns = opts.turns ?? 6;
  const ttlSeconds = opts.ttlSeconds ?? 30 * 60;
  const maxChars = opts.maxChars ?? 300;

  async function read(tenant: string, userKey: string): Promise<Exchange[]> {
    const item = await getItem<Record<string, unknown>>(keys.session(tenant, userKey));
    const parsed = Stored.safeParse(item ?? { turns: [] });
    return parsed.success ? parsed.data.turns.map((t) => ({ user: t.u, assistant: t.a })) : [];
  }

  return {
    async load(tenant, userKey, current) {
      const all = await read(tenant, userKey);
      const last = all[all.length - 1];
      return last && sameMessage(last.user, rememberable(current, maxChars)) ? all.slice(0, -1) : all;
    },
    async save(tenant, userKey, exchange) {
      const next = {
        user: rememberable(exchange.user, maxChars),
        assistant: rememberable(exchange.assistant, maxChars),
      };
      const all = await read(tenant, userKey);
      const last = all[all.length - 1];
      if (last && sameMessage(last.user, next.user)) all.pop();
      all.push(next);
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.session(tenant, userKey),
            type: "memory",
            turns: all.slice(-turns).map((t) => ({ u: t.user, a: t.assistant })),
            [TTL]: expiresIn(ttlSeconds),
          },
        }),
      );
    },
  };
}

/** No memory: every message stands alone (the `ask` CLI, where each line is a fresh user). */
export const noMemory: Memory = {
  load: async () => [],
  save: async () => {},
};
