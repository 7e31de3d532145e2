/**
 * Follow-up of an event's unreached students: the delivery report's list, and — for the student's own school
 * only — the guardians' names and phones so a teacher can call or visit (each view audited, per student shown);
 * "told in person" marks (audited); an Excel export with formula-like cells neutralised.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { auditPut } from "../audit/index.js";
import { ddb, queryAll, tableName, transact } from "../db/client.js";
import { keys } from "../db/keys.js";
import { AppError } from "../errors.js";
import { mapLimit } from "../concurrency.js";
import * as students from "../students/index.js";
import { actorOf, type Staff } from "../staff/index.js";
import { workbook } from "../staff/spreadsheet.js";
import { deliveries, type UnreachedStudent } from "../notifications/report.js";

export const FollowUpLine = z.object({
  studentId: z.string(),
  student: z.string(),
  school: z.string(),
  grade: z.string(),
  class: z.string(),
  reason: z.string(),
  reasonLabel: z.string(),
  /** Only for the student's own school: who to call. */
  guardians: z.array(z.object({ name: z.string(), relation: z.string(), phone: z.string() })).optional(),
  told: z.object({ at: z.string(), by: z.string() }).optional(),
});
export type FollowUpLine = z.infer<typeof FollowUpLine>;

const Told = z.object({ at: z.string(), by: z.string() });

async function toldOf(tenant: string, eventId: string): Promise<Map<string, z.infer<typeof Told>>> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": keys.notificationsOfEventPk(tenant, eventId), ":p": "TOLD#" },
    ConsistentRead: true,
  });
  return new Map(items.map((i) => [String(i.studentId), Told.parse(i)]));
}

/** The unreached students of an event in the caller's scope; a school account also gets its own students' guardians. */
export async function followUp(
  staff: Staff,
  eventId: string,
): Promise<{ event: Awaited<ReturnType<typeof deliveries>>["event"]; total: number; lines: FollowUpLine[] }> {
  const report = await deliveries(staff, eventId);
  const told = await toldOf(staff.tenant, eventId);
  const own = (u: UnreachedStudent) => staff.role === "school" && staff.schoolId === u.schoolId;
  const lines = await mapLimit(report.unreached.students, 16, async (u): Promise<FollowUpLine> => {
    const base = {
      studentId: u.studentId,
      student: u.student,
      school: u.school,
      grade: u.grade,
      class: u.class,
      reason: u.reason,
      reasonLabel: u.reasonLabel,
      told: told.get(u.studentId),
    };
    if (!own(u)) return base;
    const s = await students.fromId(staff.tenant, u.studentId);
    return {
      ...base,
      student: s?.name ?? u.student,
      guardians: (s?.guardians ?? []).map((g) => ({ name: g.name, relation: g.relation, phone: g.phone })),
    };
  });
  const shown = lines.filter((l) => l.guardians !== undefined);
  // One audit entry per student whose guardians' phones were shown.
  for (let i = 0; i < shown.length; i += 100) {
    await transact(
      shown.slice(i, i + 100).map((l) =>
        auditPut(tableName(), staff.tenant, {
          entityId: l.studentId,
          actor: actorOf(staff),
          action: "view_unmasked",
          reason: `通知未送达跟进：查看监护人姓名和电话（${eventId}）`,
        }),
      ),
    );
  }
  return { event: report.event, total: report.unreached.total, lines };
}

/** Mark an unreached student as told in person (audited). Only the student's own school does the telling. */
export async function markTold(
  staff: Staff,
  eventId: string,
  studentId: string,
  note = "",
): Promise<{ at: string; by: string }> {
  const report = await deliveries(staff, eventId);
  const line = report.unreached.students.find((u) => u.studentId === studentId);
  if (!line) throw AppError.notFound("student");
  if (staff.role !== "school" || staff.schoolId !== line.schoolId)
    throw AppError.forbidden("own_school_only", "只有学生所在学校可以登记「已当面告知」");
  const actor = actorOf(staff);
  const at = new Date().toISOString();
  const by = actor.name ?? actor.id;
  const existing = await ddb().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.toldInPerson(staff.tenant, eventId, studentId),
      ConsistentRead: true,
    }),
  );
  if (existing.Item) return Told.parse(existing.Item);
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.toldInPerson(staff.tenant, eventId, studentId), type: "toldInPerson", studentId, at, by },
      },
    },
    auditPut(tableName(), staff.tenant, {
      entityId: studentId,
      actor,
      action: "told_in_person",
      reason: `已当面告知通知内容（${eventId}）${note ? "：" + note : ""}`,
    }),
  ]);
  return { at, by };
}

/** Excel can run a cell that starts with = + - @ (or a tab / CR): such cells get a leading apostrophe. */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export async function followUpWorkbook(staff: Staff, eventId: string): Promise<Uint8Array> {
  const { lines } = await followUp(staff, eventId);
  const withPhones = lines.some((l) => l.guardians);
  const header = [
    "学生",
    "学校",
    "年级",
    "班级",
    "未送达原因",
    ...(withPhones ? ["监护人", "电话"] : []),
    "已当面告知",
  ];
  const rows = lines.map((l) => [
    l.student,
    l.school,
    l.grade,
    l.class,
    l.reasonLabel,
    ...(withPhones
      ? [
          (l.guardians ?? []).map((g) => `${g.name}（${g.relation}）`).join("、"),
          (l.guardians ?? []).map((g) => g.phone).join("、"),
        ]
      : []),
    l.told ? `${l.told.at.slice(0, 10)} ${l.told.by}` : "",
  ]);
  return workbook(
    "未送达名单",
    header,
    rows.map((r) => r.map(neutralise)),
  );
}
