/**
 * Events: one staff action that goes out to families (a 公示 list, a payment batch, a school broadcast, an
 * objection decided). The event record says what to tell; its members (lists, payments, the one student of an
 * objection) or its audience (broadcasts) say to whom. Fan-out reads both a page at a time.
 */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { Programme, Term } from "../applications/index.js";
import { Actor } from "../audit/index.js";
import { ddb, queryPage, tableName, withoutKeys, type Page, sendConditional } from "../db/client.js";
import { keys } from "../db/keys.js";
import { isConditionFailure } from "../errors.js";
import { SchoolId } from "../schools/index.js";
import { canSeeSchoolId, type Staff } from "../staff/index.js";

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "date must look like 2025-11-01")
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    "not a calendar date",
  );

export const ListScope = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("school"), schoolId: SchoolId }),
  z.object({ kind: z.literal("village"), village: z.string().trim().min(1).max(40) }),
]);
export type ListScope = z.infer<typeof ListScope>;

export const Audience = z
  .object({
    schoolId: SchoolId,
    grade: z.string().trim().min(1).max(12).optional(),
    class: z.string().trim().min(1).max(12).optional(),
  })
  .refine((a) => a.class === undefined || a.grade !== undefined, {
    message: "a class needs its grade",
    path: ["class"],
  });
export type Audience = z.infer<typeof Audience>;

export const EventStatus = z.enum([
  /** Applications are being moved (lists, payments); fan-out not started. */
  "preparing",
  /** A broadcast waiting for its send time. */
  "scheduled",
  /** Fan-out enqueued. */
  "sending",
  /** Fan-out and every delivery are through (sent, delivered, failed, skipped or nobody to reach); `counts` says how it went. */
  "done",
  /** A 公示 list whose period is over and closed. */
  "closed",
]);
export type EventStatus = z.infer<typeof EventStatus>;

const Base = z.object({
  id: z.string(),
  tenant: z.string(),
  createdAt: z.string(),
  createdBy: Actor,
  status: EventStatus,
  /** Whose deliveries a school or township token may see; absent = bureau only (village lists, payment batches). */
  schoolId: z.string().optional(),
  /** Urgent notices ignore quiet hours. */
  urgent: z.boolean().default(false),
  sendAt: z.string().optional(),
  fanoutDoneAt: z.string().optional(),
  closedAt: z.string().optional(),
  /** When fan-out and delivery were through (the list may still be open for objections; a closed list keeps it). */
  finishedAt: z.string().optional(),
  counts: z.lazy(() => FinalCounts).optional(),
});

/** How an event's notices ended, by student (reached = at least one guardian got it) and by notice. */
export const FinalCounts = z.object({
  students: z.number().int(),
  reached: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  unreachable: z.number().int(),
});
export type FinalCounts = z.infer<typeof FinalCounts>;

export const PublicityDetail = z.object({
  programme: Programme,
  term: Term,
  scope: ListScope,
  start: IsoDate,
  end: IsoDate,
  objectionContact: z.string().trim().min(3).max(60),
});

/** How the bureau decided one application's objection: told to that family only (the event's one member). */
export const ObjectionDetail = z.object({
  applicationId: z.string(),
  programme: Programme,
  term: Term,
  /** upheld: the objection holds, the application is 未通过; dismissed: it does not, the application is 公示无异议. */
  verdict: z.enum(["upheld", "dismissed"]),
  /** The bureau's reason (复核意见): the family reads it when the objection is upheld. */
  reason: z.string(),
});
export type ObjectionDetail = z.infer<typeof ObjectionDetail>;

export const EventInfo = z.discriminatedUnion("kind", [
  Base.extend({ kind: z.literal("publicity"), publicity: PublicityDetail }),
  Base.extend({ kind: z.literal("payment"), payment: z.object({ batchId: z.string() }) }),
  Base.extend({ kind: z.literal("broadcast"), broadcast: z.object({ audience: Audience, text: z.string() }) }),
  Base.extend({ kind: z.literal("objection"), objection: ObjectionDetail }),
]);
export type EventInfo = z.infer<typeof EventInfo>;
export type EventKind = EventInfo["kind"];

/** One paid application of a member (a batch may pay one student for two programmes). */
export const PaidLine = z.object({
  applicationId: z.string(),
  programme: Programme,
  term: Term,
  amountFen: z.number().int(),
  paidDate: z.string(),
  accountLast4: z.string(),
});
export type PaidLine = z.infer<typeof PaidLine>;

/** A listed or paid student: what that student's notices need, copied once so fan-out reads no other record. */
export const MemberInfo = z.object({
  studentId: z.string(),
  applicationIds: z.array(z.string()).min(1),
  schoolId: z.string(),
  /** Class and masked name (张*明 — the only form of the name notifications and reports ever carry); when the
   * publishing request did not read the student, fan-out does. */
  grade: z.string().optional(),
  class: z.string().optional(),
  child: z.string().optional(),
  payments: z.array(PaidLine).optional(),
});
export type MemberInfo = z.infer<typeof MemberInfo>;

function eventItem(e: EventInfo) {
  return {
    ...keys.event(e.tenant, e.id),
    ...keys.eventListing(e.tenant, e.createdAt, e.id),
    ...(e.status === "scheduled" && e.sendAt ? keys.scheduledEvent(e.tenant, e.sendAt, e.id) : {}),
    type: "event",
    ...e,
  };
}

