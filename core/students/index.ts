/**
 * Students and their guardians. The id is derived from tenant + 学籍号, so an
 * upsert by 学籍号 needs no lookup and re-importing the same file is a no-op.
 * 学籍号 and guardian phones stay inside this module's Info; replies mask them.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { batchGet, batchPut, ddb, getItem, queryPage, tableName, withoutKeys, type Page } from "../db/client.js";
import { keys } from "../db/keys.js";
import { stableId } from "../ids.js";
import { canonicalClass, canonicalGrade } from "./grades.js";

/** 全国学籍号: "G" + 18-character ID number style, or a province's own variants; accept letters+digits 8–24. */
export const StudentNo = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{8,24}$/, "学籍号 must be 8–24 letters or digits");

export const Phone = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, "phone must be an 11-digit mainland mobile number"));

export const Guardian = z.object({
  name: z.string().trim().min(1).max(30),
  relation: z.string().trim().min(1).max(10),
  phone: Phone,
});
export type Guardian = z.infer<typeof Guardian>;

export const StudentInput = z.object({
  studentNo: StudentNo,
  name: z.string().trim().min(1).max(30),
  schoolId: z.string().min(2).max(40),
  /** Stored in one spelling (五年级, 七年级, 高一, 大班; see grades.ts) so audiences and filters match. */
  grade: z
    .string()
    .trim()
    .min(1)
    .max(12)
    .transform((g) => canonicalGrade(g)),
  class: z
    .string()
    .trim()
    .min(1)
    .max(12)
    .transform((c) => canonicalClass(c)),
  /** Village or community, for 村级公示 scope. */
  village: z.string().trim().max(40).optional(),
  guardians: z.array(Guardian).max(4).default([]),
});
export type StudentInput = z.input<typeof StudentInput>;

