/**
 * A student corrected from the console: name, grade, class, village, guardians and their phones. The 学籍号 (the
 * student's identity and id) and the school never change here. Scope as for reading the student (an out-of-scope
 * student is "not found"); the change and its audit record — naming the person, the fields changed and the reason,
 * never the values — are written in one transaction, guarded on the version the officer saw.
 */
import { z } from "zod";
import { auditPut } from "../audit/index.js";
import { tableName, transact } from "../db/client.js";
import { AppError, isConditionFailure } from "../errors.js";
import type * as schools from "../schools/index.js";
import * as students from "../students/index.js";
import { canonicalClass, canonicalGrade } from "../students/grades.js";
import { actorOf, requireStudent, type Staff } from "./scope.js";
import { studentView } from "./views.js";

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}最多 ${max} 个字`);

/** A guardian as the form sends it: an empty phone keeps the number this guardian (same position) already has. */
export const GuardianEdit = z.object({
  name: text("监护人姓名", 30),
  relation: text("与学生关系", 10),
  phone: z
    .string()
    .trim()
    .transform((s) => s.replace(/[\s-]/g, ""))
    .pipe(z.string().regex(/^(1[3-9]\d{9})?$/, "手机号应为 11 位大陆手机号，如 13800000000；不改号码请留空"))
    .optional()
    .describe("留空（或不传）表示保留这一位监护人原来的号码"),
});

export const StudentEdit = z.object({
  name: text("姓名", 30).optional(),
  grade: text("年级", 12).optional(),
  class: text("班级", 12).optional(),
  village: z.string().trim().max(40, "村（社区）最多 40 个字").optional().describe("空字符串表示清除"),
  guardians: z.array(GuardianEdit).max(4, "最多登记 4 位监护人").optional(),
  reason: z
    .string({ error: "请写明修改原因" })
    .trim()
    .min(2, "请写明修改原因（至少 2 个字），如“家长来电更正电话”")
    .max(200, "修改原因最多 200 个字"),
  /** The version the officer saw (the student's updatedAt): a change made meanwhile by someone else → 409. */
  updatedAt: z.string().optional().describe("您看到的版本（学生的 updatedAt）；别人在此期间改过则 409 student_changed"),
});
export type StudentEdit = z.output<typeof StudentEdit>;

const FIELD_LABEL = { name: "姓名", grade: "年级", class: "班级", village: "村（社区）", guardians: "监护人" } as const;

function guardiansOf(current: students.StudentInfo, edit: NonNullable<StudentEdit["guardians"]>): students.Guardian[] {
  return edit.map((g, i) => {
    const phone = g.phone || current.guardians[i]?.phone;
    if (!phone)
      throw AppError.validation("invalid_input", `请填写监护人${i + 1}的手机号（新加的监护人必须有号码）`, [
        { field: `guardians.${i}.phone`, message: "新加的监护人必须填写手机号" },
      ]);
    return { name: g.name, relation: g.relation, phone };
  });
}

/** What changed, in words for the trail: field names only (never a phone or a name's value). */
function changedFields(a: students.StudentInfo, b: students.StudentInfo): string[] {
  const out: string[] = [];
  if (a.name !== b.name) out.push(FIELD_LABEL.name);
  if (a.grade !== b.grade) out.push(FIELD_LABEL.grade);
  if (a.class !== b.class) out.push(FIELD_LABEL.class);
  if ((a.village ?? "") !== (b.village ?? "")) out.push(FIELD_LABEL.village);
  const names = (s: students.StudentInfo) => JSON.stringify(s.guardians.map((g) => [g.name, g.relation]));
  if (names(a) !== names(b)) out.push(FIELD_LABEL.guardians);
  if (JSON.stringify(a.guardians.map((g) => g.phone)) !== JSON.stringify(b.guardians.map((g) => g.phone)))
    out.push("监护人电话");
  return out;
}

export async function editStudent(staff: Staff, studentId: string, edit: StudentEdit) {
  const { student, school } = await requireStudent(staff, studentId);
  if (edit.updatedAt && edit.updatedAt !== student.updatedAt)
    throw AppError.conflict("student_changed", "这名学生的信息在您打开后已被别人修改：请刷新后再改");
  const kind = school.kind as schools.SchoolInfo["kind"];
  const { next, put, unchanged } = students.editItem(student, {
    ...(edit.name !== undefined ? { name: edit.name } : {}),
    // Stored in the one spelling (五年级, 2班) the school's other pupils have, so notices to the class reach them.
    ...(edit.grade !== undefined ? { grade: canonicalGrade(edit.grade, kind) } : {}),
    ...(edit.class !== undefined ? { class: canonicalClass(edit.class) } : {}),
    ...(edit.village !== undefined ? { village: edit.village } : {}),
    ...(edit.guardians !== undefined ? { guardians: guardiansOf(student, edit.guardians) } : {}),
  });
  if (unchanged) return { student: studentView(student), changed: [] as string[] };
  const changed = changedFields(student, next);
  try {
    await transact([
      put,
      auditPut(tableName(), staff.tenant, {
        entityId: student.id,
        actor: actorOf(staff),
        action: "edit",
        reason: `修改${changed.join("、")}：${edit.reason}`.slice(0, 300),
        at: next.updatedAt,
      }),
    ]);
  } catch (e) {
    if (isConditionFailure(e)) throw AppError.conflict("student_changed", "这名学生的信息刚被别人修改：请刷新后再改");
    throw e;
  }
  return { student: studentView(next), changed };
}
