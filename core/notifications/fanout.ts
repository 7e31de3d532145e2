/**
 * Fan-out: an event → one notification per (student, bound guardian), a page of students per invocation. A job
 * carries the cursor of its page; handling it enqueues that page's deliveries and then the next page's job, so no
 * invocation runs long whatever the event's size. Redelivered pages are harmless: notification ids are
 * deterministic and created with a condition, and only still-queued ones are enqueued again.
 */
import { z } from "zod";
import { usersOf } from "../families/bindings.js";
import { log } from "../log.js";
import { maskName } from "../mask.js";
import { sendManyToQueue, sendToQueue } from "../queue/client.js";
import { PermanentFailure } from "../queue/batch.js";
import * as students from "../students/index.js";
import { TenantId } from "../tenants/index.js";
import { cachedTenant } from "./cache.js";
import { quietUntil } from "./clock.js";
import { chunks, mapLimit } from "../concurrency.js";
import { getEvent, markFanoutDone, membersPage, type EventInfo, type MemberInfo } from "./events.js";
import * as records from "./records.js";
import type { DeliveryJob } from "./delivery.js";
import { finishIfComplete, opened } from "./finish.js";
import { BASE32_ALPHABET } from "../ids.js";

/** Students per fan-out invocation: ~200 binding queries and ≤ 800 conditional puts, a few seconds at most. */
export const FANOUT_PAGE_SIZE = 200;

/**
 * Members of a list or payment batch are fanned out in parallel segments: one chain of pages per first character
 * of the student id (ids.ts' base32 alphabet), so a 50,000-student list is 32 short chains, not one long one.
 */
export const SEGMENTS = [...BASE32_ALPHABET];

export const FanoutJob = z.object({
  tenant: TenantId,
  eventId: z.string().regex(/^evt_[0-9a-z]{16}$/),
  segment: z
    .string()
    .regex(/^[0-9a-z]$/)
    .optional(),
  cursor: z.string().max(4096).optional(),
  page: z.number().int().min(0).default(0),
});
export type FanoutJob = z.input<typeof FanoutJob>;

interface Recipient {
  studentId: string;
  schoolId: string;
  grade: string;
  class: string;
  child: string;
  payments?: MemberInfo["payments"];
}

async function recipientsPage(
  event: EventInfo,
  segment: string | undefined,
  cursor: string | undefined,
): Promise<{ items: Recipient[]; cursor?: string }> {
  if (event.kind === "broadcast") {
    const a = event.broadcast.audience;
    const page = await students.bySchool(
      event.tenant,
      a.schoolId,
      { grade: a.grade, class: a.class },
      cursor,
      FANOUT_PAGE_SIZE,
    );
    return {
      items: page.items.map((s) => ({
        studentId: s.id,
        schoolId: s.schoolId,
        grade: s.grade,
        class: s.class,
        child: maskName(s.name),
      })),
      cursor: page.cursor,
    };
  }
  const page = await membersPage(event.tenant, event.id, cursor, FANOUT_PAGE_SIZE, `stu_${segment ?? ""}`);
  const items = await mapLimit(page.items, 16, async (m): Promise<Recipient | undefined> => {
    if (m.grade !== undefined && m.class !== undefined && m.child !== undefined)
      return { ...m, grade: m.grade, class: m.class, child: m.child };
    const s = await students.fromId(event.tenant, m.studentId);
    if (!s) {
      log.warn("listed student record is missing", { tenant: event.tenant, eventId: event.id });
      return undefined;
    }
    return {
      studentId: s.id,
      schoolId: s.schoolId,
      grade: s.grade,
      class: s.class,
      child: maskName(s.name),
      payments: m.payments,
    };
  });
  return { items: items.filter((r): r is Recipient => r !== undefined), cursor: page.cursor };
}

export async function fanout(input: FanoutJob): Promise<{ notifications: number; queued: number; done: boolean }> {
  const job = FanoutJob.parse(input);
  const event = await getEvent(job.tenant, job.eventId);
  if (!event) throw new PermanentFailure(`event ${job.eventId} not found`);
  // A scheduled broadcast's job is only ever enqueued when it is due (by the release job, which marks it after
  // enqueuing), so "scheduled" here just means that mark has not landed yet.
  const tenant = await cachedTenant(job.tenant);
  if (!tenant) throw new PermanentFailure(`tenant ${job.tenant} not found`);

  // An objection's event has one member: one page, no segments.
  if ((event.kind === "publicity" || event.kind === "payment") && job.segment === undefined) {
    await mapLimit(chunks(SEGMENTS, 10), 4, (batch) =>
      sendManyToQueue(
        "fanout",
        batch.map((segment) => ({ tenant: job.tenant, eventId: event.id, segment }) satisfies FanoutJob),
      ),
    );
    return { notifications: 0, queued: 0, done: false };
  }
  const page = await recipientsPage(event, job.segment, job.cursor);
  const now = new Date();
  const iso = now.toISOString();
  const heldUntil = event.urgent ? undefined : quietUntil(now, tenant.timeZone)?.toISOString();
  const bindings = await mapLimit(page.items, 16, (s) => usersOf(job.tenant, s.studentId));

  const list: records.NotificationInfo[] = [];
  page.items.forEach((s, i) => {
    const base = {
      tenant: job.tenant,
      eventId: event.id,
      kind: event.kind,
      studentId: s.studentId,
      schoolId: s.schoolId,
      grade: s.grade,
      class: s.class,
      child: s.child,
      payments: s.payments,
      createdAt: iso,
      updatedAt: iso,
      attempts: 0,
    };
    const users = bindings[i] ?? [];
    if (users.length === 0) {
      list.push({
        ...base,
        id: records.notificationId(job.tenant, event.id, s.studentId, undefined),
        status: "unreachable",
      });
    }
    for (const b of users) {
      list.push({
        ...base,
        id: records.notificationId(job.tenant, event.id, s.studentId, b.userKey),
        userKey: b.userKey,
        ...(heldUntil ? { status: "held" as const, releaseAt: heldUntil } : { status: "queued" as const }),
      });
    }
  });

  const created = { open: 0 };
  const toQueue = await records.createMany(list, created);
  // Counted before the deliveries are enqueued, so none of them can take the count below zero first.
  await opened(job.tenant, event.id, created.open);
  const jobs: DeliveryJob[] = toQueue.map((n) => ({ tenant: n.tenant, eventId: n.eventId, notificationId: n.id }));
  await mapLimit(chunks(jobs, 10), 4, (batch) => sendManyToQueue("delivery", batch));
  if (page.cursor) {
    await sendToQueue("fanout", {
      tenant: job.tenant,
      eventId: event.id,
      segment: job.segment,
      cursor: page.cursor,
      page: job.page + 1,
    } satisfies FanoutJob);
  } else {
    const through = await markFanoutDone(
      job.tenant,
      event.id,
      job.segment === undefined ? undefined : { name: job.segment, of: SEGMENTS.length },
    );
    // Nobody to reach, or every delivery already ended: the event is done now, not when a notice ends.
    if (through) await finishIfComplete(job.tenant, event.id);
  }
  log.info("fan-out page", {
    tenant: job.tenant,
    eventId: event.id,
    segment: job.segment,
    page: job.page,
    students: page.items.length,
    queued: jobs.length,
    held: heldUntil !== undefined,
  });
  return { notifications: list.length, queued: jobs.length, done: !page.cursor };
}
