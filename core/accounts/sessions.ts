/**
 * Console sessions. The cookie value is `zs_<tenant>_<secret>`; only HMAC(pepper, value) is stored, with an
 * absolute expiry (TTL attribute) of 12 hours. Each session carries its CSRF token: the console sends it back in
 * the `x-csrf-token` header on every write (the cookie alone never authorises a write).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { config } from "../config.js";
import { ddb, getItem, tableName } from "../db/client.js";
import { keys } from "../db/keys.js";
import { TENANT_ID_CHARS } from "../ids.js";
import { fromUsername, type AccountInfo } from "./index.js";

export const SESSION_COOKIE = "zz_session";
export const CSRF_HEADER = "x-csrf-token";
export const SESSION_HOURS = 12;

const FORMAT = new RegExp(`^zs_(${TENANT_ID_CHARS})_([A-Za-z0-9_-]{43})$`);

const StoredSession = z.object({
  tenant: z.string(),
  username: z.string(),
  csrf: z.string(),
  createdAt: z.string(),
  expiresAt: z.number(),
});

function hash(value: string): string {
  return createHmac("sha256", config().tokenPepper).update(`session:${value}`).digest("hex");
}

export interface Session {
  account: AccountInfo;
  csrf: string;
  expiresAt: string;
}

export async function create(account: AccountInfo): Promise<{ cookie: string; session: Session }> {
  const cookie = `zs_${account.tenant}_${randomBytes(32).toString("base64url")}`;
  const csrf = randomBytes(24).toString("base64url");
  const expiresAt = Math.floor(Date.now() / 1000) + SESSION_HOURS * 3600;
  const createdAt = new Date().toISOString();
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.staffSession(account.tenant, hash(cookie)),
        type: "staffSession",
        ...StoredSession.parse({ tenant: account.tenant, username: account.username, csrf, createdAt, expiresAt }),
      },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return { cookie, session: { account, csrf, expiresAt: new Date(expiresAt * 1000).toISOString() } };
}

/** The session and its account as they are now; undefined when unknown, expired, or ended by a password change. */
export async function resolve(cookie: string | undefined): Promise<Session | undefined> {
  const m = cookie ? FORMAT.exec(cookie) : null;
  if (!m || !cookie) return undefined;
  const item = await getItem<Record<string, unknown>>(keys.staffSession(m[1]!, hash(cookie)));
  const stored = item ? StoredSession.safeParse(item) : undefined;
  if (!stored?.success || stored.data.tenant !== m[1]) return undefined;
  const account = await fromUsername(stored.data.tenant, stored.data.username);
  if (!account || stored.data.createdAt < account.sessionsValidFrom) return undefined;
  return { account, csrf: stored.data.csrf, expiresAt: new Date(stored.data.expiresAt * 1000).toISOString() };
}

export async function end(cookie: string | undefined): Promise<void> {
  const m = cookie ? FORMAT.exec(cookie) : null;
  if (!m || !cookie) return;
  await ddb().send(new DeleteCommand({ TableName: tableName(), Key: keys.staffSession(m[1]!, hash(cookie)) }));
}

export function csrfMatches(session: Session, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
