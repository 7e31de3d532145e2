/**
 * An objection decided (异议复核): the bureau resolves an objection raised during 公示 — upheld, the application is
 * 未通过 with the bureau's reason; dismissed, it is 公示无异议 again — and each bound guardian of that student is told
 * privately, once, on their own channel (WeChat template or web-chat inbox) through the usual event → fan-out →
 * delivery path.
 *
 * Exactly once: the event (kind `objection`, id derived from the application — the stage machine allows one
 * objection per application) and its one member are written in the same transaction as the move, so they exist if
 * and only if the application moved; notifications downstream have deterministic ids. A double click or a retried
 * request finds the application moved and gets 409 `stage_changed` as every review step does, after handing on a
 * notice a crash left unsent ("preparing"), so nothing is lost and nothing goes twice.
 */
import type { z } from "zod";
import { AppError } from "../errors.js";
import { stableId } from "../ids.js";
import { sendToQueue } from "../queue/client.js";
import * as staffApps from "../staff/applications.js";
import { actorOf, type Staff } from "../staff/index.js";
import { eventPut, getEvent, memberPut, setStatus, type EventInfo } from "../notifications/events.js";
import type { FanoutJob } from "../notifications/fanout.js";

export type ResolveInput = z.output<typeof staffApps.ResolveBody>;

/** The event that tells the family how the objection to `applicationId` was decided. */
export const objectionEventId = (tenant: string, applicationId: string) =>
  stableId("evt", tenant, "objection", applicationId);

/** Enqueue the fan-out of an event still `preparing`, then mark it sending (a crash in between: the next call does it). */
async function handOn(tenant: string, eventId: string): Promise<void> {
  const event = await getEvent(tenant, eventId);
  if (!event || event.status !== "preparing") return;
  await sendToQueue("fanout", { tenant, eventId } satisfies FanoutJob);
  await setStatus(tenant, eventId, ["preparing"], "sending");
}

export async function resolveObjection(staff: Staff, applicationId: string, input: ResolveInput) {
  const eventId = objectionEventId(staff.tenant, applicationId);
  let application: Awaited<ReturnType<typeof staffApps.review>>;
  try {
    application = await staffApps.review(staff, applicationId, { ...input, action: "resolve_objection" }, (current) => {
      const event: EventInfo = {
        id: eventId,
        tenant: staff.tenant,
        kind: "objection",
        createdAt: new Date().toISOString(),
        createdBy: actorOf(staff),
        status: "preparing",
        urgent: false,
        // The student's school follows its delivery report, as for the school's own 公示 list.
        schoolId: current.schoolId,
        objection: {
          applicationId: current.id,
          programme: current.programme,
          term: current.term,
          verdict: input.result === "rejected" ? "upheld" : "dismissed",
          reason: input.reason,
        },
      };
      return [
        eventPut(event),
        // Fan-out reads the student for the class and the masked name: one member, one read.
        memberPut(staff.tenant, eventId, {
          studentId: current.studentId,
          applicationIds: [current.id],
          schoolId: current.schoolId,
        }),
      ];
    });
  } catch (e) {
    if (e instanceof AppError && e.code === "stage_changed") await handOn(staff.tenant, eventId);
    throw e;
  }
  await handOn(staff.tenant, eventId);
  return { application, noticeId: eventId };
}
