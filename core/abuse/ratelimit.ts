/**
 * Request-rate limits shared by every Lambda instance: a DynamoDB fixed-window counter (pattern 30). One
 * conditional UpdateItem per request — `ADD count 1` only while `count < max` — in an item keyed by the window's
 * start, with a TTL just past the window's end, so nothing has to be reset or cleaned up by us.
 *
 * Why DynamoDB and not an in-memory token bucket: Lambda runs many instances and each would hand out the full
 * budget, so an attacker spreading requests gets N times the limit. A fixed window lets a burst of up to 2×max
 * straddle a window boundary; the limits below are set with that in mind (docs/abuse.md).
 *
 * When the table cannot be reached, a request limit fails open (logged): the limits protect storage and the
 * binding proof, and a policy answer must still be given while storage is down. The binding proof itself
 * (core/families/limits.ts) fails closed.
 */
import { createHash } from "node:crypto";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, nowSeconds, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";
import { AppError, isConditionFailure } from "../errors.js";
import { log } from "../log.js";

export interface RateRule {
  /** Stable name, part of the key. */
  name: string;
  max: number;
  windowSeconds: number;
}

/** The limits (docs/abuse.md explains each number). */
export const RateRules = {
  /** Web-chat messages from one client address (a school's or a CGNAT's shared address carries many families). */
  chatPerClient: { name: "chat-ip", max: 120, windowSeconds: 60 },
  /** Messages in one web-chat session: a person types at most a few a minute. */
  chatPerSession: { name: "chat-ses", max: 20, windowSeconds: 60 },
  /** Web-chat pages asking for new notices and replies (every ~12 s while open, and on focus) in one session. */
  inboxPerSession: { name: "chat-inbox", max: 12, windowSeconds: 60 },
  /** New web-chat sessions from one client address: every session is a fresh chat user with its own binding budget. */
  sessionsPerClient: { name: "ses-ip", max: 30, windowSeconds: 3600 },
  /** Staff API calls per token. */
  staffPerToken: { name: "staff", max: 600, windowSeconds: 60 },
} as const satisfies Record<string, RateRule>;

export type RateResult = { ok: true; used: number } | { ok: false; retryAfterSeconds: number };

/** Hash of the subject (an IP, a session, a token id): keys and logs never carry the raw value. */
export function subjectHash(subject: string): string {
  return createHash("sha256").update(subject, "utf8").digest("base64url").slice(0, 22);
}

/** Count one request against `rule` for `subject`; `ok: false` once the window's budget is spent. */
export async function hit(tenant: string, rule: RateRule, subject: string, now = nowSeconds()): Promise<RateResult> {
  const start = now - (now % rule.windowSeconds);
  const end = start + rule.windowSeconds;
  try {
    const out = await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.rateWindow(tenant, rule.name, subjectHash(subject), start),
        UpdateExpression: "ADD #c :one SET #ttl = if_not_exists(#ttl, :exp), #type = :type",
        ConditionExpression: "attribute_not_exists(#c) OR #c < :max",
        ExpressionAttributeNames: { "#c": "count", "#ttl": TTL, "#type": "type" },
        ExpressionAttributeValues: { ":one": 1, ":max": rule.max, ":exp": end + 60, ":type": "rate" },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return { ok: true, used: Number(out.Attributes?.count ?? 1) };
  } catch (e) {
    if (isConditionFailure(e)) return { ok: false, retryAfterSeconds: Math.max(1, end - now) };
    throw e;
  }
}

/**
 * Throws 429 `rate_limited` (with Retry-After) once the budget is spent. Storage errors let the request through:
 * see the module comment.
 */
export async function enforce(tenant: string, rule: RateRule, subject: string | undefined): Promise<void> {
  if (!subject) return;
  let result: RateResult;
  try {
    result = await hit(tenant, rule, subject);
  } catch (e) {
    log.warn("rate limit not checked: storage unavailable", { tenant, rule: rule.name, error: e });
    return;
  }
  if (!result.ok) {
    log.info("rate limited", { tenant, rule: rule.name, subject: subjectHash(subject) });
    throw AppError.rateLimited(
      "rate_limited",
      `请求太频繁，请 ${result.retryAfterSeconds} 秒后再试`,
      result.retryAfterSeconds,
    );
  }
}
