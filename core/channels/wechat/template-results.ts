/**
 * TEMPLATESENDJOBFINISH: WeChat tells, by msgid, whether a template message reached the user. Pattern 17 (the
 * WeChat channel's own record) maps the msgid to our notification. Either side may come first — the delivery
 * worker links the msgid right after the send, the webhook may arrive a moment earlier — so both write the same
 * item and each finishes the job if the other already wrote its half: a result that finds the link is reported
 * through LateOutcomes (implemented by core/notifications/outcomes.ts); a link that finds a result returns it, and
 * delivery records it with the send.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, expiresIn, tableName, TTL } from "../../db/client.js";
import { keys } from "../../db/keys.js";
import type { LateOutcomes } from "../port.js";

/** WeChat reports within minutes; a month covers any replay. */
const KEEP_SECONDS = 30 * 24 * 3600;

/** "success" → delivered; "failed:user block", "failed: system failed" → failed (with a reason code). */
export function parseStatus(status: string): { result: "delivered" | "failed"; reason?: string } {
  const s = status.trim().toLowerCase();
  if (s === "success" || s === "delivered") return { result: "delivered" };
  const why = s
    .replace(/^failed:?\s*/, "")
    .replace(/[^a-z]+/g, "_")
    .replace(/^_|_$/g, "");
  return { result: "failed", reason: why ? `wechat_${why}` : "wechat_failed" };
}

/**
 * After a successful send: link the msgid to the notification (pattern 17). In that order — link, then delivery
 * records sending → sent — a TEMPLATESENDJOBFINISH that arrives first is found by the link and recorded right
 * away. Two single writes, not a transaction: on DynamoDB Local a two-item transaction costs several times as
 * much, and the order already covers the race. Returns the result WeChat reported before the link, if any.
 */
export async function linkSent(
  tenant: string,
  eventId: string,
  notificationId: string,
  msgid: string,
): Promise<"delivered" | "failed" | undefined> {
  const out = await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wechatMsg(tenant, msgid),
      UpdateExpression: "SET #type = :type, eventId = :e, notificationId = :n, linkedAt = :at, #ttl = :exp",
      ExpressionAttributeNames: { "#type": "type", "#ttl": TTL },
      ExpressionAttributeValues: {
        ":type": "wechatMsg",
        ":e": eventId,
        ":n": notificationId,
        ":at": new Date().toISOString(),
        ":exp": expiresIn(KEEP_SECONDS),
      },
      ReturnValues: "ALL_NEW",
    }),
  );
  const result = out.Attributes?.result;
  return result === "delivered" || result === "failed" ? result : undefined;
}

/**
 * Called by the WeChat webhook for TEMPLATESENDJOBFINISH. `status` is WeChat's Status ("success",
 * "failed:user block", "failed: system failed") or our own "delivered" / "failed". Idempotent: a repeated push
 * changes nothing. Returns whether a notification was updated.
 */
export async function recordTemplateResult(
  outcomes: LateOutcomes,
  tenant: string,
  msgid: string,
  status: string,
): Promise<boolean> {
  const { result, reason } = parseStatus(status);
  const out = await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.wechatMsg(tenant, String(msgid)),
      UpdateExpression:
        "SET #type = :type, #r = if_not_exists(#r, :r), resultAt = if_not_exists(resultAt, :at), #ttl = if_not_exists(#ttl, :exp)",
      ExpressionAttributeNames: { "#type": "type", "#r": "result", "#ttl": TTL },
      ExpressionAttributeValues: {
        ":type": "wechatMsg",
        ":r": result,
        ":at": new Date().toISOString(),
        ":exp": expiresIn(KEEP_SECONDS),
      },
      ReturnValues: "ALL_NEW",
    }),
  );
  const eventId = out.Attributes?.eventId;
  const notificationId = out.Attributes?.notificationId;
  if (typeof eventId !== "string" || typeof notificationId !== "string") return false; // the worker links it and applies the result
  return outcomes.settle(tenant, {
    eventId,
    notificationId,
    status: result,
    ref: String(msgid),
    ...(reason ? { reason } : {}),
  });
}
