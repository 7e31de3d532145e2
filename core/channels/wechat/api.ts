/**
 * The WeChat server API client we call: customer-service text messages and template messages, with the access
 * token they need.
 *
 * Token (docs/wechat-protocol.md §4): `/cgi-bin/stable_token` in normal mode only (never force_refresh — 20/day). The token
 * is cached in module scope and in one DynamoDB item (pattern 26) until `expires_in − 300 s`. When no valid token
 * is stored, one caller across all concurrent Lambdas takes a short conditional-write lease and refreshes; the
 * others wait briefly and re-read the item. Normal-mode stable_token returns the same token while it is valid, so
 * the lease is insurance against quota burn, not a correctness lock: a caller that waits too long fetches itself.
 *
 * Errors (docs/wechat-protocol.md §7): WeChat answers HTTP 200 with an `errcode` in the JSON body, so the body decides.
 * Token errors (40001/42001/40014) drop the cached token, refresh once and retry the call once — never a loop.
 * Everything else is thrown as WechatApiError with its `kind`, for the caller (a queue worker) to act on.
 * Network failures and timeouts are `retry` with errcode -1 and `transport: true`.
 *
 * Account (account.ts): the county's own AppID and AppSecret from the console, else the deployment's WECHAT_*.
 * Tokens belong to one account: cached in memory per tenant, AppID and a hash of the secret, and stored per tenant
 * and AppID with that hash, so a county that changes its AppID or AppSecret gets a token of the new account.
 *
 * Never logged: the token, the secret, the openid, message content.
 */
import { createHash, randomBytes } from "node:crypto";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "../../config.js";
import { absentOrExpired, ddb, getItem, tableName, TTL, sendConditional } from "../../db/client.js";
import { keys } from "../../db/keys.js";
import { log } from "../../log.js";
import { wechatAccount } from "./account.js";

export type WechatApiErrorKind = "retry" | "token" | "permanent" | "config" | "window";

const KIND_BY_ERRCODE: Record<number, WechatApiErrorKind> = {
  [-1]: "retry", // system busy
  45009: "retry", // daily quota (resets at midnight)
  45011: "retry", // minute quota
  40001: "token", // invalid / not latest
  42001: "token", // expired
  40014: "token", // illegal
  43004: "permanent", // user does not follow
  43101: "permanent", // user refused the message
  40003: "permanent", // bad openid
  45002: "permanent", // content too long: resending the same text cannot help
  40164: "config", // caller IP not whitelisted
  40037: "config", // bad template_id
  48001: "config", // API not authorised for this account
  41001: "config", // access_token missing
  41002: "config", // appid missing
  41004: "config", // secret missing
  40013: "config", // bad appid
  40125: "config", // bad secret
  40002: "config", // bad grant_type
  45015: "window", // outside the 48 h customer-service window, or unfollowed
  45047: "window", // customer-service quota for this window used up
};

/** How a WeChat errcode should be handled; unknown codes are permanent, so nothing retries forever. */
export function errorKindOf(errcode: number): WechatApiErrorKind {
  return KIND_BY_ERRCODE[errcode] ?? "permanent";
}

