/**
 * School broadcasts: a notice to a school, a grade or a class, now or at a set time. Families who sent 退订 are
 * skipped at delivery; non-urgent notices wait out quiet hours. An Idempotency-Key makes a retried request find
 * the broadcast it already created instead of sending twice.
 */
import { z } from "zod";
import { AppError } from "../errors.js";
import { reusedKey, requireSameRequest } from "../abuse/idempotency.js";
import { newId, stableId } from "../ids.js";
import { sendToQueue } from "../queue/client.js";
import * as students from "../students/index.js";
import { actorOf, requireSchool, type Staff } from "../staff/index.js";
import { Audience, putEvent, setStatus, type EventInfo } from "../notifications/events.js";
import type { FanoutJob } from "../notifications/fanout.js";

/** A send time less than this far ahead is "now". */
const SCHEDULE_MIN_MS = 60_000;
/** The held index is read every minute; a month ahead is as far as a school plans a notice. */
const SCHEDULE_MAX_MS = 31 * 24 * 3600 * 1000;

export const BroadcastInput = z.object({
  audience: Audience,
  text: z.string().trim().min(1, "the notice is empty").max(500, "a notice has at most 500 characters"),
  urgent: z.boolean().default(false),
  /** ISO 8601 with offset, e.g. 2025-11-20T08:00:00+08:00; omitted = now. */
  sendAt: z.iso.datetime({ offset: true }).optional(),
});
export type BroadcastInput = z.input<typeof BroadcastInput>;

export interface BroadcastView {
  id: string;
  status: EventInfo["status"];
  audience: z.infer<typeof Audience>;
  urgent: boolean;
  sendAt?: string;
  createdAt: string;
}

function view(e: EventInfo): BroadcastView {
  if (e.kind !== "broadcast") throw new Error("not a broadcast");
  return {
    id: e.id,
    status: e.status,
    audience: e.broadcast.audience,
    urgent: e.urgent,
    sendAt: e.sendAt,
    createdAt: e.createdAt,
  };
}

export async function createBroadcast(
  staff: Staff,
  raw: BroadcastInput,
  idempotencyKey?: string,
  now = new Date(),
): Promise<{ created: boolean; broadcast: BroadcastView }> {
  const input = BroadcastInput.parse(raw);
  await requireSchool(staff, input.audience.schoolId);
  if (idempotencyKey !== undefined && !/^[A-Za-z0-9_.:-]{8,128}$/.test(idempotencyKey)) {
    throw AppError.validation(
      "invalid_idempotency_key",
      "请求头 Idempotency-Key 应为 8–128 位字母、数字或 _ . : -：请检查调用程序",
    );
  }
  let sendAt: string | undefined;
  if (input.sendAt) {
    const at = new Date(input.sendAt);
    if (at.getTime() - now.getTime() > SCHEDULE_MAX_MS)
      throw AppError.validation(
        "send_time_too_far",
        "定时发送最多只能定在 31 天以内：请选一个更近的时间，或到时候再发",
      );
    if (at.getTime() - now.getTime() >= SCHEDULE_MIN_MS) sendAt = at.toISOString();
  }
  // A grade or class spelled unlike the import (1 for 一年级) would reach nobody: refuse it instead of sending to 0.
  const a = input.audience;
  if (
    (await students.bySchool(staff.tenant, a.schoolId, { grade: a.grade, class: a.class }, undefined, 1)).items
      .length === 0
  ) {
    const which =
      a.grade === undefined ? "这所学校" : a.class === undefined ? `「${a.grade}」` : `「${a.grade}」「${a.class}」`;
    throw AppError.validation(
      "empty_audience",
      `${which}没有学生，通知不会发给任何人：请从列表中选择已导入的年级和班级（写法要与导入时一致，例如「一年级」「1班」）`,
    );
  }
  const id = idempotencyKey ? stableId("evt", staff.tenant, "broadcast", staff.tokenId, idempotencyKey) : newId("evt");
  const { created, event } = await putEvent({
    id,
    tenant: staff.tenant,
    kind: "broadcast",
    createdAt: now.toISOString(),
    createdBy: actorOf(staff),
    status: sendAt ? "scheduled" : "preparing",
    schoolId: input.audience.schoolId,
    urgent: input.urgent,
    ...(sendAt ? { sendAt } : {}),
    broadcast: { audience: input.audience, text: input.text },
  });
  if (event.kind !== "broadcast" || event.createdBy.id !== staff.tokenId) throw reusedKey();
  if (!created) {
    // The send time is compared as stored (a time that has since come close counts as the same request).
    const when = event.sendAt === undefined ? sendAt : input.sendAt && new Date(input.sendAt).toISOString();
    requireSameRequest(
      { ...event.broadcast, urgent: event.urgent, sendAt: event.sendAt },
      { audience: input.audience, text: input.text, urgent: input.urgent, sendAt: when },
    );
  }
  if (event.status === "preparing") {
    await sendToQueue("fanout", { tenant: staff.tenant, eventId: id } satisfies FanoutJob);
    await setStatus(staff.tenant, id, ["preparing"], "sending");
    return { created, broadcast: view({ ...event, status: "sending" }) };
  }
  return { created, broadcast: view(event) };
}
