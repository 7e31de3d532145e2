/**
 * Proving the link between a chat user and a student before anything about the student is shown: student name +
 * 学籍号 + the last four digits of a guardian phone the school registered, or a one-time code from staff.
 * Every mismatch has the same outcome, whatever part was wrong, so the answer is no oracle for guessing a 学籍号.
 *
 * Limits (limits.ts, docs/abuse.md): a failure is charged to the chat user and, for web chat, to the client
 * address; a code failure also to the tenant's hourly code budget. Per student there is only a threshold: past
 * it a wrong guess costs the guesser double and the school is alerted, but the family that sends the right
 * details is never refused because strangers guessed wrong.
 */
import * as students from "../students/index.js";
import { currentOrigin } from "../abuse/origin.js";
import { phoneLast4 } from "../mask.js";
import * as alerts from "./alerts.js";
import * as bindings from "./bindings.js";
import * as codes from "./codes.js";
import { charge, countStudentAttempt, refund, StudentThreshold, type LimitKind } from "./limits.js";

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

type Budget = [LimitKind, string];

/**
 * Charge one attempt to every budget in order; when one is spent, give back what was already taken (nothing was
 * checked, so nothing failed) and report until when.
 */
async function chargeAll(
  tenant: string,
  budgets: Budget[],
): Promise<{ ok: true; left: number } | { ok: false; until: number }> {
  const taken: Budget[] = [];
  let left = Number.POSITIVE_INFINITY;
  for (const b of budgets) {
    const c = await charge(tenant, b[0], b[1]);
    if (!c.ok) {
      await Promise.all(taken.map(([k, id]) => refund(tenant, k, id)));
      return { ok: false, until: c.until };
    }
    taken.push(b);
    if (b[0] === "user") left = c.left;
  }
  return { ok: true, left };
}

const refundAll = (tenant: string, budgets: Budget[]) => Promise.all(budgets.map(([k, id]) => refund(tenant, k, id)));

function budgetsFor(userKey: string, client: string | undefined): Budget[] {
  return client
    ? [
        ["user", userKey],
        ["client", client],
      ]
    : [["user", userKey]];
}

export async function bindWithDetails(
  tenant: string,
  userKey: string,
  d: Details,
  client = currentOrigin().client,
): Promise<BindOutcome> {
  const budgets = budgetsFor(userKey, client);
  const gate = await chargeAll(tenant, budgets);
  if (!gate.ok) return { kind: "locked", until: gate.until };

  // Counted by the id the 学籍号 *would* have, whether or not such a student exists: nothing here may tell a
  // guesser that they hit a real 学籍号.
  const no = students.StudentNo.safeParse(d.studentNo);
  const studentId = no.success ? students.idFor(tenant, no.data) : undefined;
  const attempts = studentId ? await countStudentAttempt(tenant, studentId) : 0;

  const student = studentId ? await students.fromId(tenant, studentId) : undefined;
  const last4 = d.phoneLast4.replace(/\D/g, "");
  const matches =
    student !== undefined &&
    sameName(student.name, d.name) &&
    last4.length === 4 &&
    student.guardians.some((g) => phoneLast4(g.phone) === last4);
  if (student && matches) {
    const { created } = await bindings.bind(tenant, student.id, userKey, "name_no_phone");
    await Promise.all([refundAll(tenant, budgets), refund(tenant, "student", student.id)]);
    return { kind: "bound", student, created };
  }

  let left = gate.left;
  if (studentId && attempts > StudentThreshold.failures) {
    // Someone is working through this student's phone digits: the school hears of it once per window, and each
    // further wrong guess costs the guesser a second attempt.
    if (attempts === StudentThreshold.failures + 1) {
      await alerts.record(tenant, {
        kind: "binding_guessing",
        studentId,
        ...(student ? { schoolId: student.schoolId } : {}),
        failures: attempts,
      });
    }
    const extra = await chargeAll(tenant, budgets);
    left = extra.ok ? extra.left : 0;
  }
  return { kind: "failed", left };
}

export async function bindWithCode(
  tenant: string,
  userKey: string,
  code: string,
  client = currentOrigin().client,
): Promise<BindOutcome> {
  const budgets: Budget[] = [...budgetsFor(userKey, client), ["tenantCodes", tenant]];
  const gate = await chargeAll(tenant, budgets);
  if (!gate.ok) return { kind: "locked", until: gate.until };
  const studentId = await codes.consume(tenant, code, userKey);
  const student = studentId ? await students.fromId(tenant, studentId) : undefined;
  if (!student) return { kind: "code_failed", left: gate.left };
  try {
    const { created } = await bindings.bind(tenant, student.id, userKey, "code");
    await refundAll(tenant, budgets);
    return { kind: "bound", student, created };
  } catch (e) {
    await codes.release(tenant, code, userKey);
    await refundAll(tenant, budgets);
    throw e;
  }
}
