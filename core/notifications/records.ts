/**
 * Notification records: one per (event, student, recipient), id = stableId(event, student, userKey), created with
 * a conditional put, so a redelivered fan-out page finds its notifications instead of re-queuing them.
 *
 * States: queued → sending → sent → delivered | failed (TEMPLATESENDJOBFINISH); sending → held (quiet hours;
 * fan-out may also create them held) → queued by the release job; sending → queued (retry later); sending →
 * delivered (web inbox), failed (permanent WeChat error) or skipped (退订, broadcasts only); unreachable = a
 * student with no bound guardian (no recipient). Every move is a condition on the current state: a worker sends only after winning the claim
 * (→ sending), and a stale claim (a worker that died) can be taken over; WeChat's client_msg_id (= our id) makes
 * the takeover's second send a no-op within 10 minutes.
 */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import {
  ddb,
  expiresIn,
  isExpired,
  queryAll,
  queryPage,
  tableName,
  transact,
  TTL,
  withoutKeys,
  sendConditional,
} from "../db/client.js";
import { keys } from "../db/keys.js";
import { isConditionFailure } from "../errors.js";
import { stableId } from "../ids.js";
import { chunks, mapLimit } from "../concurrency.js";
import { PaidLine } from "./events.js";

export const NotificationStatus = z.enum([
  "queued",
  "held",
  "sending",
  "sent",
  "delivered",
  "failed",
  "skipped",
  "unreachable",
]);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

/** A claim older than this is taken to be from a worker that died; well inside WeChat's 10-minute client_msg_id window. */
export const STALE_CLAIM_MS = 15_000;

export const NotificationInfo = z.object({
  id: z.string(),
  tenant: z.string(),
  eventId: z.string(),
  kind: z.enum(["publicity", "payment", "broadcast", "objection"]),
  studentId: z.string(),
  schoolId: z.string(),
  grade: z.string(),
  class: z.string(),
  /** The student's masked name: the only name a notification record carries. */
  child: z.string(),
  /** Absent for `unreachable` (nobody to send to). */
  userKey: z.string().optional(),
  /** Per-student facts of a payment notice. */
  payments: z.array(PaidLine).optional(),
  status: NotificationStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  releaseAt: z.string().optional(),
  claimedAt: z.number().optional(),
  attempts: z.number().int().default(0),
  msgid: z.string().optional(),
  errcode: z.number().int().optional(),
  /** Why it failed / was skipped: a code, never personal data. */
  reason: z.string().optional(),
  /** When it reached the web-chat inbox (fixed at the first attempt, so a retry writes the same inbox item). */
  inboxAt: z.string().optional(),
});
export type NotificationInfo = z.infer<typeof NotificationInfo>;

export function notificationId(
  tenant: string,
  eventId: string,
  studentId: string,
  userKey: string | undefined,
): string {
  return stableId("ntf", tenant, eventId, studentId, userKey ?? "-");
}

/**
 * Delivery records (who was sent what, with the chat user key) are kept one school year and a term after they are
 * made — long enough for the event's report and follow-up list — then TTL deletes them; reads skip expired ones
 * (docs/privacy.md).
 */
export const DELIVERY_RECORD_DAYS = 400;

function item(n: NotificationInfo) {
  return {
    ...keys.notification(n.tenant, n.eventId, n.id),
    ...(n.status === "held" && n.releaseAt ? keys.heldNotification(n.tenant, n.releaseAt, n.id) : {}),
    type: "notification",
    ...n,
    [TTL]: expiresIn(DELIVERY_RECORD_DAYS * 24 * 3600),
  };
}

const parse = (raw: Record<string, unknown>) => NotificationInfo.parse(withoutKeys(raw));

/**
 * Create each notification unless it exists. Returns the ones a delivery job should be sent for: the new ones and
 * the existing ones still queued (their first fan-out may have died before enqueuing them). `created.open` gains
 * the number of newly created ones still to be sent (queued or held), for the event's in-flight count.
 *
 * A first fan-out writes a page's notifications in transactions of conditional puts (one request per 100); only a
 * redelivered page finds some existing and falls back to one conditional put each, reading the ones it lost to.
 */
