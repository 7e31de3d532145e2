/**
 * Deleting a student (PIPL: a child's personal data is kept no longer than needed). What goes: the student's
 * profile — name, 学籍号, grade and class, village, guardians' names and phones — and every binding to a chat user
 * (those families stop receiving anything about the child). Binding codes issued for the child die with the
 * profile (a code is only honoured for a student that exists) and expire within 14 days.
 *
 * What stays, de-identified, for audit (全程留痕): applications, reviews and payment records keep the student id —
 * a one-way hash of tenant + 学籍号 — and amounts, but no name, 学籍号 or phone; notices already sent keep the
 * masked name they were sent with. The deletion itself is an audit record with the reason and who did it.
 */
import { z } from "zod";
import { batchDelete, tableName, transact } from "../db/client.js";
import { keys } from "../db/keys.js";
import { auditPut } from "../audit/index.js";
import * as bindings from "../families/bindings.js";
import { actorOf, requireRole, requireStudent, type Staff } from "../staff/scope.js";

export const EraseStudentInput = z.object({
  reason: z.string().trim().min(2, "请写明删除原因（至少 2 个字），例如“转学离开本县”“重复录入”").max(200),
});

export interface StudentErased {
  studentId: string;
  bindingsRemoved: number;
}

/** School or bureau, within scope (another school's student answers 404, as a missing one does). */
export async function eraseStudent(
  staff: Staff,
  studentId: string,
  input: z.output<typeof EraseStudentInput>,
): Promise<StudentErased> {
  requireRole(staff, "school", "bureau");
  const { student } = await requireStudent(staff, studentId);
  const bound = await bindings.usersOf(staff.tenant, student.id);
  await batchDelete(
    bound.map((b) => {
      const k = keys.binding(staff.tenant, student.id, b.userKey);
      return { pk: k.pk, sk: k.sk };
    }),
  );
  await transact([
    { Delete: { TableName: tableName(), Key: keys.student(staff.tenant, student.id) } },
    auditPut(tableName(), staff.tenant, {
      entityId: student.id,
      actor: actorOf(staff),
      action: "student_deleted",
      reason: input.reason,
    }),
  ]);
  return { studentId: student.id, bindingsRemoved: bound.length };
}
