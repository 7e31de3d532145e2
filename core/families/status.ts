/**
 * Status replies (design.md §3 Status): for each bound child and each application — programme, term, stage label,
 * date of the last change and the next step; the paid amount, date and masked account; the reason and how to
 * object; the 公示 end date and objection contact. Only the user's own bound children, ever.
 */
import * as applications from "../applications/index.js";
import * as schools from "../schools/index.js";
import * as students from "../students/index.js";
import { maskName } from "../mask.js";
import { family, type FamilySettings, type StatusLine } from "../../prompts/family.js";
import * as bindings from "./bindings.js";
import { dayLabel } from "./dates.js";
import { namedInQuestion } from "./names.js";

export interface Child {
  student: students.StudentInfo;
  school?: schools.SchoolInfo;
}

export interface StatusSettings extends FamilySettings {
  timeZone: string;
}

/** A child as families see it named: 张*明. */
export function childLabel(c: Child): { child: string; school: string } {
  return { child: maskName(c.student.name), school: c.school?.name ?? "学校" };
}

/** The user's bound children that still exist, in binding order. */
export async function childrenOf(tenant: string, userKey: string): Promise<Child[]> {
  const bound = await bindings.studentsOf(tenant, userKey);
  const found = await Promise.all(
    bound.map(async (b) => {
      const student = await students.fromId(tenant, b.studentId);
      if (!student) return undefined;
      return { student, school: await schools.fromId(tenant, student.schoolId), boundAt: b.boundAt };
    }),
  );
  return found
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
    .sort((a, b) => a.boundAt.localeCompare(b.boundAt))
    .map(({ student, school }) => (school ? { student, school } : { student }));
}

function nextStep(a: applications.ApplicationInfo, c: Child, s: StatusSettings): string {
  if (a.stage === "school_approved" && c.school?.directlyUnderCounty) return family.next.school_approved_direct();
  if (a.stage === "rejected") return family.next.rejected(s);
  return family.next[a.stage]();
}

export function statusLine(a: applications.ApplicationInfo, c: Child, s: StatusSettings): string {
  const line: StatusLine = {
    programme: applications.Programmes[a.programme],
    term: applications.termLabel(a.term),
    stage: applications.StageLabel[a.stage],
    date: dayLabel(a.stageChangedAt, s.timeZone),
    next: nextStep(a, c, s),
  };
  if (a.stage === "paid" && a.payment) {
    line.paid = { amount: applications.yuan(a.payment.amountFen), date: dayLabel(a.payment.paidDate, s.timeZone), accountLast4: a.payment.accountLast4 };
  }
  if (a.stage === "rejected") line.rejected = a.reason ? { reason: a.reason } : {};
  if (a.stage === "publicizing" && a.publicity) {
    line.publicity = { end: dayLabel(a.publicity.end, s.timeZone), contact: a.publicity.objectionContact };
  }
  return family.statusLine(line);
}

/** Most recent terms first; a grandparent does not need ten years of history on one screen. */
const MAX_PER_CHILD = 6;

export async function childStatus(tenant: string, c: Child, s: StatusSettings): Promise<string> {
  const { child, school } = childLabel(c);
  const apps = (await applications.ofStudent(tenant, c.student.id))
    .sort((a, b) => b.term.localeCompare(a.term) || b.stageChangedAt.localeCompare(a.stageChangedAt))
    .slice(0, MAX_PER_CHILD);
  const body = apps.length ? apps.map((a) => statusLine(a, c, s)) : [family.statusNoApplications()];
  return [family.statusChildHeader(child, school), ...body].join("\n");
}

/** One text per bound child; binding instructions without one; a refusal for a question about another child. */
export async function statusTexts(tenant: string, userKey: string, s: StatusSettings, question?: string): Promise<string[]> {
  const children = await childrenOf(tenant, userKey);
  if (children.length === 0) return [family.statusNeedsBinding()];
  let shown = children;
  if (question) {
    const named = namedInQuestion(
      question,
      children.map((c) => ({ name: c.student.name, c })),
    );
    if (named.other) return [family.statusNotYourChild()];
    if (named.mine.length) shown = named.mine.map((n) => n.c);
  }
  return Promise.all(shown.map((c) => childStatus(tenant, c, s)));
}