export async function createMany(list: NotificationInfo[], created?: { open: number }): Promise<NotificationInfo[]> {
  const out: NotificationInfo[] = [];
  const isOpen = (n: NotificationInfo) => n.status === "queued" || n.status === "held";
  await mapLimit(chunks(list, 100), 4, async (chunk) => {
    try {
      await transact(
        chunk.map((n) => ({
          Put: {
            TableName: tableName(),
            Item: item(NotificationInfo.parse(n)),
            ConditionExpression: "attribute_not_exists(pk)",
          },
        })),
      );
      out.push(...chunk);
      if (created) created.open += chunk.filter(isOpen).length;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      out.push(...(await createOneByOne(chunk, created)));
    }
  });
  return out.filter((n) => n.status === "queued");
}

async function createOneByOne(list: NotificationInfo[], created?: { open: number }): Promise<NotificationInfo[]> {
  const results = await mapLimit(list, 16, async (n) => {
    try {
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: item(NotificationInfo.parse(n)),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      if (created && (n.status === "queued" || n.status === "held")) created.open++;
      return n;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      return get(n.tenant, n.eventId, n.id);
    }
  });
  return results.filter((n): n is NotificationInfo => n !== undefined);
}

export async function get(tenant: string, eventId: string, id: string): Promise<NotificationInfo | undefined> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName(), Key: keys.notification(tenant, eventId, id), ConsistentRead: true }),
  );
  return out.Item && !isExpired(out.Item) ? parse(out.Item) : undefined;
}

export type Claim = { ok: true; notification: NotificationInfo } | { ok: false; current?: NotificationInfo };

/**
 * Win the right to send: queued, held, or a stale sending claim → sending. A held one claimed early (a duplicate
 * message) is held again by the quiet-hours check that follows every claim. The condition is the guard; the read
 * after a lost claim only decides what to tell the queue.
 */
export async function claim(tenant: string, eventId: string, id: string, now = Date.now()): Promise<Claim> {
  try {
    const out = await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(tenant, eventId, id),
        UpdateExpression:
          "SET #s = :sending, claimedAt = :now, updatedAt = :iso, attempts = if_not_exists(attempts, :zero) + :one REMOVE gsi2pk, gsi2sk",
        ConditionExpression:
          "attribute_exists(pk) AND (#s IN (:queued, :held) OR (#s = :sending AND claimedAt < :stale))",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":sending": "sending",
          ":queued": "queued",
          ":held": "held",
          ":now": now,
          ":iso": new Date(now).toISOString(),
          ":stale": now - STALE_CLAIM_MS,
          ":zero": 0,
          ":one": 1,
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return { ok: true, notification: parse(out.Attributes ?? {}) };
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    // Losing is the rare path (a duplicate message, a live claim elsewhere): read what is there.
    return { ok: false, current: await get(tenant, eventId, id) };
  }
}

interface Outcome {
  msgid?: string;
  errcode?: number;
  reason?: string;
}

/**
 * Record the end of an attempt (sending → to). A lost condition means someone else recorded first (a takeover,
 * or the TEMPLATESENDJOBFINISH webhook): the caller reads and accepts what is there.
 */
export async function finish(
  n: NotificationInfo,
  to: "sent" | "delivered" | "failed" | "skipped",
  outcome: Outcome = {},
): Promise<boolean> {
  const values: Record<string, unknown> = { ":to": to, ":sending": "sending", ":iso": new Date().toISOString() };
  const sets = ["#s = :to", "updatedAt = :iso"];
  for (const [k, v] of Object.entries(outcome)) {
    if (v === undefined) continue;
    sets.push(`${k} = :${k}`);
    values[`:${k}`] = v;
  }
  return sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.notification(n.tenant, n.eventId, n.id),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: "#s = :sending",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: values,
    }),
  );
}

