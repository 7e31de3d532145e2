/**
 * Web-chat sessions (pattern 21). The server issues them: a session id is 128 random bits (base64url), stored
 * with a TTL and mapped to a separate random user id, so the bearer secret never appears in the userKey
 * (`web:<userId>`) that other records and logs carry. A client cannot choose a session: an unknown, expired or
 * malformed id simply gets a new session (and a new, empty user).
 */
import { randomBytes } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, getItem, nowSeconds, tableName, TTL } from "../../db/client.js";
import { keys } from "../../db/keys.js";

/** A session lives 30 days after its last use. */
export const SESSION_TTL_SECONDS = 30 * 24 * 3600;
/** The expiry is pushed forward only when less than this is left (one write a day at most, not one per message). */
const REFRESH_BELOW_SECONDS = SESSION_TTL_SECONDS - 24 * 3600;

const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

export interface WebSession {
  sessionId: string;
  userId: string;
  /** Where the inbox was read up to (core/notifications/inbox.ts cursor). */
  inboxCursor?: string;
  isNew: boolean;
}

interface Stored {
  userId: string;
  inboxCursor?: string;
  [TTL]?: number;
}

const random128 = () => randomBytes(16).toString("base64url");

async function create(tenant: string): Promise<WebSession> {
  const sessionId = random128();
  const userId = random128();
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.webSession(tenant, sessionId), type: "webSession", userId, createdAt: new Date().toISOString(), [TTL]: nowSeconds() + SESSION_TTL_SECONDS },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return { sessionId, userId, isNew: true };
}

/** The session for `sessionId`, or a fresh one when it is absent, unknown, expired or malformed. */
export async function resolveSession(tenant: string, sessionId: string | undefined): Promise<WebSession> {
  if (!sessionId || !SESSION_ID.test(sessionId)) return create(tenant);
  const item = await getItem<Stored>(keys.webSession(tenant, sessionId));
  if (!item || typeof item.userId !== "string") return create(tenant);
  const left = (item[TTL] ?? 0) - nowSeconds();
  if (left < REFRESH_BELOW_SECONDS) {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webSession(tenant, sessionId),
        UpdateExpression: "SET #ttl = :ttl",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#ttl": TTL },
        ExpressionAttributeValues: { ":ttl": nowSeconds() + SESSION_TTL_SECONDS },
      }),
    ).catch(() => undefined); // best effort: the session still works until its current expiry
  }
  return { sessionId, userId: item.userId, ...(item.inboxCursor ? { inboxCursor: item.inboxCursor } : {}), isNew: false };
}

/** Remembers how far the inbox was shown. */
export async function saveInboxCursor(tenant: string, sessionId: string, cursor: string): Promise<void> {
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.webSession(tenant, sessionId),
      UpdateExpression: "SET inboxCursor = :c",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":c": cursor },
    }),
  );
}