export const StudentInfo = StudentInput.extend({
  id: z.string(),
  tenant: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StudentInfo = z.infer<typeof StudentInfo>;

export function idFor(tenant: string, studentNo: string): string {
  return stableId("stu", tenant, StudentNo.parse(studentNo));
}

function item(value: StudentInfo) {
  return {
    ...keys.student(value.tenant, value.id),
    ...keys.studentBySchool(value.tenant, value.schoolId, value.grade, value.class, value.id),
    type: "student",
    ...value,
  };
}

function same(a: StudentInfo, b: z.output<typeof StudentInput>): boolean {
  return (
    JSON.stringify([a.studentNo, a.name, a.schoolId, a.grade, a.class, a.village ?? null, a.guardians]) ===
    JSON.stringify([b.studentNo, b.name, b.schoolId, b.grade, b.class, b.village ?? null, b.guardians])
  );
}

export type UpsertOutcome = "created" | "updated" | "unchanged";

/** Create or update by 学籍号. Unchanged rows write nothing. */
export async function upsert(
  tenant: string,
  input: StudentInput,
): Promise<{ student: StudentInfo; outcome: UpsertOutcome }> {
  const parsed = StudentInput.parse(input);
  const id = idFor(tenant, parsed.studentNo);
  const existing = await fromId(tenant, id);
  if (existing && same(existing, parsed)) return { student: existing, outcome: "unchanged" };
  const now = new Date().toISOString();
  const value = StudentInfo.parse({ ...parsed, id, tenant, createdAt: existing?.createdAt ?? now, updatedAt: now });
  await ddb().send(new PutCommand({ TableName: tableName(), Item: item(value) }));
  return { student: value, outcome: existing ? "updated" : "created" };
}

/**
 * Create or update many by 学籍号 (a school's roster file): the existing students read in batches of 100, the new
 * and changed ones written in batches of 25 — two requests per hundred rows instead of two per row. Same outcome
 * per student as upsert; like upsert, last writer wins.
 */
export async function upsertMany(
  tenant: string,
  inputs: StudentInput[],
): Promise<{ student: StudentInfo; outcome: UpsertOutcome }[]> {
  const parsed = inputs.map((i) => StudentInput.parse(i));
  const existing = await manyFromIds(
    tenant,
    parsed.map((p) => idFor(tenant, p.studentNo)),
  );
  const now = new Date().toISOString();
  const results = parsed.map((p) => {
    const id = idFor(tenant, p.studentNo);
    const before = existing.get(id);
    if (before && same(before, p)) return { student: before, outcome: "unchanged" as const };
    const value = StudentInfo.parse({ ...p, id, tenant, createdAt: before?.createdAt ?? now, updatedAt: now });
    return { student: value, outcome: before ? ("updated" as const) : ("created" as const) };
  });
  await batchPut(
    results.filter((r) => r.outcome !== "unchanged").map((r) => item(r.student)),
    8,
  );
  return results;
}

/** Storage items for a bulk import of new students (the demo seed); see db/client batchPut. */
export function importItems(
  tenant: string,
  inputs: StudentInput[],
): { items: Record<string, unknown>[]; students: StudentInfo[] } {
  const now = new Date().toISOString();
  const students = inputs.map((input) => {
    const parsed = StudentInput.parse(input);
    return StudentInfo.parse({
      ...parsed,
      id: idFor(tenant, parsed.studentNo),
      tenant,
      createdAt: now,
      updatedAt: now,
    });
  });
  return { items: students.map(item), students };
}

export async function fromId(tenant: string, id: string): Promise<StudentInfo | undefined> {
  if (!/^stu_[0-9a-z]{16}$/.test(id)) return undefined;
  const found = await getItem(keys.student(tenant, id));
  return found ? StudentInfo.parse(withoutKeys(found)) : undefined;
}

/** Pattern 4, many at once (big files): the students found, by id; ids of no student are simply absent. */
export async function manyFromIds(tenant: string, ids: string[]): Promise<Map<string, StudentInfo>> {
  const valid = ids.filter((id) => /^stu_[0-9a-z]{16}$/.test(id));
  const found = await batchGet(valid.map((id) => keys.student(tenant, id)));
  const out = new Map<string, StudentInfo>();
  for (const item of found.values()) {
    const s = StudentInfo.parse(withoutKeys(item));
    out.set(s.id, s);
  }
  return out;
}

/** Pattern 5: student by 学籍号. */
export async function fromStudentNo(tenant: string, studentNo: string): Promise<StudentInfo | undefined> {
  const parsed = StudentNo.safeParse(studentNo);
  if (!parsed.success) return undefined;
  return fromId(tenant, idFor(tenant, parsed.data));
}

/** Pattern 6: students of a school, optionally one grade or one class, a page at a time. */
export async function bySchool(
  tenant: string,
  schoolId: string,
  filter: { grade?: string; class?: string } = {},
  cursor?: string,
  limit = 200,
): Promise<Page<StudentInfo>> {
  const page = await queryPage<Record<string, unknown>>(
    {
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :p)",
      ExpressionAttributeValues: {
        ":pk": keys.studentsOfSchoolPk(tenant, schoolId),
        ":p": keys.studentsOfSchoolPrefix(
          filter.grade === undefined ? undefined : canonicalGrade(filter.grade),
          filter.grade === undefined || filter.class === undefined ? undefined : canonicalClass(filter.class),
        ),
      },
      Limit: limit,
    },
    cursor,
  );
  return { items: page.items.map((i) => StudentInfo.parse(withoutKeys(i))), cursor: page.cursor };
}

/** Pattern: guardians of a student (stored on the student; phones only for matching, never shown). */
export async function guardiansOf(tenant: string, id: string): Promise<Guardian[]> {
  return (await fromId(tenant, id))?.guardians ?? [];
}

/**
 * The storage put for an edited student (the 学籍号, id, school and creation time stay; the class index follows
 * the new grade and class). Guarded on `updatedAt`, so an edit made from a stale screen loses instead of
 * overwriting someone else's change; callers put it in one transaction with its audit record.
 */
export function editItem(
  current: StudentInfo,
  changes: Partial<Pick<StudentInput, "name" | "grade" | "class" | "village" | "guardians">>,
  at = new Date().toISOString(),
) {
  const parsed = StudentInput.parse({
    studentNo: current.studentNo,
    schoolId: current.schoolId,
    name: changes.name ?? current.name,
    grade: changes.grade ?? current.grade,
    class: changes.class ?? current.class,
    village: changes.village === undefined ? current.village : changes.village || undefined,
    guardians: changes.guardians ?? current.guardians,
  });
  const next = StudentInfo.parse({
    ...parsed,
    id: current.id,
    tenant: current.tenant,
    createdAt: current.createdAt,
    updatedAt: at,
  });
  return {
    next,
    unchanged: same(current, parsed),
    put: {
      Put: {
        TableName: tableName(),
        Item: item(next),
        ConditionExpression: "updatedAt = :u",
        ExpressionAttributeValues: { ":u": current.updatedAt },
      },
    },
  };
}
