/**
 * The inbound-message record (pattern 18): one item per WeChat push, keyed by a hash of dedupeKey(msg) (so no
 * openid sits in a key), created with a conditional put BEFORE any side effect. It is also the small state
 * machine that makes the 5-second deadline race-safe — exactly one of "passive reply" and "customer-service
 * send" can ever win, because each is a conditional transition out of `processing`:
 *
 *   processing ──answer ready in time──▶ (stays processing until its TTL: passive reply, no second write)
 *        │     ──ready, longer than one message──▶ sending(chunks, sent=1) ──worker──▶ answered
 *        └──budget spent / answer failed──▶ deferred ──worker claims──▶ sending ──all chunks sent──▶ answered
 *                                                                          └──window closed / refused──▶ failed
 *
 * `sending` carries a lease (`leaseUntil`, ms) so a worker that died mid-send is taken over after it lapses,
 * and `sent` (chunks delivered) so a takeover resumes instead of repeating. Items expire (TTL): 10 minutes
 * covers WeChat's ~15 s of retries many times over; deferred work keeps its record for an hour.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createHash } from "node:crypto";
import { absentOrExpired, ddb, getItem, nowSeconds, tableName, TTL, sendConditional } from "../../db/client.js";
import { keys } from "../../db/keys.js";
import { isConditionFailure } from "../../errors.js";

export const DEDUPE_TTL_SECONDS = 600;
export const DEFERRED_TTL_SECONDS = 3600;

export type InboundState = "processing" | "answered" | "deferred" | "sending" | "failed";

export interface InboundRecord {
  state: InboundState;
  /** The answer, once known, split for WeChat (only kept while it still has to be sent). */
  chunks?: string[];
  /** How many of `chunks` were delivered (the passive reply counts as the first). */
  sent?: number;
  /** ms since epoch; a `sending` record whose lease has lapsed may be taken over. */
  leaseUntil?: number;
  reason?: string;
}

/** The record id: sha256 of the dedupe key (which contains the openid). */
export function recordId(dedupeKey: string): string {
  return createHash("sha256").update(dedupeKey, "utf8").digest("hex");
}

/** Creates the record in `processing`; false when the push was seen before (answered, being answered, …). */
export async function claim(
  tenant: string,
  id: string,
): Promise<{ claimed: true } | { claimed: false; state?: string }> {
  const now = nowSeconds();
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.dedupe(tenant, id),
          type: "inbound",
          state: "processing",
          createdAt: new Date().toISOString(),
          [TTL]: now + DEDUPE_TTL_SECONDS,
        },
        ...absentOrExpired(now),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { claimed: true };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    const state = (e as { Item?: { state?: { S?: string } } }).Item?.state?.S;
    return { claimed: false, state };
  }
}

export async function get(tenant: string, id: string): Promise<InboundRecord | undefined> {
  return getItem<InboundRecord>(keys.dedupe(tenant, id));
}

interface Transition {
  from: InboundState;
  to: InboundState;
  /** Extra condition on the current item (ANDed), with its values. */
  when?: { expression: string; values: Record<string, unknown> };
  set?: Partial<Omit<InboundRecord, "state">> & { ttlSeconds?: number };
  /** Attributes to remove (e.g. the chunks once everything was sent). */
  remove?: (keyof InboundRecord)[];
}

/** One conditional state change; false when the record is not in `from` (someone else moved it). */
export async function transition(tenant: string, id: string, t: Transition): Promise<boolean> {
  const names: Record<string, string> = { "#state": "state" };
  const values: Record<string, unknown> = { ":from": t.from, ":to": t.to, ":at": new Date().toISOString() };
  const sets = ["#state = :to", "updatedAt = :at"];
  const { ttlSeconds, ...fields } = t.set ?? {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  if (ttlSeconds !== undefined) {
    names["#ttl"] = TTL;
    values[":ttl"] = nowSeconds() + ttlSeconds;
    sets.push("#ttl = :ttl");
  }
  let update = `SET ${sets.join(", ")}`;
  if (t.remove?.length) {
    for (const k of t.remove) names[`#${k}`] = k;
    update += ` REMOVE ${t.remove.map((k) => `#${k}`).join(", ")}`;
  }
  return sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.dedupe(tenant, id),
      UpdateExpression: update,
      ConditionExpression: `attribute_exists(pk) AND #state = :from${t.when ? ` AND (${t.when.expression})` : ""}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ...(t.when?.values ?? {}) },
    }),
  );
}

/** Deletes the record if it is still in `state`, so WeChat's next retry of the push is processed afresh. */
export async function release(tenant: string, id: string, state: InboundState): Promise<void> {
  await ddb()
    .send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.dedupe(tenant, id),
        ConditionExpression: "#state = :s",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":s": state },
      }),
    )
    .catch((e: unknown) => {
      if (!isConditionFailure(e)) throw e;
    });
}