export class WechatApiError extends Error {
  override readonly name = "WechatApiError";
  readonly kind: WechatApiErrorKind;
  /** True when the request may not have reached WeChat, or its answer was lost (network error, timeout, non-JSON). */
  readonly transport: boolean;
  constructor(
    readonly errcode: number,
    message: string,
    options?: { cause?: unknown; kind?: WechatApiErrorKind; transport?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options?.kind ?? errorKindOf(errcode);
    this.transport = options?.transport === true;
  }
}

export interface WechatApi {
  /** Customer-service text message (within 48 h of the user's last message; 5 per window). */
  sendText(openId: string, text: string): Promise<void>;
  /** Template message; `clientMsgId` makes a resend within 10 minutes a no-op at WeChat. */
  sendTemplate(
    openId: string,
    templateId: string,
    data: Record<string, { value: string }>,
    clientMsgId: string,
  ): Promise<{ msgid: string }>;
}

/** Refresh this long before WeChat's expiry (stable_token rotates 5 min before; docs/wechat-protocol.md §4). */
const EXPIRY_MARGIN_MS = 300_000;
/** The refresh lease; long enough for one stable_token call, short enough that a crashed holder does not stall others. */
const LEASE_SECONDS = 8;
/** How long a caller waits for another caller's refresh before fetching the token itself. */
const WAIT_FOR_REFRESH_MS = 3_000;
const POLL_MS = 75;

interface CachedToken {
  token: string;
  /** ms since epoch, already minus the margin. */
  expiresAt: number;
}

const memory = new Map<string, CachedToken>();
/** One refresh per process and account at a time; concurrent callers in this process share it. */
const inFlight = new Map<string, Promise<CachedToken>>();

interface Account {
  tenant: string;
  appId: string;
  secret: string;
  /** A short hash of the secret: a token got with another secret (the county changed it) is not reused. */
  secretTag: string;
  apiBase: string;
  cacheKey: string;
}

/** The county's own AppID and AppSecret, or the deployment's (core/channels/wechat/account.ts; cached 30 s). */
async function account(tenant: string): Promise<Account> {
  const w = await wechatAccount(tenant);
  const whose = w.source === "tenant" ? "the county's AppID (console: 公众号设置)" : "WECHAT_APP_ID";
  if (!w.appId) throw new WechatApiError(41002, `${whose} is not configured`, { kind: "config" });
  if (!w.appSecret)
    throw new WechatApiError(
      41004,
      `${w.source === "tenant" ? "the county's AppSecret (console: 公众号设置)" : "WECHAT_APP_SECRET"} is not configured`,
      { kind: "config" },
    );
  const apiBase = config().wechat.apiBase;
  const secretTag = createHash("sha256").update(w.appSecret).digest("hex").slice(0, 12);
  return {
    tenant,
    appId: w.appId,
    secret: w.appSecret,
    secretTag,
    apiBase,
    // Tokens are per account: AppID (and the secret that got them), within the tenant's own item (pattern 26).
    cacheKey: `${apiBase}|${tenant}|${w.appId}|${secretTag}`,
  };
}

const valid = (t: CachedToken | undefined, now = Date.now()): t is CachedToken => t !== undefined && t.expiresAt > now;

// ---------------------------------------------------------------------------------------------
// HTTP

interface WechatJson {
  errcode?: number;
  errmsg?: string;
  [k: string]: unknown;
}

async function postJson(url: string, body: unknown, what: string): Promise<{ json: WechatJson; raw: string }> {
  let raw: string;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
      // Per request (WECHAT_API_TIMEOUT_MS, 5 s): a Lambda calling us has its own, larger budget.
      signal: AbortSignal.timeout(config().wechat.apiTimeoutMs),
    });
    raw = await res.text();
    if (res.status >= 500) throw new WechatApiError(-1, `${what}: HTTP ${res.status}`, { transport: true });
  } catch (e) {
    if (e instanceof WechatApiError) throw e;
    const timeout = (e as { name?: string }).name === "TimeoutError";
    throw new WechatApiError(-1, `${what}: ${timeout ? "timed out" : "network error"}`, { cause: e, transport: true });
  }
  try {
    const json = JSON.parse(raw) as unknown;
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("not an object");
    return { json: json as WechatJson, raw };
  } catch (e) {
    throw new WechatApiError(-1, `${what}: answer is not JSON`, { cause: e, transport: true });
  }
}

function errcodeOf(json: WechatJson): number {
  const c = json.errcode;
  return typeof c === "number" ? c : typeof c === "string" && /^-?\d+$/.test(c) ? Number(c) : 0;
}

// ---------------------------------------------------------------------------------------------
// Token

async function fetchStableToken(a: Account): Promise<CachedToken> {
  const { json } = await postJson(
    `${a.apiBase}/cgi-bin/stable_token`,
    { grant_type: "client_credential", appid: a.appId, secret: a.secret, force_refresh: false },
    "stable_token",
  );
  const errcode = errcodeOf(json);
  if (errcode !== 0) {
    // A token error from the token endpoint itself means bad credentials, not a stale token.
    const kind = errorKindOf(errcode);
    throw new WechatApiError(errcode, `stable_token failed with ${errcode}`, {
      kind: kind === "token" ? "config" : kind,
    });
  }
  const token = json.access_token;
  const expiresIn = Number(json.expires_in);
  if (typeof token !== "string" || token === "" || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new WechatApiError(-1, "stable_token answer has no usable token", { transport: true });
  }
  // Short lifetimes (tests, a token about to rotate) still get at least half their life.
  const margin = Math.min(EXPIRY_MARGIN_MS, (expiresIn * 1000) / 2);
  return { token, expiresAt: Date.now() + expiresIn * 1000 - margin };
}

async function readStored(a: Account): Promise<CachedToken | undefined> {
  const item = await getItem<{ token?: unknown; tokenExpiresAt?: unknown; secretTag?: unknown }>(
    keys.wechatToken(a.tenant, a.appId),
  );
  if (!item || typeof item.token !== "string" || typeof item.tokenExpiresAt !== "number") return undefined;
  if (item.secretTag !== undefined && item.secretTag !== a.secretTag) return undefined; // got with an older secret
  const t = { token: item.token, expiresAt: item.tokenExpiresAt };
  return valid(t) ? t : undefined;
}

async function store(a: Account, t: CachedToken): Promise<void> {
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.wechatToken(a.tenant, a.appId),
        type: "wechatToken",
        token: t.token,
        tokenExpiresAt: t.expiresAt,
        secretTag: a.secretTag,
        [TTL]: Math.ceil(t.expiresAt / 1000),
      },
    }),
  );
}

