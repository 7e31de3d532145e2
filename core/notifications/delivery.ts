/**
 * Delivery: one notification to its one recipient. Order of steps, each guarded by the notification's state:
 *   claim (→ sending) · quiet hours (→ held) · broadcast opt-out / not following (→ skipped / failed) · send ·
 *   record (→ sent, or delivered for the web inbox).
 * The WeChat send carries client_msg_id = notification id, so a takeover after a crash between send and record
 * is absorbed by WeChat (same openid + client_msg_id within 10 minutes is delivered once).
 *
 * WeChat errors (docs/design.md §3.8, docs/wechat-protocol.md §7): retry-later → RetryLater with backoff (the claim is given back);
 * token errors are retried inside the client, and if they still fail they are retried later here; permanent and
 * configuration errors → failed, recorded, not retried. On the last receive a retry-later error is recorded as
 * failed too, so the staff report shows it instead of a notification stuck in "queued".
 */
import { z } from "zod";
import * as chatusers from "../chatusers/index.js";
import { wechatApi, WechatApiError } from "../channels/wechat/api.js";
import { log } from "../log.js";
import { QueueDefinitions } from "../queue/definitions.js";
import { PermanentFailure, RetryLater, backoffSeconds } from "../queue/batch.js";
import { TenantId } from "../tenants/index.js";
import { cachedEvent, cachedSchool, cachedTenant } from "./cache.js";
import { localDate, quietUntil } from "./clock.js";
import * as inbox from "./inbox.js";
import * as records from "./records.js";
import { render } from "./render.js";
import { recordSent } from "./template-results.js";
import { closedOne } from "./finish.js";

export const DeliveryJob = z.object({
  tenant: TenantId,
  eventId: z.string().regex(/^evt_[0-9a-z]{16}$/),
  notificationId: z.string().regex(/^ntf_[0-9a-z]{16}$/),
});
export type DeliveryJob = z.infer<typeof DeliveryJob>;

export type DeliveryOutcome = records.NotificationStatus | "noop";

/** Seconds to wait for a WeChat retry-later error: the daily quota (45009) resets at midnight, the minute quota in a minute. */
function retryDelay(errcode: number, receiveCount: number): number {
  if (errcode === 45009) return 3600;
  if (errcode === 45011) return Math.max(60, backoffSeconds(receiveCount));
  return backoffSeconds(receiveCount);
}

const ENDED = new Set<DeliveryOutcome>(["sent", "delivered", "failed", "skipped"]);

/** Deliver one notice; the one that ends the event's last notice in flight finishes the event (core/notifications/finish.ts). */
export async function deliver(input: DeliveryJob, meta: { receiveCount: number } = { receiveCount: 1 }): Promise<DeliveryOutcome> {
  const job = DeliveryJob.parse(input);
  const outcome = await deliverOne(job, meta);
  if (ENDED.has(outcome)) await closedOne(job.tenant, job.eventId);
  return outcome;
}

async function deliverOne(job: DeliveryJob, meta: { receiveCount: number }): Promise<DeliveryOutcome> {
  const now = Date.now();
  const claim = await records.claim(job.tenant, job.eventId, job.notificationId, now);
  if (!claim.ok) {
    const current = claim.current;
    if (!current) throw new PermanentFailure(`notification ${job.notificationId} not found`);
    if (current.status === "sending") {
      // Another worker holds a live claim; look again once it would have gone stale.
      const wait = Math.ceil(((current.claimedAt ?? now) + records.STALE_CLAIM_MS - now) / 1000) + 1;
      throw new RetryLater(Math.max(1, wait), "notification is being sent by another worker");
    }
    return "noop"; // already final: a duplicate message
  }
  const n = claim.notification;
  const nlog = log.child({ tenant: n.tenant, eventId: n.eventId, notificationId: n.id });

  const [tenant, event] = await Promise.all([cachedTenant(n.tenant), cachedEvent(n.tenant, n.eventId)]);
  if (!tenant || !event) {
    await records.finish(n, "failed", { reason: "event_or_tenant_missing" });
    return "failed";
  }
  const releaseAt = event.urgent ? undefined : quietUntil(new Date(now), tenant.timeZone);
  if (releaseAt) {
    await records.hold(n, releaseAt.toISOString());
    return "held";
  }
  if (!n.userKey) {
    await records.finish(n, "failed", { reason: "no_recipient" });
    return "failed";
  }

  const channel = chatusers.channelOf(n.userKey);
  if (event.kind === "broadcast") {
    // 退订 governs school broadcasts only; notices about one's own child's money and 公示 still go. For those, a
    // user who stopped following is told apart by WeChat itself (43004 → failed), which saves a read per notice.
    const user = await chatusers.get(n.tenant, n.userKey);
    if (!user.broadcasts) {
      await records.finish(n, "skipped", { reason: "unsubscribed" });
      return "skipped";
    }
    if (channel === "wechat" && !user.following) {
      await records.finish(n, "failed", { reason: "not_following" });
      return "failed";
    }
  }

  const school = event.kind === "broadcast" ? await cachedSchool(n.tenant, event.broadcast.audience.schoolId) : undefined;
  const message = render(event, n, { schoolName: school?.name, localDate: localDate(new Date(event.sendAt ?? event.createdAt), tenant.timeZone) });

  if (channel !== "wechat") {
    const at = await records.fixInboxTime(n);
    await inbox.push(n.tenant, n.userKey, { id: n.id, eventId: n.eventId, kind: n.kind, text: message.text, at });
    await records.finish(n, "delivered");
    return "delivered";
  }

  const templateId = tenant.templates[event.kind];
  if (!templateId) {
    nlog.warn("no WeChat template configured for this kind of notice", { kind: event.kind });
    await records.finish(n, "failed", { reason: "template_not_configured" });
    return "failed";
  }

  let msgid: string;
  try {
    const out = await wechatApi(n.tenant).sendTemplate(chatusers.channelIdOf(n.userKey), templateId, message.data, n.id);
    msgid = String(out.msgid);
  } catch (e) {
    if (!(e instanceof WechatApiError)) {
      // Network or our own bug: give the claim back and let the queue retry (then the DLQ, with the reason).
      await records.unclaim(n, "send_error");
      throw e;
    }
    const lastTry = meta.receiveCount >= QueueDefinitions.delivery.maxReceiveCount;
    const permanent = e.kind === "permanent" || e.kind === "config" || e.kind === "window";
    if (permanent || lastTry) {
      if (e.kind === "config") nlog.error("WeChat configuration error", { errcode: e.errcode });
      await records.finish(n, "failed", { errcode: e.errcode, reason: permanent ? `wechat_${e.errcode}` : "retries_exhausted" });
      return "failed";
    }
    await records.unclaim(n, `wechat_${e.errcode}`, e.errcode);
    throw new RetryLater(retryDelay(e.errcode, meta.receiveCount), `WeChat ${e.errcode} (${e.kind})`);
  }

  return recordSent(n, msgid);
}
