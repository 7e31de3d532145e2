/**
 * Proving the link between a chat user and a student before anything about the student is shown: student name +
 * 学籍号 + the last four digits of a guardian phone the school registered, or a one-time code from staff.
 * Every mismatch has the same outcome, whatever part was wrong, so the answer is no oracle for guessing a 学籍号;
 * attempts are limited per chat user and per student (limits.ts).
 */
import * as students from "../students/index.js";
import { phoneLast4 } from "../mask.js";
import * as bindings from "./bindings.js";
import * as codes from "./codes.js";
import { charge, refund } from "./limits.js";

export type BindOutcome =
  | { kind: "bound"; student: students.StudentInfo; created: boolean }
  | { kind: "failed"; left: number }
  | { kind: "code_failed"; left: number }
  | { kind: "locked"; until: number };

export interface Details {
  name: string;
  studentNo: string;
  phoneLast4: string;
}

/** Names compare without spaces or the middle dot of minority names (阿依·买买提), in NFKC. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize("NFKC").replace(/[\s·•・.]/g, "");
  return norm(a) !== "" && norm(a) === norm(b);
}

export async function bindWithDetails(tenant: string, userKey: string, d: Details): Promise<BindOutcome> {
  const user = await charge(tenant, "user", userKey);
  if (!user.ok) return { kind: "locked", until: user.until };

  // The per-student counter is keyed by the id the 学籍号 *would* have, whether or not such a student exists:
  // a lockout must not tell a guesser that they hit a real 学籍号.
  const no = students.StudentNo.safeParse(d.studentNo);
  const studentId = no.success ? students.idFor(tenant, no.data) : undefined;
  if (studentId) {
    const perStudent = await charge(tenant, "student", studentId);
    if (!perStudent.ok) {
      await refund(tenant, "user", userKey); // nothing was checked
      return { kind: "locked", until: perStudent.until };
    }
  }

  const student = studentId ? await students.fromId(tenant, studentId) : undefined;
  const last4 = d.phoneLast4.replace(/\D/g, "");
  const matches =
    student !== undefined && sameName(student.name, d.name) && last4.length === 4 && student.guardians.some((g) => phoneLast4(g.phone) === last4);
  if (!student || !matches) return { kind: "failed", left: user.left };

  const { created } = await bindings.bind(tenant, student.id, userKey, "name_no_phone");
  await Promise.all([refund(tenant, "user", userKey), refund(tenant, "student", student.id)]);
  return { kind: "bound", student, created };
}

export async function bindWithCode(tenant: string, userKey: string, code: string): Promise<BindOutcome> {
  const user = await charge(tenant, "user", userKey);
  if (!user.ok) return { kind: "locked", until: user.until };
  const studentId = await codes.consume(tenant, code.trim(), userKey);
  const student = studentId ? await students.fromId(tenant, studentId) : undefined;
  if (!student) return { kind: "code_failed", left: user.left };
  try {
    const { created } = await bindings.bind(tenant, student.id, userKey, "code");
    await refund(tenant, "user", userKey);
    return { kind: "bound", student, created };
  } catch (e) {
    await codes.release(tenant, code.trim(), userKey);
    throw e;
  }
}
