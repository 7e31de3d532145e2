/**
 * Handoff requests ("人工", crisis turns): one item per request (pattern 29), listed for staff newest first, with
 * its conversation since the request (`thread`). Every text is stored with anything shaped like a phone, ID
 * number, 学籍号 or account replaced, and the chat user appears only as a short reference; children appear
 * masked, with their school so each school sees its own families' requests.
 *
 * Life of a request: `open` (in the inbox, sparse index 55) → `claimed` (a named staff account owns it; the bot
 * stays quiet for that user except for crisis) → `closed` (with a note; off the inbox). The chat user's key is
 * kept on the item — the reply has to reach them — but never leaves this module. A per-user marker (pattern 56)
 * says "this user has an open request" so the reply path needs one read per message, not a query.
 */
import { randomBytes } from "node:crypto";
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import {
  ddb,
  expiresIn,
  getItem,
  nowSeconds,
  queryAll,
  queryPage,
  sendConditional,
  tableName,
  TTL,
  withoutKeys,
  type Page,
} from "../db/client.js";
import { keys, type Key } from "../db/keys.js";
import { scrub } from "../log.js";
import { handoffText } from "../../prompts/handoff.js";
import { sha256Hex } from "../ids.js";

/** Kept half a year: long enough to follow up, not a permanent record of what families typed. */
export const KEEP_SECONDS = 180 * 24 * 3600;
/** A thread stops growing here (the item stays far below DynamoDB's 400 KB); later turns are not kept. */
const MAX_THREAD = 200;
const MAX_TEXT = 300;

export const HandoffStatus = z.enum(["open", "claimed", "closed"]);
export type HandoffStatus = z.infer<typeof HandoffStatus>;

export const ThreadEntry = z.object({
  at: z.string(),
  /** parent: the family; bot: the assistant's answer; staff: a person's reply. */
  from: z.enum(["parent", "bot", "staff"]),
  text: z.string(),
  /** Staff replies: who (李老师（学校资助专干）) and how it went out. */
  by: z.string().optional(),
  delivery: z.enum(["wechat", "web", "pending"]).optional(),
});
export type ThreadEntry = z.infer<typeof ThreadEntry>;

const Owner = z.object({ id: z.string(), name: z.string() });

export const HandoffInfo = z.object({
  id: z.string(),
  at: z.string(),
  channel: z.string(),
  /** A stable short reference for the chat user (not the OpenID itself). */
  userRef: z.string(),
  text: z.string(),
  children: z.array(z.object({ name: z.string(), schoolId: z.string() })),
  // Requests recorded before the inbox existed have none of the fields below: they read as open.
  status: HandoffStatus.default("open"),
  crisis: z.boolean().default(false),
  owner: Owner.optional(),
  claimedAt: z.string().optional(),
  closedAt: z.string().optional(),
  closeNote: z.string().optional(),
  /** The family's last message we know of (the request, or a later turn): WeChat's 48-hour window runs from it. */
  lastParentAt: z.string().optional(),
  thread: z.array(ThreadEntry).default([]),
});
export type HandoffInfo = z.infer<typeof HandoffInfo>;

/** What the reply path reads per message (pattern 56). */
export const OpenMarker = z.object({
  handoffId: z.string(),
  at: z.string(),
  owner: z.string().optional(),
  /** Staff replies that could not be sent (WeChat window passed): shown with the family's next message. */
  pending: z.array(z.string()).default([]),
});
export type OpenMarker = z.infer<typeof OpenMarker>;

export function userRef(tenant: string, userKey: string): string {
  return `u_${sha256Hex(`${tenant}|${userKey}`).slice(0, 10)}`;
}

/** Numbers written with spaces or dashes (139 1234 5678) are joined first, so the scrubber sees them whole. */
export function maskText(text: string): string {
  const scrubbed = scrub(text.slice(0, MAX_TEXT).replace(/(?<=\d)[\s-]+(?=\d)/g, ""));
  // Staff read these threads: the scrubber's marks become Chinese words.
  return scrubbed.replace(/\[(?:id|phone|number)\]/g, (mark) => handoffText.hidden[mark] ?? mark);
}

function ticketItem(tenant: string, value: HandoffInfo, userKey: string) {
  return {
    ...keys.handoff(tenant, value.at, value.id),
    ...keys.handoffById(tenant, value.id),
    ...(value.status === "closed" ? {} : keys.openHandoff(tenant, value.at, value.id)),
    type: "handoff",
    ...value,
    userKey,
    [TTL]: expiresIn(KEEP_SECONDS),
  };
}

