/**
 * TEMPLATESENDJOBFINISH: WeChat tells, by msgid, whether a template message reached the user. Pattern 17 maps the
 * msgid to our notification. Either side may come first — the delivery worker links the msgid right after the
 * send, the webhook may arrive a moment earlier — so both write the same item and each finishes the job if the
 * other already wrote its half.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, expiresIn, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";
import { isConditionFailure } from "../errors.js";
import { log } from "../log.js";
import * as records from "./records.js";
import type { NotificationInfo, NotificationStatus } from "./records.js";

/** WeChat reports within minutes; a month covers any replay. */
const KEEP_SECONDS = 30 * 24 * 3600;

/** "success" → delivered; "failed:user block", "failed: system failed" → failed (with a reason code). */
export function parseStatus(status: string): { result: "delivered" | "failed"; reason?: string } {
  const s = status.trim().toLowerCase();
  if (s === "success" || s === "delivered") return { result: "delivered" };
  const why = s.replace(/^failed:?\s*/, "").replace(/[^a-z]+/g, "_").replace(/^_|_$/g, "");
  return { result: "failed", reason: why ? `wechat_${why}` : "wechat_failed" };
}

/**
 * Delivery worker, after a successful send: link the msgid to the notification (pattern 17), then sending → sent.
 * In that order, a TEMPLATESENDJOBFINISH that arrives first is found by the link and recorded right away. Two
 * single writes, not a transaction: on DynamoDB Local a two-item transaction costs several times as much, and
 * the order already covers the race. Returns what the record now says.
 */
export async function recordSent(n: NotificationInfo, msgid: string): Promise<NotificationStatus> {
  const out = await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wechatMsg(n.tenant, msgid),
      UpdateExpression: "SET #type = :type, eventId = :e, notificationId = :n, linkedAt = :at, #ttl = :exp",
      ExpressionAttributeNames: { "#type": "type", "#ttl": TTL },
      ExpressionAttributeValues: { ":type": "wechatMsg", ":e": n.eventId, ":n": n.id, ":at": new Date().toISOString(), ":exp": expiresIn(KEEP_SECONDS) },
      ReturnValues: "ALL_NEW",
    }),
  );
  const result = out.Attributes?.result;
  const early = result === "delivered" || result === "failed" ? result : undefined;
  if (await records.finish(n, early ?? "sent", { msgid })) return early ?? "sent";
  // The webhook (or a takeover) recorded first; what is there is at least as new as what we know.
  return (await records.get(n.tenant, n.eventId, n.id))?.status ?? "sent";
}

/**
 * Called by the WeChat webhook for TEMPLATESENDJOBFINISH. `status` is WeChat's Status ("success",
 * "failed:user block", "failed: system failed") or our own "delivered" / "failed". Idempotent: a repeated push
 * changes nothing. Returns whether a notification was updated.
 */
export async function recordTemplateResult(tenant: string, msgid: string, status: string): Promise<boolean> {
  const { result, reason } = parseStatus(status);
  const out = await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wechatMsg(tenant, String(msgid)),
      UpdateExpression: "SET #type = :type, #r = if_not_exists(#r, :r), resultAt = if_not_exists(resultAt, :at), #ttl = if_not_exists(#ttl, :exp)",
      ExpressionAttributeNames: { "#type": "type", "#r": "result", "#ttl": TTL },
      ExpressionAttributeValues: { ":type": "wechatMsg", ":r": result, ":at": new Date().toISOString(), ":exp": expiresIn(KEEP_SECONDS) },
      ReturnValues: "ALL_NEW",
    }),
  );
  const eventId = out.Attributes?.eventId;
  const notificationId = out.Attributes?.notificationId;
  if (typeof eventId !== "string" || typeof notificationId !== "string") return false; // the worker links it and applies the result
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(tenant, eventId, notificationId),
        UpdateExpression: `SET #s = :r, msgid = :m, updatedAt = :at${reason ? ", reason = :why" : ""}`,
        ConditionExpression: "#s IN (:sending, :sent)",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":r": result,
          ":m": String(msgid),
          ":at": new Date().toISOString(),
          ":sending": "sending",
          ":sent": "sent",
          ...(reason ? { ":why": reason } : {}),
        },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    log.warn("could not record a template result", { tenant, eventId, notificationId, error: e });
    throw e;
  }
}
