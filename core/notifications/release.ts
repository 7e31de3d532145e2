/**
 * The scheduled job: across tenants, start the fan-out of broadcasts whose send time has come and re-queue the
 * notifications held by quiet hours. Each item is enqueued first and marked after, so a crash in between only
 * enqueues it again on the next run (the fan-out and the delivery claim absorb the duplicate). The held index is
 * a GSI and may lag a moment: an item already released can show up once more, with the same harmless result.
 */
import { z } from "zod";
import { queryPage } from "../db/client.js";
import { keys } from "../db/keys.js";
import { log } from "../log.js";
import { sendManyToQueue, sendToQueue } from "../queue/client.js";
import * as tenants from "../tenants/index.js";
import { mapLimit } from "../concurrency.js";
import type { DeliveryJob } from "./delivery.js";
import { setStatus } from "./events.js";
import type { FanoutJob } from "./fanout.js";
import * as records from "./records.js";

const HeldItem = z.object({
  type: z.string(),
  id: z.string(),
  eventId: z.string().optional(),
});

export interface ReleaseReport {
  tenants: number;
  events: number;
  notifications: number;
  /** True when the time budget ran out; the next run carries on. */
  more: boolean;
}

export interface ReleaseOptions {
  now?: Date;
  /** Inside the cron Lambda's 60 s timeout (sst.config.ts); what is left when this runs out waits for the next run. */
  budgetMs?: number;
  /** Only these tenants (default: every tenant in the registry). */
  tenants?: string[];
}

/** Release everything due at `now`. */
export async function releaseDue(opts: ReleaseOptions = {}): Promise<ReleaseReport> {
  const now = opts.now ?? new Date();
  const budgetMs = opts.budgetMs ?? 45_000;
  const started = Date.now();
  const report: ReleaseReport = { tenants: 0, events: 0, notifications: 0, more: false };
  const upto = `${now.toISOString()}#\uffff`;
  for (const tenant of opts.tenants ?? (await tenants.list())) {
    report.tenants++;
    let cursor: string | undefined;
    do {
      if (Date.now() - started > budgetMs) {
        report.more = true;
        return report;
      }
      const page = await queryPage<Record<string, unknown>>(
        {
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :pk AND gsi2sk <= :upto",
          ExpressionAttributeValues: { ":pk": keys.heldPk(tenant), ":upto": upto },
          Limit: 500,
        },
        cursor,
      );
      cursor = page.cursor;
      const items = page.items.map((i) => HeldItem.parse(i));
      const events = items.filter((i) => i.type === "event");
      const held = items.filter((i) => i.type === "notification" && i.eventId);

      for (const e of events) {
        await sendToQueue("fanout", { tenant, eventId: e.id } satisfies FanoutJob);
        if (await setStatus(tenant, e.id, ["scheduled"], "sending")) report.events++;
      }
      await sendManyToQueue(
        "delivery",
        held.map((n) => ({ tenant, eventId: n.eventId!, notificationId: n.id }) satisfies DeliveryJob),
      );
      await mapLimit(held, 16, (n) => records.releaseHeld(tenant, n.eventId!, n.id));
      report.notifications += held.length;
    } while (cursor);
  }
  if (report.events || report.notifications) log.info("released held and scheduled", { ...report });
  return report;
}
