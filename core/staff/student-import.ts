/**
 * Bulk upsert of students by 学籍号, from JSON or CSV. The whole file is validated first — shape, schools in the
 * token's scope, duplicates, 学籍号 already held by a student outside the scope — and nothing is written unless
 * every row is good. Upserts are keyed by 学籍号 (deterministic ids), so uploading the same file twice reports every
 * row "unchanged" and writes nothing.
 */
import { z } from "zod";
import { AppError, type ErrorDetail } from "../errors.js";
import * as students from "../students/index.js";
import type { SchoolInfo } from "../schools/index.js";
import { parseCsv } from "../csv.js";
import { mapLimit } from "../concurrency.js";
import { canSeeSchool, visibleSchools, type Staff } from "./scope.js";
import * as alerts from "../families/alerts.js";

export const MAX_ROWS = 5000;

/** One row as a client sends it in JSON; `school` is a school id or its exact name (a school token may omit it). */
export const StudentRow = z.object({
  name: z.string(),
  studentNo: z.string(),
  school: z.string().optional(),
  /** Accepted as another name for `school`. */
  schoolId: z.string().optional(),
  grade: z.union([z.string(), z.number()]).transform(String),
  class: z.union([z.string(), z.number()]).transform(String),
  village: z.string().optional(),
  guardians: z.array(z.object({ name: z.string(), relation: z.string(), phone: z.union([z.string(), z.number()]).transform(String) })).max(4).default([]),
});
export type StudentRow = z.input<typeof StudentRow>;

export const JsonUpload = z.union([z.object({ students: z.array(z.unknown()).min(1).max(MAX_ROWS) }), z.array(z.unknown()).min(1).max(MAX_ROWS)]);

/** CSV headers (Chinese as schools write them, or English); up to two guardians. */
const HEADERS: Record<string, string> = {
  姓名: "name", 学生姓名: "name", name: "name",
  学籍号: "studentNo", 全国学籍号: "studentNo", studentno: "studentNo", student_no: "studentNo",
  学校: "school", 学校代码: "school", 学校名称: "school", school: "school", schoolid: "school", school_id: "school",
  年级: "grade", grade: "grade",
  班级: "class", 班: "class", class: "class",
  村: "village", 村社区: "village", "村（社区）": "village", "村(社区)": "village", village: "village",
};
for (const n of [1, 2]) {
  Object.assign(HEADERS, {
    [`监护人${n}姓名`]: `g${n}name`, [`guardian${n}_name`]: `g${n}name`,
    [`监护人${n}关系`]: `g${n}relation`, [`guardian${n}_relation`]: `g${n}relation`,
    [`监护人${n}手机`]: `g${n}phone`, [`监护人${n}电话`]: `g${n}phone`, [`guardian${n}_phone`]: `g${n}phone`,
  });
}
const REQUIRED_COLUMNS = ["name", "studentNo", "grade", "class"] as const;

export interface SourceRow {
  /** CSV: the line it starts on; JSON: undefined (errors name `students.<index>` instead). */
  line?: number;
  index: number;
  value: unknown;
}

/** CSV text → rows in the JSON row shape, each with its line. Header problems fail the whole file (line 1). */
export function rowsFromCsv(text: string): SourceRow[] {
  const records = parseCsv(text);
  const header = records[0];
  if (!header) throw AppError.validation("csv_empty", "the file is empty");
  const columns = header.fields.map((h) => HEADERS[h.trim().toLowerCase().replace(/\s+/g, "")] ?? HEADERS[h.trim()]);
  const unknown = header.fields.filter((_, i) => columns[i] === undefined);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (unknown.length || missing.length) {
    const details: ErrorDetail[] = [
      ...unknown.map((h) => ({ line: header.line, field: h, message: `unknown column "${h}"` })),
      ...missing.map((c) => ({ line: header.line, field: c, message: `missing column ${c}` })),
    ];
    throw AppError.validation("csv_header", `line ${header.line}: ${details[0]!.message}`, details);
  }
  const rows = records.slice(1);
  if (rows.length === 0) throw AppError.validation("csv_empty", "the file has a header but no rows");
  if (rows.length > MAX_ROWS) throw AppError.validation("too_many_rows", `at most ${MAX_ROWS} rows per upload`);
  return rows.map((r, index) => {
    const get = (col: string) => {
      const at = columns.indexOf(col);
      return at >= 0 ? (r.fields[at] ?? "").trim() : "";
    };
    const guardians = [1, 2]
      .map((n) => ({ name: get(`g${n}name`), relation: get(`g${n}relation`), phone: get(`g${n}phone`) }))
      // An empty guardian block is "no second guardian", a half-filled one is an error the schema reports.
      .filter((g) => g.name || g.relation || g.phone);
    const extra = r.fields.length > columns.length ? { __extra: true } : {};
    return {
      line: r.line,
      index,
      value: { name: get("name"), studentNo: get("studentNo"), school: get("school") || undefined, grade: get("grade"), class: get("class"), village: get("village") || undefined, guardians, ...extra },
    };
  });
}

