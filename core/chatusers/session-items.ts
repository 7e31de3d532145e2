/**
 * The SESSION# family of a chat user's items — the binding flow (20b, `SESSION#BIND`), the conversation topic (20c,
 * `SESSION#TOPIC`) and the safety topic (20s, `SESSION#SAFETY`) — all in one partition, `T#<tenant>#USR#<userKey>`.
 *
 * While one message is answered (`withSessionItems`, opened by core/channels/reply.ts), the first read of any of them
 * is ONE consistent Query on that partition (pattern 60: begins_with(sk, "SESSION#")) and every later read in the
 * same message is answered from it. Writes and deletes still go to the table at once, and update what the message
 * has seen, so a read after a write in the same message sees the write; a delete of an item the message saw absent is
 * not sent. Outside a message (tests, tools, the worker's other callers) every read is its own GetItem, as before.
 * LLM mode's memory item (`SESSION`, without the `#`) is not part of the family: it is larger and read only in LLM
 * mode.
 *
 * `storedSessionItem` gives a writer what the message read (only when the family was read already, never a read of
 * its own), so a writer can leave out a put that would store the same value again (the conversation topic).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, getItem, isExpired, queryAll, tableName } from "../db/client.js";
import { keys, type Key } from "../db/keys.js";

type Item = Record<string, unknown>;

interface Scope {
  pk: string;
  /** The Query, started by the first read. */
  loaded?: Promise<Map<string, Item>>;
  /** Settled result of `loaded`, for the synchronous look of `storedSessionItem`. */
  items?: Map<string, Item>;
  /** What this message wrote or deleted since (undefined = deleted). */
  written: Map<string, Item | undefined>;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs `fn` (answering one message of `userKey`) with the user's SESSION# items read at most once. */
export function withSessionItems<T>(tenant: string, userKey: string, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ pk: keys.sessionItemsPk(tenant, userKey), written: new Map() }, fn);
}

function scopeFor(key: Key): Scope | undefined {
  const scope = scopes.getStore();
  return scope && scope.pk === key.pk && key.sk.startsWith(keys.sessionItemsPrefix) ? scope : undefined;
}

function load(scope: Scope): Promise<Map<string, Item>> {
  scope.loaded ??= queryAll<Item>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": scope.pk, ":p": keys.sessionItemsPrefix },
    ConsistentRead: true,
  }).then(
    (items) => (scope.items = new Map(items.map((i) => [String(i.sk), i]))),
    (e) => {
      // A failed read is not remembered: the next read of the message tries again, as separate GetItems would.
      scope.loaded = undefined;
      throw e;
    },
  );
  return scope.loaded;
}

/** One item of the family; an item past its TTL is absent. */
export async function readSessionItem(key: Key): Promise<Item | undefined> {
  const scope = scopeFor(key);
  if (!scope) return getItem<Item>(key);
  const item = scope.written.has(key.sk) ? scope.written.get(key.sk) : (await load(scope)).get(key.sk);
  return item && !isExpired(item) ? item : undefined;
}

/**
 * What is stored for `key` as far as this message knows — `{ item }` (item absent: nothing stored) — or undefined
 * when the message has not read the family (outside a message, or before the first read). Never reads.
 */
export function storedSessionItem(key: Key): { item: Item | undefined } | undefined {
  const scope = scopeFor(key);
  if (!scope) return undefined;
  if (scope.written.has(key.sk)) return { item: scope.written.get(key.sk) };
  if (!scope.items) return undefined;
  const item = scope.items.get(key.sk);
  return { item: item && !isExpired(item) ? item : undefined };
}

export async function putSessionItem(item: Key & Item): Promise<void> {
  await ddb().send(new PutCommand({ TableName: tableName(), Item: item }));
  scopeFor(item)?.written.set(item.sk, item);
}

export async function deleteSessionItem(key: Key): Promise<void> {
  const known = storedSessionItem(key);
  if (known && known.item === undefined) return;
  await ddb().send(new DeleteCommand({ TableName: tableName(), Key: { pk: key.pk, sk: key.sk } }));
  scopeFor(key)?.written.set(key.sk, undefined);
}
