/**
 * Delivery: one notification to its one recipient. Order of steps, each guarded by the notification's state:
 *   claim (→ sending) · quiet hours (→ held) · broadcast opt-out / not following (→ skipped / failed) · send
 *   through the recipient's channel (core/channels/registry.ts) · record (→ sent, delivered or failed).
 * Delivery never asks which channel it has: the channel says what became of the send (core/channels/port.ts) —
 * sent (the final word comes later, core/notifications/outcomes.ts), delivered, failed, or retry later. A retry is
 * given back to the queue with the channel's delay (the claim is given back); on the last receive it is recorded as
 * failed, so the staff report shows it instead of a notification stuck in "queued". A channel that throws (network,
 * a bug) gets the claim given back and the queue's retry, then the DLQ with the reason.
 */
import { z } from "zod";
import * as chatusers from "../chatusers/index.js";
import { channelFor } from "../channels/registry.js";
import type { DeliveryOutcome as SendOutcome } from "../channels/port.js";
import { QueueDefinitions } from "../queue/definitions.js";
import { PermanentFailure, processBatch, RetryLater, type BatchRecord } from "../queue/batch.js";
import { log } from "../log.js";
import { mapLimit } from "../concurrency.js";
import { TenantId } from "../tenants/index.js";
import { cachedEvent, cachedSchool, cachedTenant } from "./cache.js";
import { localDate, quietUntil } from "./clock.js";
import * as records from "./records.js";
import { render, TEMPLATE_OF } from "./render.js";
import { closed, closedOne } from "./finish.js";

export const DeliveryJob = z.object({
  tenant: TenantId,
  eventId: z.string().regex(/^evt_[0-9a-z]{16}$/),
  notificationId: z.string().regex(/^ntf_[0-9a-z]{16}$/),
});
export type DeliveryJob = z.infer<typeof DeliveryJob>;

export type DeliveryOutcome = records.NotificationStatus | "noop";

const ENDED = new Set<DeliveryOutcome>(["sent", "delivered", "failed", "skipped"]);

/**
 * Notices ended by one batch, counted down on their event's in-flight count once per event and batch (one write
 * for up to 10 notices, instead of one each).
 */
export interface EndedNotices {
  add(job: DeliveryJob): void;
  /** Counts them down (and finishes the events whose last notices they were); the count starts again empty. */
  flush(): Promise<void>;
}

export function endedNotices(): EndedNotices {
  const byEvent = new Map<string, { tenant: string; eventId: string; n: number }>();
  return {
    add(job) {
      const k = `${job.tenant}\u0000${job.eventId}`;
      const e = byEvent.get(k) ?? { tenant: job.tenant, eventId: job.eventId, n: 0 };
      e.n++;
      byEvent.set(k, e);
    },
    async flush() {
      const all = [...byEvent.values()];
      byEvent.clear();
      await mapLimit(all, 4, (e) => closed(e.tenant, e.eventId, e.n));
    },
  };
}

/**
 * Deliver one notice; the one that ends the event's last notice in flight finishes the event
 * (core/notifications/finish.ts). With `ended` (a batch), the count-down is left to the batch's `flush`.
 */
export async function deliver(
  input: DeliveryJob,
  meta: { receiveCount: number } = { receiveCount: 1 },
  ended?: EndedNotices,
): Promise<DeliveryOutcome> {
  const job = DeliveryJob.parse(input);
  const outcome = await deliverOne(job, meta);
  if (ENDED.has(outcome)) {
    if (ended) ended.add(job);
    else await closedOne(job.tenant, job.eventId);
  }
  return outcome;
}

/**
 * A batch of delivery jobs (the delivery queue's consumer): all of them at once — each waits on a few DynamoDB
 * writes and one channel call, and each is guarded by its own notification's state, so exactly-once does not
 * depend on order — then one count-down per event. A count-down that fails is logged, not retried: the notices
 * are final, a redelivery would find them so and count nothing, and a finish missed this way is caught by the
 * report (core/notifications/report.ts) or the next notice of the event.
 */
export async function deliverBatch(
  records: BatchRecord[],
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const ended = endedNotices();
  const out = await processBatch(
    "delivery",
    records,
    DeliveryJob,
    async (job, meta) => void (await deliver(job, meta, ended)),
    { concurrency: QueueDefinitions.delivery.batchSize },
  );
  await ended.flush().catch((error) => log.warn("in-flight count-down failed", { error }));
  return out;
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

  if (event.kind === "broadcast") {
    // 退订 governs school broadcasts only; notices about one's own child's money and 公示 still go. For those, a
    // user who stopped following is told apart by WeChat itself (43004 → failed), which saves a read per notice.
    // Only WeChat's unsubscribe event clears `following`; other channels' users always follow.
    const user = await chatusers.get(n.tenant, n.userKey);
    if (!user.broadcasts) {
      await records.finish(n, "skipped", { reason: "unsubscribed" });
      return "skipped";
    }
    if (!user.following) {
      await records.finish(n, "failed", { reason: "not_following" });
      return "failed";
    }
  }

  const school =
    event.kind === "broadcast" ? await cachedSchool(n.tenant, event.broadcast.audience.schoolId) : undefined;
  const message = render(event, n, {
    schoolName: school?.name,
    tenantName: tenant.name,
    hotline: tenant.hotline,
    localDate: localDate(new Date(event.sendAt ?? event.createdAt), tenant.timeZone),
  });

  let out: SendOutcome;
  try {
    out = await channelFor(n.userKey).send(
      { tenant: n.tenant, userKey: n.userKey, channelId: chatusers.channelIdOf(n.userKey) },
      {
        id: n.id,
        eventId: n.eventId,
        kind: n.kind,
        template: TEMPLATE_OF[n.kind],
        fields: message.data,
        text: message.text,
      },
      {
        tenant,
        receiveCount: meta.receiveCount,
        firstAttemptAt: () => records.fixInboxTime(n),
        logFields: { tenant: n.tenant, eventId: n.eventId, notificationId: n.id },
      },
    );
  } catch (e) {
    await records.unclaim(n, "send_error");
    throw e;
  }

  if (out.status === "retry") {
    if (meta.receiveCount < QueueDefinitions.delivery.maxReceiveCount) {
      await records.unclaim(n, out.reason, out.errcode);
      throw new RetryLater(out.afterSeconds, out.detail);
    }
    out = {
      status: "failed",
      reason: "retries_exhausted",
      ...(out.errcode === undefined ? {} : { errcode: out.errcode }),
    };
  }
  const detail = { ...(out.ref === undefined ? {} : { msgid: out.ref }), errcode: out.errcode, reason: out.reason };
  if (await records.finish(n, out.status, detail)) return out.status;
  // Someone recorded first (WeChat's result webhook, a takeover): what is there is at least as new as what we know.
  return (await records.get(n.tenant, n.eventId, n.id))?.status ?? out.status;
}