function parse(item: Record<string, unknown>): HandoffInfo {
  const { userKey: _u, type: _t, ...rest } = withoutKeys(item);
  return HandoffInfo.parse(rest);
}

/** The user's open request, if any: one consistent read (TTL-aware). */
export async function openFor(tenant: string, userKey: string): Promise<OpenMarker | undefined> {
  const item = await getItem<Record<string, unknown>>(keys.userHandoff(tenant, userKey));
  const parsed = OpenMarker.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}

async function putMarker(tenant: string, userKey: string, marker: OpenMarker): Promise<void> {
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.userHandoff(tenant, userKey), type: "handoffMarker", ...marker, [TTL]: expiresIn(KEEP_SECONDS) },
    }),
  );
}

/**
 * A family asks for a person. While the same user has a request open, the new words join that request's thread
 * (through the reply path) instead of opening a second one.
 */
export async function record(
  tenant: string,
  userKey: string,
  text: string,
  children: { name: string; schoolId: string }[],
  now = new Date(),
): Promise<HandoffInfo> {
  const open = await openFor(tenant, userKey);
  if (open) {
    const current = await byId(tenant, open.handoffId);
    if (current && current.info.status !== "closed") return current.info;
  }
  const at = now.toISOString();
  const clean = maskText(text);
  const value = HandoffInfo.parse({
    id: `hnd_${randomBytes(8).toString("hex")}`,
    at,
    channel: userKey.split(":")[0] ?? "unknown",
    userRef: userRef(tenant, userKey),
    text: clean,
    children,
    status: "open",
    lastParentAt: at,
    thread: [{ at, from: "parent", text: clean }],
  });
  await ddb().send(new PutCommand({ TableName: tableName(), Item: ticketItem(tenant, value, userKey) }));
  await putMarker(tenant, userKey, { handoffId: value.id, at, pending: [] });
  return value;
}

export interface Ticket {
  info: HandoffInfo;
  key: Key;
  /** The chat user to answer (wechat:<openid>, web:<id>); never shown to staff. */
  userKey: string;
}

/** Pattern 57: a request by its id. */
export async function byId(tenant: string, id: string): Promise<Ticket | undefined> {
  if (!/^hnd_[0-9a-f]{16}$/.test(id)) return undefined;
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk AND gsi1sk = :sk",
    ExpressionAttributeValues: { ":pk": keys.handoffById(tenant, id).gsi1pk, ":sk": "HANDOFF" },
  });
  const item = items[0];
  if (!item) return undefined;
  return { info: parse(item), key: { pk: String(item.pk), sk: String(item.sk) }, userKey: String(item.userKey ?? "") };
}

/** Pattern 55: every open or claimed request (the inbox), oldest first. */
export async function listOpen(tenant: string): Promise<HandoffInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.openHandoffsPk(tenant) },
  });
  return items.map(parse);
}

/** Pattern 29: newest first, a page at a time; `visible` filters by the caller's scope. */
export async function list(tenant: string, cursor?: string, limit = 50): Promise<Page<HandoffInfo>> {
  const page = await queryPage<Record<string, unknown>>(
    {
      KeyConditionExpression: "pk = :pk",
      // Retention is enforced by reads too: DynamoDB deletes expired items only eventually.
      FilterExpression: "attribute_not_exists(#ttl) OR #ttl > :now",
      ExpressionAttributeNames: { "#ttl": TTL },
      ExpressionAttributeValues: { ":pk": keys.handoffsPk(tenant), ":now": nowSeconds() },
      ScanIndexForward: false,
      Limit: limit,
    },
    cursor,
  );
  return { items: page.items.map(parse), cursor: page.cursor };
}

/** Add turns to a request's thread (masked). `parent` moves the 48-hour window. False when it is closed or full. */
export async function appendThread(
  key: Key,
  entries: ThreadEntry[],
  opts: { parentAt?: string; crisis?: boolean } = {},
): Promise<boolean> {
  const clean = entries.map((e) => ThreadEntry.parse({ ...e, text: maskText(e.text) }));
  const sets = ["thread = list_append(if_not_exists(thread, :empty), :e)"];
  const values: Record<string, unknown> = { ":e": clean, ":empty": [], ":closed": "closed", ":max": MAX_THREAD };
  if (opts.parentAt) {
    sets.push("lastParentAt = :p");
    values[":p"] = opts.parentAt;
  }
  if (opts.crisis) {
    sets.push("crisis = :t");
    values[":t"] = true;
  }
  return sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression:
        "attribute_exists(pk) AND #st <> :closed AND (attribute_not_exists(thread) OR size(thread) < :max)",
      ExpressionAttributeNames: { "#st": "status" },
      ExpressionAttributeValues: values,
    }),
  );
}

