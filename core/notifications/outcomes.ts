/**
 * Late outcomes: a channel that learns after the send whether a notice reached the user (WeChat's
 * TEMPLATESENDJOBFINISH, core/channels/wechat/template-results.ts) reports it here, through the LateOutcomes
 * interface of the channel port — the only way a channel changes a notification. sending | sent → delivered |
 * failed; a result for a notice that has already ended (or a repeated push) changes nothing.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { LateOutcome, LateOutcomes } from "../channels/port.js";
import { ddb, tableName } from "../db/client.js";
import { keys } from "../db/keys.js";
import { isConditionFailure } from "../errors.js";
import { log } from "../log.js";

async function settle(tenant: string, o: LateOutcome): Promise<boolean> {
  try {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(tenant, o.eventId, o.notificationId),
        UpdateExpression: `SET #s = :r, msgid = :m, updatedAt = :at${o.reason ? ", reason = :why" : ""}`,
        ConditionExpression: "#s IN (:sending, :sent)",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":r": o.status,
          ":m": o.ref,
          ":at": new Date().toISOString(),
          ":sending": "sending",
          ":sent": "sent",
          ...(o.reason ? { ":why": o.reason } : {}),
        },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    log.warn("could not record a template result", {
      tenant,
      eventId: o.eventId,
      notificationId: o.notificationId,
      error: e,
    });
    throw e;
  }
}

/** What the WeChat webhook is given (functions/http/wechat.ts) to report TEMPLATESENDJOBFINISH results. */
export const notificationOutcomes: LateOutcomes = { settle };
