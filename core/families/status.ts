/**
 * Status replies (docs/design.md §3.4): for each bound child and each application — programme, term, stage label,
 * date of the last change and the next step; the paid amount, date and masked account; the reason and how to
 * object; the 公示 end date and objection contact. Only the user's own bound children, ever.
 */
import * as applications from "../applications/index.js";
import * as schools from "../schools/index.js";
import * as students from "../students/index.js";
import { maskName } from "../mask.js";
import { family, programmeCues, statusAspectCues, type FamilySettings, type StatusLine } from "../../prompts/family.js";
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
    line.paid = {
      amount: applications.yuan(a.payment.amountFen),
      date: dayLabel(a.payment.paidDate, s.timeZone),
      accountLast4: a.payment.accountLast4,
    };
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

const ORDINAL: Record<string, number> = { 大: 1, 二: 2, 三: 3, 四: 4 };

/** The child "老二" points at (binding order), "老幺" the last; undefined when none is named that way. */
function byOrdinal(question: string, children: Child[]): Child[] | "none" | undefined {
  const m = statusAspectCues.ordinal.exec(question);
  if (!m) return undefined;
  if (m[1] === "幺") return children.length > 1 ? [children[children.length - 1]!] : "none";
  const n = ORDINAL[m[1]!]!;
  return children[n - 1] ? [children[n - 1]!] : "none";
}

/** The programmes a question names. */
function programmesIn(question: string): applications.Programme[] {
  return (Object.keys(programmeCues) as applications.Programme[]).filter((p) => programmeCues[p]!.test(question));
}

/** "钱打到哪张卡上了": each paid application's card, or why there is none yet. */
function cardLines(apps: applications.ApplicationInfo[], c: Child, s: StatusSettings): string[] {
  const paid = apps.filter((a) => a.stage === "paid" && a.payment);
  if (paid.length > 0) {
    return paid.map((a) =>
      family.cardPaid(
        applications.Programmes[a.programme],
        applications.termLabel(a.term),
        applications.yuan(a.payment!.amountFen),
        dayLabel(a.payment!.paidDate, s.timeZone),
        a.payment!.accountLast4,
      ),
    );
  }
  const open = apps.filter((a) => a.stage !== "rejected");
  if (open.length === 0) return [family.cardNone()];
  return open.map((a) =>
    family.cardNotYet(
      applications.Programmes[a.programme],
      applications.termLabel(a.term),
      applications.StageLabel[a.stage],
      nextStep(a, c, s),
    ),
  );
}

/** "这期公示有没有我家老二": the latest term's applications and where each stands with the 公示. */
function publicityLines(apps: applications.ApplicationInfo[], s: StatusSettings): string[] {
  const latest = apps.reduce((t, a) => (a.term > t ? a.term : t), "");
  return apps
    .filter((a) => a.term === latest)
    .map((a) => {
      const p = applications.Programmes[a.programme];
      const t = applications.termLabel(a.term);
      switch (a.stage) {
        case "publicizing":
          return a.publicity
            ? family.publicityOn(p, t, dayLabel(a.publicity.end, s.timeZone), a.publicity.objectionContact)
            : family.publicityNotYet(p, t, applications.StageLabel[a.stage]);
        case "approved":
        case "paid":
          return family.publicityDone(p, t);
        case "rejected":
          return family.publicityRejected(p, t);
        case "objected":
          return family.publicityObjected(p, t);
        default:
          return family.publicityNotYet(p, t, applications.StageLabel[a.stage]);
      }
    });
}

/** One child's status narrowed to the question: the programme it names, the card, the 公示, or everything. */
async function answerFor(tenant: string, c: Child, s: StatusSettings, question: string | undefined): Promise<string> {
  if (!question) return childStatus(tenant, c, s);
  const programmes = programmesIn(question);
  const card = statusAspectCues.card.test(question);
  const publicity = statusAspectCues.publicity.test(question);
  if (programmes.length === 0 && !card && !publicity) return childStatus(tenant, c, s);
  const { child, school } = childLabel(c);
  let apps = (await applications.ofStudent(tenant, c.student.id)).sort(
    (a, b) => b.term.localeCompare(a.term) || b.stageChangedAt.localeCompare(a.stageChangedAt),
  );
  if (programmes.length > 0) {
    apps = apps.filter((a) => programmes.includes(a.programme));
    if (apps.length === 0)
      return [
        family.statusChildHeader(child, school),
        family.statusNoProgramme(applications.Programmes[programmes[0]!]),
      ].join("\n");
  }
  if (apps.length === 0) return [family.statusChildHeader(child, school), family.statusNoApplications()].join("\n");
  const body = card
    ? cardLines(apps, c, s)
    : publicity
      ? publicityLines(apps, s)
      : apps.slice(0, MAX_PER_CHILD).map((a) => statusLine(a, c, s));
  return [family.statusChildHeader(child, school), ...body].join("\n");
}

/**
 * One text per bound child; binding instructions without one; a refusal for a question about another child. The
 * question narrows the answer: to the child it names (by name or as 老大 / 老二), to the programme it names
 * ("雨露那笔"), to where the money went ("打到哪张卡") or to the 公示 ("公示有没有我家老二").
 */
export async function statusTexts(
  tenant: string,
  userKey: string,
  s: StatusSettings,
  question?: string,
): Promise<string[]> {
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
    else {
      const nth = byOrdinal(question, children);
      if (nth === "none") return [family.statusNoSuchChild(children.length)];
      if (nth) shown = nth;
    }
  }
  return Promise.all(shown.map((c) => answerFor(tenant, c, s, question)));
}