/**
 * A staff reply is sent once: the reply's digest is claimed on the request before it goes out, so a double click or
 * a retried POST with the same words within `windowMs` finds the claim and sends nothing. `false` = already sent.
 */
export async function claimReply(key: Key, text: string, now: number, windowMs = 10 * 60_000): Promise<boolean> {
  return sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: "SET lastReplyDigest = :d, lastReplyAt = :now",
      ConditionExpression:
        "attribute_exists(pk) AND (attribute_not_exists(lastReplyDigest) OR lastReplyDigest <> :d OR lastReplyAt < :cutoff)",
      ExpressionAttributeValues: { ":d": sha256Hex(text), ":now": now, ":cutoff": now - windowMs },
    }),
  );
}

/** Gives the claim back when the reply could not go out, so sending it again works. */
export async function releaseReply(key: Key, text: string): Promise<void> {
  await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: "REMOVE lastReplyDigest, lastReplyAt",
      ConditionExpression: "lastReplyDigest = :d",
      ExpressionAttributeValues: { ":d": sha256Hex(text) },
    }),
  );
}

/** The user's open request becomes a crisis (it is listed first and marked). */
export async function markCrisis(tenant: string, userKey: string): Promise<void> {
  const open = await openFor(tenant, userKey);
  const t = open ? await byId(tenant, open.handoffId) : undefined;
  if (!t) return;
  await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: t.key,
      UpdateExpression: "SET crisis = :t",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":t": true },
    }),
  );
}

/** open → claimed by `owner`; false when someone else got there first or it is closed. */
export async function claim(tenant: string, t: Ticket, owner: { id: string; name: string }, at: string) {
  const ok = await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: t.key,
      UpdateExpression: "SET #st = :claimed, #owner = :o, claimedAt = :at",
      ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(#st) OR #st = :open)",
      ExpressionAttributeNames: { "#st": "status", "#owner": "owner" },
      ExpressionAttributeValues: { ":claimed": "claimed", ":open": "open", ":o": owner, ":at": at },
    }),
  );
  if (ok) await updateMarker(tenant, t, { owner: owner.name });
  return ok;
}

async function updateMarker(tenant: string, t: Ticket, set: { owner?: string; pending?: string }) {
  const parts: string[] = [];
  const values: Record<string, unknown> = { ":id": t.info.id };
  if (set.owner !== undefined) {
    parts.push("#owner = :o");
    values[":o"] = set.owner;
  }
  if (set.pending !== undefined) {
    parts.push("pending = list_append(if_not_exists(pending, :empty), :p)");
    values[":p"] = [set.pending];
    values[":empty"] = [];
  }
  await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.userHandoff(tenant, t.userKey),
      UpdateExpression: `SET ${parts.join(", ")}`,
      ConditionExpression: "handoffId = :id",
      ExpressionAttributeNames: set.owner !== undefined ? { "#owner": "owner" } : undefined,
      ExpressionAttributeValues: values,
    }),
  );
}

/** A staff reply that could not be sent now waits on the marker for the family's next message. */
export async function holdForNextMessage(tenant: string, t: Ticket, text: string): Promise<void> {
  await updateMarker(tenant, t, { pending: text });
}

/** The pending replies, handed out once: the marker's list is emptied only if nothing was added meanwhile. */
export async function takePending(tenant: string, userKey: string, marker: OpenMarker): Promise<string[]> {
  if (marker.pending.length === 0) return [];
  const ok = await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.userHandoff(tenant, userKey),
      UpdateExpression: "SET pending = :empty",
      ConditionExpression: "handoffId = :id AND size(pending) = :n",
      ExpressionAttributeValues: { ":empty": [], ":id": marker.handoffId, ":n": marker.pending.length },
    }),
  );
  return ok ? marker.pending : [];
}

/** claimed/open → closed with a note; off the inbox, and the bot answers the family again. */
export async function close(tenant: string, t: Ticket, note: string, at: string): Promise<boolean> {
  const ok = await sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: t.key,
      UpdateExpression: "SET #st = :closed, closedAt = :at, closeNote = :n REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(#st) OR #st <> :closed)",
      ExpressionAttributeNames: { "#st": "status" },
      ExpressionAttributeValues: { ":closed": "closed", ":at": at, ":n": maskText(note) },
    }),
  );
  if (ok && t.userKey) {
    await sendConditional(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.userHandoff(tenant, t.userKey),
        ConditionExpression: "handoffId = :id",
        ExpressionAttributeValues: { ":id": t.info.id },
      }),
    );
  }
  return ok;
}
