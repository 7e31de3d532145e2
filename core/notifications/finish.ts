/**
 * Events finish: once fan-out is through and no notice is in flight (queued, held, sending), the event moves
 * sending → done with its final counts, including an event that had nobody to reach. The in-flight count on the
 * event (`addOpen`) only says when to look; the decision is a recount of the records, so it is never early.
 */
import { log } from "../log.js";
import { addOpen, getEvent, markFinished, type FinalCounts } from "./events.js";
import * as records from "./records.js";

type Row = Pick<records.NotificationInfo, "status" | "studentId">;

const IN_FLIGHT = new Set<records.NotificationStatus>(["queued", "held", "sending"]);
const REACHED = new Set<records.NotificationStatus>(["sent", "delivered"]);

/** Counts notices as they are read; `add` says false at the first one still in flight. */
function counter() {
  const counts: FinalCounts = { students: 0, reached: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, unreachable: 0 };
  const students = new Map<string, boolean>();
  return {
    add(rows: Row[]): boolean {
      for (const r of rows) {
        if (IN_FLIGHT.has(r.status)) return false;
        counts[r.status as Exclude<records.NotificationStatus, "queued" | "held" | "sending">]++;
        students.set(r.studentId, (students.get(r.studentId) ?? false) || REACHED.has(r.status));
      }
      return true;
    },
    done(): FinalCounts {
      counts.students = students.size;
      counts.reached = [...students.values()].filter(Boolean).length;
      return counts;
    },
  };
}

/** Final counts of an event's notices, or undefined while some are still in flight. */
export function finalCounts(rows: Row[]): FinalCounts | undefined {
  const c = counter();
  return c.add(rows) ? c.done() : undefined;
}

/** The same, read from the table a page at a time (never the whole event in memory), stopping at the first in flight. */
async function finalCountsOf(tenant: string, eventId: string): Promise<FinalCounts | undefined> {
  const c = counter();
  for await (const page of records.statusPagesOfEvent(tenant, eventId)) if (!c.add(page)) return undefined;
  return c.done();
}

/** Move the event to done when it is through. `rows` saves the read when the caller has them (the report). */
export async function finishIfComplete(tenant: string, eventId: string, rows?: Row[]): Promise<boolean> {
  const event = await getEvent(tenant, eventId);
  if (!event || !event.fanoutDoneAt || event.finishedAt || (event.status !== "sending" && event.status !== "closed"))
    return false;
  const counts = rows ? finalCounts(rows) : await finalCountsOf(tenant, eventId);
  if (!counts) return false;
  const moved = await markFinished(tenant, eventId, counts);
  if (moved) log.info("event finished", { tenant, eventId, ...counts });
  return moved;
}

/** Fan-out created `n` notices that still have to be sent. */
export async function opened(tenant: string, eventId: string, n: number): Promise<void> {
  if (n > 0) await addOpen(tenant, eventId, n);
}

/** Delivery ended one notice; the last one finishes the event. */
export async function closedOne(tenant: string, eventId: string): Promise<void> {
  await closed(tenant, eventId, 1);
}

/** Delivery ended `n` notices of the event (a batch's, counted down in one write); the last ones finish the event. */
export async function closed(tenant: string, eventId: string, n: number): Promise<void> {
  if (n > 0 && (await addOpen(tenant, eventId, -n)) <= 0) await finishIfComplete(tenant, eventId);
}
