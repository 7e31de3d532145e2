/**
 * The review queue of a level: applications of a programme and term in the caller's scope, with the student's
 * name, school and grade (what a reviewer needs to decide), by default only those waiting for the caller's level.
 */
import { z } from "zod";
import * as applications from "../applications/index.js";
import * as students from "../students/index.js";
import { mapLimit } from "../concurrency.js";
import { maskStudentNo } from "../mask.js";
import { visibleSchools, type Staff } from "./scope.js";
import type { SchoolInfo } from "../schools/index.js";

export const QueueQuery = z.object({
  programme: applications.Programme,
  term: applications.Term,
  /** A stage, `mine` (waiting for the caller's level; the default) or `all`. */
  stage: z.union([z.enum(applications.Stages), z.enum(["mine", "all"])]).default("mine"),
  schoolId: z.string().optional(),
  grade: z.string().optional(),
});

export const QueueItem = z.object({
  id: z.string(),
  studentId: z.string(),
  studentName: z.string(),
  studentNo: z.string(),
  schoolId: z.string(),
  schoolName: z.string(),
  township: z.string(),
  grade: z.string(),
  class: z.string(),
  programme: z.string(),
  programmeLabel: z.string(),
  term: z.string(),
  termLabel: z.string(),
  amountYuan: z.string(),
  stage: z.enum(applications.Stages),
  stageLabel: z.string(),
  stageChangedAt: z.string(),
  reason: z.string().optional(),
  /** The 公示 list it is (or was) on. */
  listId: z.string().optional(),
  /** The caller's level acts on it now. */
  mine: z.boolean(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** Whether `app` waits for the caller's level. */
export function waitsFor(staff: Staff, app: applications.ApplicationInfo, school: SchoolInfo): boolean {
  if (staff.role === "school") return app.stage === "submitted";
  if (staff.role === "township") return app.stage === "school_approved" && !school.directlyUnderCounty;
  return app.stage === "township_approved" || (app.stage === "school_approved" && Boolean(school.directlyUnderCounty));
}

export async function reviewQueue(staff: Staff, q: z.output<typeof QueueQuery>): Promise<QueueItem[]> {
  const schools = new Map((await visibleSchools(staff)).map((s) => [s.id, s] as const));
  const stage = q.stage === "mine" || q.stage === "all" ? undefined : q.stage;
  const apps = (await applications.byProgramme(staff.tenant, q.programme, q.term, stage)).filter((a) => {
    const school = schools.get(a.schoolId);
    if (!school || (q.schoolId && a.schoolId !== q.schoolId)) return false;
    return q.stage !== "mine" || waitsFor(staff, a, school);
  });
  const rows = await mapLimit(apps, 16, async (a) => {
    const student = await students.fromId(staff.tenant, a.studentId);
    const school = schools.get(a.schoolId)!;
    if (!student || (q.grade && student.grade !== q.grade)) return undefined;
    return QueueItem.parse({
      id: a.id,
      studentId: a.studentId,
      studentName: student.name,
      studentNo: maskStudentNo(student.studentNo),
      schoolId: school.id,
      schoolName: school.name,
      township: school.township,
      grade: student.grade,
      class: student.class,
      programme: a.programme,
      programmeLabel: applications.Programmes[a.programme],
      term: a.term,
      termLabel: applications.termLabel(a.term),
      amountYuan: applications.yuan(a.amountFen),
      stage: a.stage,
      stageLabel: applications.StageLabel[a.stage],
      stageChangedAt: a.stageChangedAt,
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.publicity ? { listId: a.publicity.listId } : {}),
      mine: waitsFor(staff, a, school),
    });
  });
  return rows
    .filter((r): r is QueueItem => r !== undefined)
    .sort(
      (a, b) =>
        a.schoolName.localeCompare(b.schoolName, "zh") ||
        a.grade.localeCompare(b.grade) ||
        a.class.localeCompare(b.class) ||
        a.studentName.localeCompare(b.studentName, "zh"),
    );
}