async function takeLease(a: Account, holder: string): Promise<boolean> {
  const now = Math.floor(Date.now() / 1000);
  return sendConditional(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.wechatTokenLease(a.tenant, a.appId),
        type: "wechatTokenLease",
        holder,
        [TTL]: now + LEASE_SECONDS,
      },
      ...absentOrExpired(now),
    }),
  );
}

async function releaseLease(a: Account, holder: string): Promise<void> {
  await ddb()
    .send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.wechatTokenLease(a.tenant, a.appId),
        ConditionExpression: "holder = :h",
        ExpressionAttributeValues: { ":h": holder },
      }),
    )
    .catch(() => undefined); // lost the lease already, or the delete failed: it expires by itself
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A usable token that is not `stale`: from the table, or refreshed by this caller under the lease. */
async function refresh(a: Account, stale: string | undefined): Promise<CachedToken> {
  const fresh = (t: CachedToken | undefined): t is CachedToken => valid(t) && t.token !== stale;
  const holder = randomBytes(8).toString("hex");
  const deadline = Date.now() + WAIT_FOR_REFRESH_MS;
  for (;;) {
    const stored = await readStored(a);
    if (fresh(stored)) return stored;
    if (await takeLease(a, holder)) {
      try {
        // Someone may have stored a token between our read and our lease.
        const again = await readStored(a);
        if (fresh(again)) return again;
        const t = await fetchStableToken(a);
        await store(a, t);
        return t;
      } finally {
        await releaseLease(a, holder);
      }
    }
    if (Date.now() >= deadline) {
      // The holder is slow or gone; normal-mode stable_token is safe to call concurrently.
      log.warn("wechat token refresh lease not released in time; fetching directly", { tenant: a.tenant });
      const t = await fetchStableToken(a);
      await store(a, t);
      return t;
    }
    await sleep(POLL_MS);
  }
}

/** The access token to use; `stale` is a token WeChat just refused (it is never returned again from a cache). */
async function accessToken(a: Account, stale?: string): Promise<string> {
  const cached = memory.get(a.cacheKey);
  if (valid(cached) && cached.token !== stale) return cached.token;
  if (cached && (stale === undefined || cached.token === stale)) memory.delete(a.cacheKey);
  let pending = inFlight.get(a.cacheKey);
  if (!pending) {
    pending = refresh(a, stale).finally(() => inFlight.delete(a.cacheKey));
    inFlight.set(a.cacheKey, pending);
  }
  const t = await pending;
  memory.set(a.cacheKey, t);
  return t.token;
}

/** Drops a refused token from the table so other instances do not keep using it (only if it is still that token). */
async function forgetStored(a: Account, token: string): Promise<void> {
  await ddb()
    .send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.wechatToken(a.tenant, a.appId),
        ConditionExpression: "#tok = :t",
        ExpressionAttributeNames: { "#tok": "token" },
        ExpressionAttributeValues: { ":t": token },
      }),
    )
    .catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Calls

/** Calls an API path with the token; on a token error refreshes once and retries once. */
async function call(a: Account, path: string, body: unknown, what: string): Promise<{ json: WechatJson; raw: string }> {
  let token = await accessToken(a);
  for (let attempt = 0; ; attempt++) {
    const out = await postJson(`${a.apiBase}${path}?access_token=${encodeURIComponent(token)}`, body, what);
    const errcode = errcodeOf(out.json);
    if (errcode === 0) return out;
    const kind = errorKindOf(errcode);
    if (kind === "token" && attempt === 0) {
      log.info("wechat token refused; refreshing once", { tenant: a.tenant, errcode });
      await forgetStored(a, token);
      token = await accessToken(a, token);
      continue;
    }
    throw new WechatApiError(errcode, `${what} failed with ${errcode}`, { kind });
  }
}

/** `msgid` is a 64-bit integer in JSON; read its digits from the raw text so no precision is lost. */
function msgidFrom(raw: string, json: WechatJson): string {
  const m = /"msgid"\s*:\s*"?(\d{1,20})"?/.exec(raw);
  if (m?.[1]) return m[1];
  const v = json.msgid;
  if (typeof v === "number" || (typeof v === "string" && v !== "")) return String(v);
  throw new WechatApiError(-1, "template/send answer has no msgid", { transport: true, kind: "retry" });
}

export function wechatApi(tenant: string): WechatApi {
  return {
    async sendText(openId, text) {
      const a = await account(tenant);
      await call(
        a,
        "/cgi-bin/message/custom/send",
        { touser: openId, msgtype: "text", text: { content: text } },
        "custom/send",
      );
    },
    async sendTemplate(openId, templateId, data, clientMsgId) {
      const a = await account(tenant);
      const { json, raw } = await call(
        a,
        "/cgi-bin/message/template/send",
        { touser: openId, template_id: templateId, data, client_msg_id: clientMsgId },
        "template/send",
      );
      return { msgid: msgidFrom(raw, json) };
    },
  };
}
