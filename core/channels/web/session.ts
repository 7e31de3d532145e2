/**
 * Web-chat sessions (pattern 21). The server issues them: a session id is 128 random bits (base64url), stored
 * with a TTL and mapped to a separate random user id, so the bearer secret never appears in the userKey
 * (`web:<userId>`) that other records and logs carry. A client cannot choose a session: an unknown, expired or
 * malformed id simply gets a new session (and a new, empty user).
 *
 * Lifetime: an anonymous session (no child bound) lives 12 hours after its last use — enough for a conversation,
 * not a pile of 30-day items per visitor; once the user has bound a child it lives 30 days after its last use.
 * New sessions per client address are limited (core/abuse/ratelimit.ts).
 */
import { randomBytes } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, getItem, nowSeconds, tableName, TTL } from "../../db/client.js";
import { keys, userKey } from "../../db/keys.js";
import { enforce, RateRules } from "../../abuse/ratelimit.js";
import * as bindings from "../../families/bindings.js";
import { isConditionFailure } from "../../errors.js";

/** A session of a user who bound a child lives 30 days after its last use. */
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;
/** An anonymous session lives 12 hours after its last use. */
export const ANON_SESSION_TTL_SECONDS = 12 * 3600;
/**
 * The expiry is pushed forward only when less than this is left: at most one write (and, for an anonymous
 * session, one bindings query) an hour, not one per message.
 */
const REFRESH_SLACK_SECONDS = 3600;

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

export interface WebSession {
  sessionId: string;
  userId: string;
  /** Where the inbox was read up to (./inbox.ts cursor). */
  inboxCursor?: string;
  isNew: boolean;
}

interface Stored {
  userId: string;
  /** Set once the user has bound a child: the session then lives 30 days. */
  bound?: boolean;
  inboxCursor?: string;
  [TTL]?: number;
}

const random128 = () => randomBytes(16).toString("base64url");

async function create(tenant: string, client: string | undefined): Promise<WebSession> {
  await enforce(tenant, RateRules.sessionsPerClient, client);
  const sessionId = random128();
  const userId = random128();
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.webSession(tenant, sessionId),
        type: "webSession",
        userId,
        createdAt: new Date().toISOString(),
        [TTL]: nowSeconds() + ANON_SESSION_TTL_SECONDS,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return { sessionId, userId, isNew: true };
}

/** The session for `sessionId`, or a fresh one when it is absent, unknown, expired or malformed. */
export async function resolveSession(
  tenant: string,
  sessionId: string | undefined,
  client?: string,
): Promise<WebSession> {
  if (!sessionId || !SESSION_ID.test(sessionId)) return create(tenant, client);
  const item = await getItem<Stored>(keys.webSession(tenant, sessionId));
  if (!item || typeof item.userId !== "string") return create(tenant, client);
  const lifetime = item.bound ? SESSION_TTL_SECONDS : ANON_SESSION_TTL_SECONDS;
  const left = (item[TTL] ?? 0) - nowSeconds();
  if (left < lifetime - REFRESH_SLACK_SECONDS) {
    const bound =
      item.bound ||
      (await bindings.studentsOf(tenant, userKey("web", item.userId)).then(
        (b) => b.length > 0,
        () => false,
      ));
    await ddb()
      .send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webSession(tenant, sessionId),
          UpdateExpression: bound ? "SET #ttl = :ttl, bound = :b" : "SET #ttl = :ttl",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#ttl": TTL },
          ExpressionAttributeValues: {
            ":ttl": nowSeconds() + (bound ? SESSION_TTL_SECONDS : ANON_SESSION_TTL_SECONDS),
            ...(bound ? { ":b": true } : {}),
          },
        }),
      )
      .catch(() => undefined); // best effort: the session still works until its current expiry
  }
  return {
    sessionId,
    userId: item.userId,
    ...(item.inboxCursor ? { inboxCursor: item.inboxCursor } : {}),
    isNew: false,
  };
}

/** An existing session as it stands (no new session, no expiry pushed): the page's look for new notices uses it. */
export async function findSession(tenant: string, sessionId: string): Promise<WebSession | undefined> {
  if (!SESSION_ID.test(sessionId)) return undefined;
  const item = await getItem<Stored>(keys.webSession(tenant, sessionId));
  if (!item || typeof item.userId !== "string" || (item[TTL] ?? Infinity) < nowSeconds()) return undefined;
  return {
    sessionId,
    userId: item.userId,
    ...(item.inboxCursor ? { inboxCursor: item.inboxCursor } : {}),
    isNew: false,
  };
}

/** After a binding message: when the user now has a bound child, the session lives 30 days from now. */
export async function promoteIfBound(tenant: string, s: WebSession): Promise<void> {
  if ((await bindings.studentsOf(tenant, userKey("web", s.userId))).length === 0) return;
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.webSession(tenant, s.sessionId),
      UpdateExpression: "SET #ttl = :ttl, bound = :b",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#ttl": TTL },
      ExpressionAttributeValues: { ":ttl": nowSeconds() + SESSION_TTL_SECONDS, ":b": true },
    }),
  );
}

/**
 * Remembers how far the inbox was shown, only if no other read moved it since `from` (the cursor this read started
 * at): of two reads at once (a message and the page's look for notices) exactly one hands the items out.
 * Returns false when the other one did.
 */
export async function saveInboxCursor(
  tenant: string,
  sessionId: string,
  cursor: string,
  from: string | undefined,
): Promise<boolean> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webSession(tenant, sessionId),
        UpdateExpression: "SET inboxCursor = :c",
        ConditionExpression: from
          ? "attribute_exists(pk) AND inboxCursor = :from"
          : "attribute_exists(pk) AND attribute_not_exists(inboxCursor)",
        ExpressionAttributeValues: { ":c": cursor, ...(from ? { ":from": from } : {}) },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}