/** The Put of a new event, for the same transaction as the change it announces (fails when the id exists). */
export function eventPut(e: EventInfo) {
  return {
    Put: {
      TableName: tableName(),
      Item: eventItem(EventInfo.parse(e)),
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** Create the event unless it exists (deterministic ids make a repeated request find its first event). */
export async function putEvent(e: EventInfo): Promise<{ created: boolean; event: EventInfo }> {
  const value = EventInfo.parse(e);
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: eventItem(value),
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return { created: true, event: value };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const existing = await getEvent(value.tenant, value.id);
    if (!existing) throw err;
    return { created: false, event: existing };
  }
}

export async function getEvent(tenant: string, id: string): Promise<EventInfo | undefined> {
  if (!/^evt_[0-9a-z]{16}$/.test(id)) return undefined;
  const out = await ddb().send(
    new GetCommand({ TableName: tableName(), Key: keys.event(tenant, id), ConsistentRead: true }),
  );
  return out.Item ? EventInfo.parse(withoutKeys(out.Item)) : undefined;
}

/** Move the event's status; `from` guards against racing a concurrent move. Returns false when it had moved on. */
export async function setStatus(
  tenant: string,
  id: string,
  from: EventStatus[],
  to: EventStatus,
  extra: { closedAt?: string } = {},
): Promise<boolean> {
  const values: Record<string, unknown> = { ":to": to };
  from.forEach((s, i) => (values[`:f${i}`] = s));
  const sets = ["#s = :to"];
  if (extra.closedAt) {
    sets.push("closedAt = :closedAt");
    values[":closedAt"] = extra.closedAt;
  }
  return sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.event(tenant, id),
      // Leaving "scheduled" also leaves the held index (16b).
      UpdateExpression: `SET ${sets.join(", ")} REMOVE gsi2pk, gsi2sk`,
      ConditionExpression: `attribute_exists(pk) AND #s IN (${from.map((_, i) => `:f${i}`).join(", ")})`,
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: values,
    }),
  );
}

/**
 * Record that fan-out finished (one segment of it, for member events): fanoutDoneAt is set once every segment
 * has reported. A set add is idempotent, so a redelivered last page counts once.
 */
export async function markFanoutDone(
  tenant: string,
  id: string,
  segment?: { name: string; of: number },
): Promise<boolean> {
  const now = new Date().toISOString();
  if (segment) {
    const out = await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.event(tenant, id),
        UpdateExpression: "ADD segmentsDone :s",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":s": new Set([segment.name]) },
        ReturnValues: "ALL_NEW",
      }),
    );
    const done = out.Attributes?.segmentsDone;
    if (!(done instanceof Set) || done.size < segment.of) return false;
  }
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.event(tenant, id),
      UpdateExpression: "SET fanoutDoneAt = if_not_exists(fanoutDoneAt, :now)",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":now": now },
    }),
  );
  return true;
}

/**
 * The count of an event's notices still in flight (queued, held, sending), kept as a hint: fan-out adds what it
 * created, delivery takes one off per notice it ends. It only decides when to look; `finishIfComplete` recounts
 * from the records, so a count left off by a crash costs a recount, never a wrong "done". Returns the new value.
 */
export async function addOpen(tenant: string, id: string, delta: number): Promise<number> {
  const out = await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.event(tenant, id),
      UpdateExpression: "ADD openNotices :d",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":d": delta },
      ReturnValues: "UPDATED_NEW",
    }),
  );
  return Number(out.Attributes?.openNotices ?? 0);
}

/**
 * Record the final counts: sending → done; a list already closed for objections keeps "closed" and gains the
 * counts. Returns false when it had already finished (or was not sending).
 */
export async function markFinished(
  tenant: string,
  id: string,
  counts: FinalCounts,
  at = new Date().toISOString(),
): Promise<boolean> {
  const values = { ":c": FinalCounts.parse(counts), ":at": at };
  const toDone = await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.event(tenant, id),
      UpdateExpression: "SET #s = :done, finishedAt = :at, #c = :c",
      ConditionExpression: "attribute_exists(pk) AND #s = :sending AND attribute_exists(fanoutDoneAt)",
      ExpressionAttributeNames: { "#s": "status", "#c": "counts" },
      ExpressionAttributeValues: { ...values, ":done": "done", ":sending": "sending" },
    }),
  );
  if (toDone) return true;
  return sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.event(tenant, id),
      UpdateExpression: "SET finishedAt = :at, #c = :c",
      ConditionExpression:
        "attribute_exists(pk) AND #s = :closed AND attribute_exists(fanoutDoneAt) AND attribute_not_exists(finishedAt)",
      ExpressionAttributeNames: { "#s": "status", "#c": "counts" },
      ExpressionAttributeValues: { ...values, ":closed": "closed" },
    }),
  );
}

/** The Put of a member, for the same transaction that moves its application (so a member exists iff it moved). */
export function memberPut(tenant: string, eventId: string, m: MemberInfo) {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.eventMember(tenant, eventId, m.studentId), type: "eventMember", ...MemberInfo.parse(m) },
    },
  };
}

/** Pattern 15b: members of an event, a page at a time; `idPrefix` narrows to students whose id starts with it. */
export async function membersPage(
  tenant: string,
  eventId: string,
  cursor: string | undefined,
  limit: number,
  idPrefix = "",
): Promise<Page<MemberInfo>> {
  const page = await queryPage<Record<string, unknown>>(
    {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
      ExpressionAttributeValues: { ":pk": keys.notificationsOfEventPk(tenant, eventId), ":p": `MEM#${idPrefix}` },
      Limit: limit,
    },
    cursor,
  );
  return { items: page.items.map((i) => MemberInfo.parse(withoutKeys(i))), cursor: page.cursor };
}

/** Bureau sees every event; a school or township token sees the events of a school in its scope. */
export async function canSeeEvent(staff: Staff, event: EventInfo): Promise<boolean> {
  if (event.tenant !== staff.tenant) return false;
  if (staff.role === "bureau") return true;
  return event.schoolId !== undefined && (await canSeeSchoolId(staff, event.schoolId));
}
