/**
 * What the sender sees of an event: how many notifications are in each state, and the students no guardian was
 * reached for (masked name, school, class), so the school can tell those families in person.
 */
import { AppError } from "../errors.js";
import * as schools from "../schools/index.js";
import type { Staff } from "../staff/index.js";
import { canSeeEvent, getEvent, type EventInfo } from "./events.js";
import { finalCounts, finishIfComplete } from "./finish.js";
import * as records from "./records.js";

/** The unreached list is for follow-up by hand; past this many the count still says how many there are. */
export const UNREACHED_LIMIT = 1000;

export type UnreachedReason = "no_guardian" | "unfollowed" | "failed" | "unsubscribed";
/** What a teacher reads for each reason. */
export const REASON_LABEL: Record<UnreachedReason, string> = {
  no_guardian: "家长未绑定",
  unfollowed: "已取消关注",
  failed: "发送失败",
  unsubscribed: "家长已退订学校通知",
};

export interface UnreachedStudent {
  studentId: string;
  student: string;
  school: string;
  schoolId: string;
  grade: string;
  class: string;
  reason: UnreachedReason;
  reasonLabel: string;
}

/** WeChat's "user not following" (43004) and our own pre-send check both mean the guardian unfollowed. */
const unfollowed = (n: { status: string; reason?: string }) =>
  n.status === "failed" && (n.reason === "not_following" || n.reason === "wechat_43004");

export interface DeliveryReport {
  event: {
    id: string;
    kind: EventInfo["kind"];
    status: EventInfo["status"];
    createdAt: string;
    sendAt?: string;
    fanoutDone: boolean;
    finishedAt?: string;
  };
  students: number;
  /** Students at least one guardian of whom got the notice (sent or delivered). */
  reached: number;
  counts: {
    queued: number;
    sent: number;
    delivered: number;
    failed: number;
    held: number;
    unreachable: number;
    skipped: number;
  };
  unreached: { total: number; students: UnreachedStudent[] };
}

export async function deliveries(staff: Staff, eventId: string): Promise<DeliveryReport> {
  const event = await getEvent(staff.tenant, eventId);
  if (!event || !(await canSeeEvent(staff, event))) throw AppError.notFound("event");
  const all = await records.ofEvent(staff.tenant, eventId);

  const counts = { queued: 0, sent: 0, delivered: 0, failed: 0, held: 0, unreachable: 0, skipped: 0 };
  const byStudent = new Map<string, typeof all>();
  for (const n of all) {
    counts[n.status === "sending" ? "queued" : n.status]++;
    byStudent.set(n.studentId, [...(byStudent.get(n.studentId) ?? []), n]);
  }

  // Unreached: every notification of the student has ended without reaching anyone (pending ones may still).
  const unreached: DeliveryReport["unreached"]["students"] = [];
  const names = new Map((await schools.list(staff.tenant)).map((s) => [s.id, s.name]));
  for (const list of byStudent.values()) {
    if (!list.every((n) => n.status === "unreachable" || n.status === "failed" || n.status === "skipped")) continue;
    const first = list[0]!;
    const reason: UnreachedReason = list.some((n) => n.status === "unreachable")
      ? "no_guardian"
      : list.some((n) => n.status === "failed" && !unfollowed(n))
        ? "failed"
        : list.some(unfollowed)
          ? "unfollowed"
          : "unsubscribed";
    unreached.push({
      studentId: first.studentId,
      student: first.child,
      school: names.get(first.schoolId) ?? first.schoolId,
      schoolId: first.schoolId,
      grade: first.grade,
      class: first.class,
      reason,
      reasonLabel: REASON_LABEL[reason],
    });
  }
  unreached.sort(
    (a, b) =>
      a.schoolId.localeCompare(b.schoolId) ||
      a.grade.localeCompare(b.grade, "zh", { numeric: true }) ||
      a.class.localeCompare(b.class, "zh", { numeric: true }),
  );

  // A finish missed by the workers (a crash between a notice's end and its count) is caught by whoever looks.
  let status = event.status;
  let finishedAt = event.finishedAt;
  if (event.fanoutDoneAt && !finishedAt && (status === "sending" || status === "closed") && finalCounts(all)) {
    await finishIfComplete(staff.tenant, eventId, all);
    const now = await getEvent(staff.tenant, eventId);
    status = now?.status ?? status;
    finishedAt = now?.finishedAt;
  }
  return {
    event: {
      id: event.id,
      kind: event.kind,
      status,
      createdAt: event.createdAt,
      sendAt: event.sendAt,
      fanoutDone: event.fanoutDoneAt !== undefined,
      finishedAt,
    },
    students: byStudent.size,
    reached: [...byStudent.values()].filter((l) => l.some((n) => n.status === "sent" || n.status === "delivered"))
      .length,
    counts,
    unreached: { total: unreached.length, students: unreached.slice(0, UNREACHED_LIMIT) },
  };
}