/** Give the claim back (sending → queued) before a retry-later, so the next attempt may claim at once. */
export async function unclaim(n: NotificationInfo, reason: string, errcode?: number): Promise<void> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(n.tenant, n.eventId, n.id),
        UpdateExpression: `SET #s = :queued, updatedAt = :iso, reason = :reason${errcode === undefined ? "" : ", errcode = :e"} REMOVE claimedAt`,
        ConditionExpression: "#s = :sending AND claimedAt = :mine",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":queued": "queued",
          ":sending": "sending",
          ":mine": n.claimedAt,
          ":iso": new Date().toISOString(),
          ":reason": reason,
          ...(errcode === undefined ? {} : { ":e": errcode }),
        },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** Quiet hours: sending → held until `releaseAt` (pattern 16 puts it in the release job's index). */
export async function hold(n: NotificationInfo, releaseAt: string): Promise<void> {
  const held = keys.heldNotification(n.tenant, releaseAt, n.id);
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(n.tenant, n.eventId, n.id),
        UpdateExpression:
          "SET #s = :held, releaseAt = :r, gsi2pk = :g1, gsi2sk = :g2, updatedAt = :iso REMOVE claimedAt",
        ConditionExpression: "#s = :sending AND claimedAt = :mine",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":held": "held",
          ":sending": "sending",
          ":mine": n.claimedAt,
          ":r": releaseAt,
          ":g1": held.gsi2pk,
          ":g2": held.gsi2sk,
          ":iso": new Date().toISOString(),
        },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** Release job: held → queued (after the delivery job is enqueued; a claim that got there first wins). */
export async function releaseHeld(tenant: string, eventId: string, id: string): Promise<void> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(tenant, eventId, id),
        UpdateExpression: "SET #s = :queued, updatedAt = :iso REMOVE gsi2pk, gsi2sk",
        ConditionExpression: "#s = :held",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":queued": "queued", ":held": "held", ":iso": new Date().toISOString() },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** Fix the inbox time at the first attempt; a retry gets the same time, hence the same inbox item. */
export async function fixInboxTime(n: NotificationInfo): Promise<string> {
  const out = await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.notification(n.tenant, n.eventId, n.id),
      UpdateExpression: "SET inboxAt = if_not_exists(inboxAt, :iso)",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":iso": new Date().toISOString() },
      ReturnValues: "ALL_NEW",
    }),
  );
  return String(out.Attributes?.inboxAt);
}

/**
 * Pattern 15 page by page, status and student only (the event's finish counts them; memory stays one page however
 * large the event, and a notice still in flight ends the read early).
 */
export async function* statusPagesOfEvent(
  tenant: string,
  eventId: string,
): AsyncGenerator<Pick<NotificationInfo, "status" | "studentId">[]> {
  let cursor: string | undefined;
  do {
    const page = await queryPage<Record<string, unknown>>(
      {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues: { ":pk": keys.notificationsOfEventPk(tenant, eventId), ":p": "NTF#" },
        ProjectionExpression: "#s, studentId",
        // The event's finish is decided from this read: it must see the last notice that ended.
        ConsistentRead: true,
        ExpressionAttributeNames: { "#s": "status" },
      },
      cursor,
    );
    yield page.items.map((i) => ({ status: NotificationStatus.parse(i.status), studentId: String(i.studentId) }));
    cursor = page.cursor;
  } while (cursor);
}

/** The delivery report's projection of pattern 15: every notification of an event, small fields only. */
export async function ofEvent(
  tenant: string,
  eventId: string,
): Promise<Pick<NotificationInfo, "status" | "studentId" | "schoolId" | "grade" | "class" | "child" | "reason">[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": keys.notificationsOfEventPk(tenant, eventId), ":p": "NTF#" },
    // The TTL attribute too, so that queryAll leaves out expired records DynamoDB has not deleted yet.
    ProjectionExpression: "#s, studentId, schoolId, grade, #c, child, reason, #ttl",
    // The event's finish is decided from this read: it must see the last notice that ended.
    ConsistentRead: true,
    ExpressionAttributeNames: { "#s": "status", "#c": "class", "#ttl": TTL },
  });
  return items.map((i) =>
    NotificationInfo.pick({
      status: true,
      studentId: true,
      schoolId: true,
      grade: true,
      class: true,
      child: true,
      reason: true,
    }).parse(i),
  );
}
