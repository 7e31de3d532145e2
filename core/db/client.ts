/**
 * DynamoDB access shared by every domain module: one document client, TTL-aware
 * reads (expired items are absent, whatever DynamoDB has deleted yet), paging.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DeleteCommand,
  type PutCommand,
  type UpdateCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { config } from "../config.js";
import { TableDefinition } from "./table.js";
import { chunks, mapLimit } from "../concurrency.js";
import { isConditionFailure } from "../errors.js";
import type { Key } from "./keys.js";

let client: DynamoDBDocumentClient | undefined;
let clientFor: string | undefined;
let clientConfig: object | undefined;

export function ddb(): DynamoDBDocumentClient {
  const c = config();
  // The common case, on every call of every request: the same parsed config object as last time.
  if (client && clientConfig === c) return client;
  const signature = `${c.region}|${c.dynamoEndpoint ?? ""}|${c.storage.timeoutMs}|${c.storage.maxAttempts}`;
  if (!client || clientFor !== signature) {
    const base = new DynamoDBClient({
      region: c.region,
      ...(c.dynamoEndpoint
        ? { endpoint: c.dynamoEndpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
        : {}),
      // Without these a paused table held requests for 60 s (issue 10). Bounded: at most maxAttempts tries of
      // timeoutMs each, plus the SDK's jittered backoff; throttling is retried the same way.
      maxAttempts: c.storage.maxAttempts,
      requestHandler: {
        connectionTimeout: Math.min(1000, c.storage.timeoutMs),
        requestTimeout: c.storage.timeoutMs,
        throwOnRequestTimeout: true,
      },
    });
    client = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    clientFor = signature;
  }
  clientConfig = c;
  return client;
}

export function tableName(): string {
  return config().tableName;
}

export const TTL = TableDefinition.ttl;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function expiresIn(seconds: number): number {
  return nowSeconds() + seconds;
}

export function isExpired(item: Record<string, unknown> | undefined): boolean {
  const exp = item?.[TTL];
  return typeof exp === "number" && exp <= nowSeconds();
}

/** Get one item; an item past its TTL is treated as absent. */
export async function getItem<T = Record<string, unknown>>(key: Key, consistent = true): Promise<T | undefined> {
  const out = await ddb().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: consistent }));
  if (!out.Item || isExpired(out.Item)) return undefined;
  return out.Item as T;
}

/** Condition fragment that lets a put overwrite an item only when it is absent or expired. */
export function absentOrExpired(now = nowSeconds()) {
  return {
    ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
    ExpressionAttributeNames: { "#ttl": TTL },
    ExpressionAttributeValues: { ":now": now },
  };
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString("base64url") : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    // A cursor comes back from the client: anything but a key object starts from the beginning, not a 500.
    return key && typeof key === "object" && !Array.isArray(key) ? (key as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One page of a query; expired items are filtered out. */
export async function queryPage<T>(input: Omit<QueryCommandInput, "TableName">, cursor?: string): Promise<Page<T>> {
  const out = await ddb().send(
    new QueryCommand({ TableName: tableName(), ...input, ExclusiveStartKey: decodeCursor(cursor) }),
  );
  const items = (out.Items ?? []).filter((i) => !isExpired(i)) as T[];
  return { items, cursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Every item of a query (for bounded sets: a student's applications, an entity's audit trail). */
export async function queryAll<T>(input: Omit<QueryCommandInput, "TableName">): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage<T>(input, cursor);
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

/** The items of one TransactWriteItems call. */
export type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;

/**
 * A transaction cancelled only because another transaction held one of its items (the dashboard's counters are
 * shared by every move of a school's programme and stage): nothing of it was written, so it is tried again.
 */
export function isTransactionConflict(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  if (name === "TransactionConflictException") return true;
  if (name !== "TransactionCanceledException") return false;
  const codes = ((e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code);
  return codes.includes("TransactionConflict") && !codes.includes("ConditionalCheckFailed");
}

const CONFLICT_ATTEMPTS = 8;

/**
 * One all-or-nothing write. A cancellation caused only by a concurrent transaction on a shared item is retried
 * with a jittered, growing pause; a lost condition is the caller's to handle.
 */
export async function transact(items: TransactWriteCommandInput["TransactItems"]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ddb().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (e) {
      if (attempt >= CONFLICT_ATTEMPTS || !isTransactionConflict(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
    }
  }
}

/** Strip storage attributes before handing an item to a domain schema. */
export function withoutKeys<T extends Record<string, unknown>>(
  item: T,
): Omit<T, "pk" | "sk" | "gsi1pk" | "gsi1sk" | "gsi2pk" | "gsi2sk" | "expiresAt"> {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, expiresAt: _g, ...rest } = item;
  return rest;
}

/**
 * Unconditional bulk puts (imports and the demo seed), 25 per request, retrying
 * unprocessed items. Callers make the whole import idempotent themselves.
 */
export async function batchPut(items: Record<string, unknown>[], concurrency = 4): Promise<void> {
  await mapLimit(chunks(items, 25), concurrency, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error("DynamoDB kept refusing part of a batch write");
      const out = await ddb().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (out.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  });
}

/**
 * A guarded write: true when it applied, false when its condition did not hold (another writer got there
 * first, or the state moved on). Any other failure is thrown.
 */
export async function sendConditional(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
  try {
    await (ddb().send as (c: unknown) => Promise<unknown>)(command);
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** Unconditional bulk deletes (erasure on request), 25 per request, retrying unprocessed items. */
export async function batchDelete(itemKeys: Key[], concurrency = 4): Promise<void> {
  await mapLimit(chunks(itemKeys, 25), concurrency, async (chunk) => {
    let pending = chunk.map(({ pk, sk }) => ({ DeleteRequest: { Key: { pk, sk } } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error("DynamoDB kept refusing part of a batch delete");
      const out = await ddb().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (out.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  });
}

/** Keys per BatchGetItem request: DynamoDB's maximum. */
export const BATCH_GET_MAX = 100;

/**
 * Many items by key (big file imports), 100 keys per BatchGetItem request, consistent reads, retrying the
 * unprocessed keys DynamoDB hands back (throttling, 16 MB responses) with a growing pause. Returns the items found
 * by `pk|sk`; expired items are absent, as with getItem.
 */
export async function batchGet(itemKeys: Key[], concurrency = 4): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const unique = [...new Map(itemKeys.map((k) => [`${k.pk}|${k.sk}`, { pk: k.pk, sk: k.sk }])).values()];
  await mapLimit(chunks(unique, BATCH_GET_MAX), concurrency, async (chunk) => {
    let pending: Record<string, unknown>[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error("DynamoDB kept leaving keys of a batch read unprocessed");
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt)));
      const out = await ddb().send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[tableName()] ?? [])
        if (!isExpired(item)) found.set(`${item.pk as string}|${item.sk as string}`, item);
      pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
  });
  return found;
}
