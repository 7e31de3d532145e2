/**
 * Finding a student by name or 学籍号 within the caller's scope, and the owning school's unmasked view of one
 * student (full 学籍号 and guardian phones), each such view written to the student's audit trail.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { auditPut } from "../audit/index.js";
import { tableName, ddb } from "../db/client.js";
import { AppError } from "../errors.js";
import * as students from "../students/index.js";
import { classRank, gradeRank } from "../students/grades.js";
import { actorOf, requireStudent, visibleSchools, type Staff } from "./scope.js";
import { studentView } from "./views.js";

const MAX_RESULTS = 50;

type Listed = { schoolName: string; grade: string; class: string; name: string };

/** School order: school, then 一年级 < 二年级 < … < 六年级 < 七年级 … < 高三, then class by number, then name. */
export function inSchoolOrder<T extends Listed>(list: T[]): T[] {
  return [...list].sort(
    (a, b) =>
      a.schoolName.localeCompare(b.schoolName, "zh-CN") ||
      gradeRank(a.grade) - gradeRank(b.grade) ||
      a.grade.localeCompare(b.grade, "zh-CN") ||
      classRank(a.class) - classRank(b.class) ||
      a.class.localeCompare(b.class, "zh-CN") ||
      a.name.localeCompare(b.name, "zh-CN"),
  );
}

/**
 * Students in scope whose name holds `q` (every student for an empty `q`, as the students page shows on opening),
 * in school order. A school is read whole before it is ordered, so the first 50 are the first in school order (of
 * the schools read), not in storage-key order.
 */
export async function search(staff: Staff, q: string, schoolId?: string) {
  const text = q.trim();
  const schools = (await visibleSchools(staff)).filter((s) => !schoolId || s.id === schoolId);
  const names = new Map(schools.map((s) => [s.id, s.name] as const));
  const asNo = students.StudentNo.safeParse(text);
  if (asNo.success) {
    const found = await students.fromStudentNo(staff.tenant, asNo.data);
    if (found && names.has(found.schoolId)) return [{ ...studentView(found), schoolName: names.get(found.schoolId)! }];
  }
  const out: (ReturnType<typeof studentView> & { schoolName: string })[] = [];
  for (const school of schools) {
    const mine: typeof out = [];
    let cursor: string | undefined;
    do {
      const page = await students.bySchool(staff.tenant, school.id, {}, cursor, 1000);
      for (const s of page.items) {
        if (!text || s.name.includes(text)) mine.push({ ...studentView(s), schoolName: school.name });
      }
      cursor = page.cursor;
    } while (cursor);
    out.push(...inSchoolOrder(mine));
    if (out.length >= MAX_RESULTS) break;
  }
  return out.slice(0, MAX_RESULTS);
}

/** Only the student's own school sees the unmasked record; each view is audited. */
export async function unmasked(staff: Staff, studentId: string) {
  if (staff.role !== "school")
    throw AppError.forbidden("own_school_only", "完整学籍号和电话只对学生所在学校显示：请联系该校资助专干");
  const { student, school } = await requireStudent(staff, studentId);
  const put = auditPut(tableName(), staff.tenant, {
    entityId: student.id,
    actor: actorOf(staff),
    action: "view_unmasked",
    reason: "查看完整学籍号和监护人电话",
  });
  await ddb().send(new PutCommand(put.Put));
  return {
    id: student.id,
    name: student.name,
    studentNo: student.studentNo,
    schoolName: school.name,
    grade: student.grade,
    class: student.class,
    guardians: student.guardians.map((g) => ({ name: g.name, relation: g.relation, phone: g.phone })),
  };
}