export function rowsFromJson(body: unknown): SourceRow[] {
  const parsed = JsonUpload.parse(body);
  const list = Array.isArray(parsed) ? parsed : parsed.students;
  return list.map((value, index) => ({ index, value }));
}

export interface ImportResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rows: { line?: number; index: number; studentId: string; outcome: students.UpsertOutcome }[];
}

function where(row: SourceRow, field?: string): Pick<ErrorDetail, "line" | "field"> {
  const path = row.line === undefined ? `students.${row.index}${field ? "." + field : ""}` : field;
  return { ...(row.line !== undefined ? { line: row.line } : {}), ...(path ? { field: path } : {}) };
}

function resolveSchool(staff: Staff, schools: SchoolInfo[], given: string | undefined): SchoolInfo | undefined {
  if (given === undefined) return staff.role === "school" ? schools[0] : undefined;
  return schools.find((s) => s.id === given) ?? schools.find((s) => s.name === given);
}

/** Validate every row, then upsert them all; throws one AppError listing every bad row (nothing written). */
export async function importStudents(staff: Staff, rows: SourceRow[]): Promise<ImportResult> {
  const schools = await visibleSchools(staff);
  const errors: ErrorDetail[] = [];
  const inputs: { row: SourceRow; input: z.output<typeof students.StudentInput> }[] = [];
  const seen = new Map<string, SourceRow>();

  for (const row of rows) {
    if ((row.value as { __extra?: boolean }).__extra) {
      errors.push({ ...where(row), message: "more fields than columns (a comma inside a value needs quotes)" });
      continue;
    }
    const shaped = StudentRow.safeParse(row.value);
    if (!shaped.success) {
      for (const i of shaped.error.issues) errors.push({ ...where(row, i.path.join(".")), message: i.message });
      continue;
    }
    const given = (shaped.data.school ?? shaped.data.schoolId)?.trim() || undefined;
    const school = resolveSchool(staff, schools, given);
    if (!school) {
      errors.push({ ...where(row, "school"), message: given ? `school "${given}" not found` : "school is required" });
      continue;
    }
    const { school: _s, schoolId: _id, ...rest } = shaped.data;
    const input = students.StudentInput.safeParse({ ...rest, schoolId: school.id });
    if (!input.success) {
      for (const i of input.error.issues) errors.push({ ...where(row, i.path.join(".")), message: i.message });
      continue;
    }
    const first = seen.get(input.data.studentNo);
    if (first) {
      errors.push({ ...where(row, "studentNo"), message: `the same 学籍号 as ${first.line !== undefined ? `line ${first.line}` : `students.${first.index}`}` });
      continue;
    }
    seen.set(input.data.studentNo, row);
    inputs.push({ row, input: input.data });
  }

  // A 学籍号 already held by a student of a school outside this token's scope must not be overwritten (a transfer
  // between schools is done by a token that sees both). Saying so would tell the caller that the number exists
  // elsewhere (an oracle, 5,000 numbers a request): the caller learns only that some rows need the bureau —
  // not which, not why — and the bureau gets an alert naming the students and the token.
  const conflicts: string[] = [];
  if (errors.length === 0 && staff.role !== "bureau") {
    const existing = await mapLimit(inputs, 16, ({ input }) => students.fromStudentNo(staff.tenant, input.studentNo));
    const known = new Map(schools.map((s) => [s.id, s] as const));
    existing.forEach((e) => {
      const school = e ? known.get(e.schoolId) : undefined;
      if (e && !(school && canSeeSchool(staff, school))) conflicts.push(e.id);
    });
  }
  if (conflicts.length > 0) {
    await mapLimit(conflicts, 8, (studentId) => alerts.record(staff.tenant, { kind: "import_conflict", studentId, by: staff.tokenId }));
    throw AppError.validation(
      "needs_bureau",
      `${conflicts.length} 行需要县教育局核实后才能导入，已通知县教育局；本次没有保存任何数据。请联系县教育局。`,
    );
  }

  if (errors.length) {
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const first = errors[0]!;
    const at = first.line !== undefined ? `line ${first.line}: ` : first.field ? `${first.field}: ` : "";
    throw AppError.validation("invalid_rows", `${errors.length} row error(s), nothing was saved — ${at}${first.message}`, errors.slice(0, 200));
  }

  const results = await mapLimit(inputs, 8, async ({ row, input }) => {
    const { student, outcome } = await students.upsert(staff.tenant, input);
    return { ...(row.line !== undefined ? { line: row.line } : {}), index: row.index, studentId: student.id, outcome };
  });
  const count = (o: students.UpsertOutcome) => results.filter((r) => r.outcome === o).length;
  return { total: results.length, created: count("created"), updated: count("updated"), unchanged: count("unchanged"), rows: results };
}
