/**
 * Bulk upsert of students by 学籍号, from JSON or CSV. The whole file is validated first — shape, schools in the
 * token's scope, duplicates, 学籍号 already held by a student outside the scope — and nothing is written unless
 * every row is good. Upserts are keyed by 学籍号 (deterministic ids), so uploading the same file twice reports every
 * row "unchanged" and writes nothing.
 */
import { z } from "zod";
import { AppError, capDetails, type ErrorDetail } from "../errors.js";
import * as students from "../students/index.js";
import { canonicalGrade } from "../students/grades.js";
import type { SchoolInfo } from "../schools/index.js";
import { parseCsv, type CsvRecord } from "../csv.js";
import { chunks, mapLimit } from "../concurrency.js";
import { issueLine } from "../zod-zh.js";
import { actorOf, canSeeSchool, visibleSchools, type Staff } from "./scope.js";
import * as alerts from "../families/alerts.js";
import { auditPut } from "../audit/index.js";
import { tableName, transact } from "../db/client.js";

export const MAX_ROWS = 5000;

/** One row as a client sends it in JSON; `school` is a school id or its exact name (a school token may omit it). */
export const StudentRow = z.object({
  name: z.string(),
  studentNo: z
    .string()
    .describe("学籍号：8–24 位字母或数字（全国学籍号为 G + 身份证号样式，如 G510000201601010011），不区分大小写"),
  school: z.string().optional(),
  /** Accepted as another name for `school`. */
  schoolId: z.string().optional(),
  grade: z.union([z.string(), z.number()]).transform(String),
  class: z.union([z.string(), z.number()]).transform(String),
  village: z.string().optional(),
  guardians: z
    .array(
      z.object({
        name: z.string(),
        relation: z.string(),
        phone: z
          .union([z.string(), z.number()])
          .transform(String)
          .describe("11 位大陆手机号，以 1 开头、第二位 3–9；空格和 - 会被去掉"),
      }),
    )
    .max(4)
    .default([]),
});
export type StudentRow = z.input<typeof StudentRow>;

export const JsonUpload = z.union([
  z.object({ students: z.array(z.unknown()).min(1).max(MAX_ROWS) }),
  z.array(z.unknown()).min(1).max(MAX_ROWS),
]);

/** CSV headers (Chinese as schools write them, or English); up to two guardians. */
const HEADERS: Record<string, string> = {
  姓名: "name",
  学生姓名: "name",
  name: "name",
  学籍号: "studentNo",
  全国学籍号: "studentNo",
  学籍编号: "studentNo",
  全国学籍号码: "studentNo",
  studentno: "studentNo",
  student_no: "studentNo",
  学校: "school",
  学校代码: "school",
  学校名称: "school",
  school: "school",
  schoolid: "school",
  school_id: "school",
  年级: "grade",
  就读年级: "grade",
  grade: "grade",
  班级: "class",
  班: "class",
  class: "class",
  村: "village",
  村社区: "village",
  "村（社区）": "village",
  "村(社区)": "village",
  village: "village",
};
for (const n of [1, 2]) {
  Object.assign(HEADERS, {
    [`监护人${n}姓名`]: `g${n}name`,
    [`guardian${n}_name`]: `g${n}name`,
    [`监护人${n}关系`]: `g${n}relation`,
    [`guardian${n}_relation`]: `g${n}relation`,
    [`监护人${n}手机`]: `g${n}phone`,
    [`监护人${n}电话`]: `g${n}phone`,
    [`guardian${n}_phone`]: `g${n}phone`,
  });
}
// A school's own export has one guardian, named without a number; the phone goes by many names.
Object.assign(HEADERS, {
  监护人姓名: "g1name",
  监护人: "g1name",
  家长姓名: "g1name",
  联系人: "g1name",
  联系人姓名: "g1name",
  与学生关系: "g1relation",
  监护人关系: "g1relation",
  与本人关系: "g1relation",
  关系: "g1relation",
  家长关系: "g1relation",
  监护人电话: "g1phone",
  监护人手机: "g1phone",
  监护人手机号: "g1phone",
  联系电话: "g1phone",
  家长手机: "g1phone",
  家长电话: "g1phone",
  家长手机号: "g1phone",
  手机号: "g1phone",
  手机号码: "g1phone",
  联系方式: "g1phone",
  电话: "g1phone",
});
const REQUIRED_COLUMNS = ["name", "studentNo", "grade", "class"] as const;
/** A school's own row number column: not imported, but shown beside the spreadsheet row so the officer finds the row. */
const SEQ_HEADERS = new Set(["序号", "编号", "行号", "no", "no."]);

export interface SourceRow {
  /** CSV or Excel: the row number the person sees in Excel (or the line in a text editor); JSON: undefined (errors name `students.<index>` instead). */
  line?: number;
  /** The file's own 序号 column value, when it has one. */
  seq?: string;
  index: number;
  value: unknown;
}

const COLUMN_LABEL: Record<string, string> = { name: "姓名", studentNo: "学籍号", grade: "年级", class: "班级" };

export interface TableRows {
  rows: SourceRow[];
  /** Headers that match no field: ignored, and reported so the person knows nothing was lost by mistake. */
  ignoredColumns: string[];
}

/** CSV text → rows in the JSON row shape, each with its line. Missing required columns fail the whole file (line 1). */
export function rowsFromCsv(text: string): SourceRow[] {
  return rowsFromRecords(parseCsv(text)).rows;
}

/** Records of a CSV or Excel sheet → rows; unknown columns are ignored and reported. */
export function rowsFromRecords(records: CsvRecord[]): TableRows {
  if (!records[0]) throw AppError.validation("csv_empty", "文件是空的：请放入表头和学生行后再上传");
  const fieldOf = (h: string) =>
    HEADERS[h.trim().toLowerCase().replace(/\s+/g, "")] ?? HEADERS[h.trim().replace(/\s+/g, "")];
  // A school's export often starts with a title row or two ("红旗小学2025年秋季学生名单") above the header: the header
  // is the first of the first ten rows that names both 姓名 and 学籍号; the rows above it are not students.
  const headerAt = records.slice(0, 10).findIndex((r) => {
    const named = r.fields.map(fieldOf);
    return named.includes("name") && named.includes("studentNo");
  });
  const header = records[Math.max(0, headerAt)]!;
  const columns = header.fields.map(fieldOf);
  // Only the first column of each kind counts; a second 电话 column is reported as ignored.
  const used = new Set<string>();
  columns.forEach((c, i) => {
    if (c === undefined) return;
    if (used.has(c)) columns[i] = undefined;
    else used.add(c);
  });
  const ignoredColumns = header.fields.filter((h, i) => columns[i] === undefined && h.trim() !== "");
  const seqAt = header.fields.findIndex((h) => SEQ_HEADERS.has(h.trim().replace(/\s+/g, "").toLowerCase()));
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) {
    const details: ErrorDetail[] = missing.map((c) => ({
      line: header.line,
      field: c,
      message: `缺少“${COLUMN_LABEL[c]}”列`,
    }));
    throw AppError.validation(
      "csv_header",
      `第 ${header.line} 行（表头）缺少 ${missing.map((c) => `“${COLUMN_LABEL[c]}”`).join("、")} 列：请下载模板对照表头后再上传`,
      details,
    );
  }
  const rows = records.slice(Math.max(0, headerAt) + 1);
  if (rows.length === 0) throw AppError.validation("csv_empty", "文件只有表头没有学生：请填好学生行后再上传");
  // A school's roster fits (5,000 rows import in a few seconds, well inside the API's 20 s); a county-wide file is split.
  if (rows.length > MAX_ROWS)
    throw AppError.validation(
      "too_many_rows",
      `文件有 ${rows.length} 行学生，每次最多 ${MAX_ROWS} 行，未保存任何学生：请按学校或年级分成几个文件（每个不超过 ${MAX_ROWS} 行）分别上传`,
    );
  return {
    ignoredColumns,
    rows: rows.map((r, index) => {
      const get = (col: string) => {
        const at = columns.indexOf(col);
        return at >= 0 ? (r.fields[at] ?? "").trim() : "";
      };
      const guardians = [1, 2]
        .map((n) => ({ name: get(`g${n}name`), relation: get(`g${n}relation`), phone: get(`g${n}phone`) }))
        // An empty guardian block is "no second guardian", a half-filled one is an error the schema reports.
        .filter((g) => g.name || g.relation || g.phone);
      const extra = r.fields.length > header.fields.length ? { __extra: true } : {};
      const seq = seqAt >= 0 ? (r.fields[seqAt] ?? "").trim() : "";
      return {
        line: r.line,
        ...(seq ? { seq: seq.slice(0, 20) } : {}),
        index,
        value: {
          name: get("name"),
          studentNo: get("studentNo"),
          school: get("school") || undefined,
          grade: get("grade"),
          class: get("class"),
          village: get("village") || undefined,
          guardians,
          ...extra,
        },
      };
    }),
  };
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

/**
 * What is wrong with a guardian's phone, in words that need no look at the number: the console shows phones masked
 * (the last four digits), so "格式不对" alone would send the officer to a cell they cannot see. Undefined when fine.
 */
export function phoneProblem(raw: unknown): string | undefined {
  const s = String(raw ?? "")
    .trim()
    .replace(/[\s-]/g, "");
  if (s === "") return "手机号没有填写";
  if (/^1[3-9]\d{9}$/.test(s)) return undefined;
  const digits = (s.match(/\d/g) ?? []).length;
  if (/\D/.test(s))
    return `手机号里有数字以外的字符（如字母、括号、小数点或 +86）：请只填 11 位数字（现有 ${digits} 位数字）`;
  if (s.length !== 11) return `手机号位数不对（填了 ${s.length} 位，应为 11 位）`;
  if (s[0] !== "1") return "手机号第 1 位不是 1：大陆手机号以 1 开头";
  return "手机号第 2 位不对：大陆手机号第 2 位是 3–9";
}

/** One zod issue of a row as the officer reads it; a phone issue says which part of the number is wrong. */
function rowIssue(row: SourceRow, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  if (path.length === 3 && path[0] === "guardians" && path[2] === "phone") {
    const g = (row.value as { guardians?: { phone?: unknown }[] }).guardians?.[path[1] as number];
    const why = phoneProblem(g?.phone);
    if (why) return `监护人${(path[1] as number) + 1} 的电话：${why}`;
  }
  return issueLine(issue);
}

export interface Validated {
  errors: ErrorDetail[];
  inputs: { row: SourceRow; input: z.output<typeof students.StudentInput> }[];
}

/** Every problem of every row (nothing written): what the console's preview shows, line by line. */
export async function validateStudents(staff: Staff, rows: SourceRow[]): Promise<Validated> {
  const schools = await visibleSchools(staff);
  const errors: ErrorDetail[] = [];
  const inputs: { row: SourceRow; input: z.output<typeof students.StudentInput> }[] = [];
  const seen = new Map<string, SourceRow>();

  for (const row of rows) {
    if ((row.value as { __extra?: boolean }).__extra) {
      errors.push({ ...where(row), message: "这一行的格子比表头多（值里有逗号时须加英文引号）：请检查这一行" });
      continue;
    }
    const shaped = StudentRow.safeParse(row.value);
    if (!shaped.success) {
      for (const i of shaped.error.issues) errors.push({ ...where(row, i.path.join(".")), message: issueLine(i) });
      continue;
    }
    const given = (shaped.data.school ?? shaped.data.schoolId)?.trim() || undefined;
    const school = resolveSchool(staff, schools, given);
    if (!school) {
      errors.push({
        ...where(row, "school"),
        message: given ? `找不到学校“${given}”（或不在您的管辖范围）：请填学校全称或编号` : "没有填学校：请加“学校”列",
      });
      continue;
    }
    const { school: _s, schoolId: _id, ...rest } = shaped.data;
    // A bare number means a different year at an 初中 or a 普通高中 (1 = 七年级 / 高一): read it with the school's kind.
    const input = students.StudentInput.safeParse({
      ...rest,
      grade: canonicalGrade(rest.grade, school.kind),
      schoolId: school.id,
    });
    if (!input.success) {
      for (const i of input.error.issues) errors.push({ ...where(row, i.path.join(".")), message: rowIssue(row, i) });
      continue;
    }
    const first = seen.get(input.data.studentNo);
    if (first) {
      errors.push({
        ...where(row, "studentNo"),
        message: `学籍号与${first.line !== undefined ? `第 ${first.line} 行` : `第 ${first.index + 1} 名学生`}重复：请删去重复的一行`,
      });
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
    // Read in batches of 100 (a 50,000-row roster is 500 requests, not 50,000).
    const existing = await students.manyFromIds(
      staff.tenant,
      inputs.map(({ input }) => students.idFor(staff.tenant, input.studentNo)),
    );
    const known = new Map(schools.map((s) => [s.id, s] as const));
    for (const e of existing.values()) {
      const school = known.get(e.schoolId);
      if (!(school && canSeeSchool(staff, school))) conflicts.push(e.id);
    }
  }
  if (conflicts.length > 0) {
    await mapLimit(conflicts, 8, (studentId) =>
      alerts.record(staff.tenant, { kind: "import_conflict", studentId, by: staff.tokenId }),
    );
    throw AppError.validation(
      "needs_bureau",
      `${conflicts.length} 行需要县教育局核实后才能导入，已通知县教育局；本次没有保存任何数据。请联系县教育局。`,
    );
  }

  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { errors, inputs };
}

/** A row left out of a partial import: where the officer finds it and why. */
export interface SkippedRow {
  line?: number;
  seq?: string;
  index: number;
  problems: string[];
}

/** "第 3、4 行" (Excel row numbers), at most ten named, for messages and the audit trail. */
function linesText(skipped: SkippedRow[]): string {
  const named = skipped.slice(0, 10).map((r) => (r.line !== undefined ? String(r.line) : `#${r.index + 1}`));
  return `第 ${named.join("、")} 行${skipped.length > 10 ? ` 等 ${skipped.length} 行` : ""}`;
}

/**
 * Validate every row, then upsert them all; throws one AppError listing every bad row (nothing written). With
 * `skipInvalid` (the officer saw the preview and chose "跳过有错的 N 行，导入其余 M 行") the good rows are saved,
 * the bad ones are returned as `skipped`, and the choice is audited on each school concerned. Upserts are keyed by
 * 学籍号, so uploading the same file again reports the saved rows unchanged and skips the same rows.
 */
export async function importStudents(
  staff: Staff,
  rows: SourceRow[],
  opts: { skipInvalid?: boolean } = {},
): Promise<ImportResult & { skipped: SkippedRow[] }> {
  const { errors, inputs } = await validateStudents(staff, rows);
  const skipped: SkippedRow[] = [];
  if (errors.length && opts.skipInvalid) {
    const good = new Set(inputs.map(({ row }) => row.index));
    for (const row of rows) {
      if (good.has(row.index)) continue;
      const mine = errors.filter((e) =>
        row.line !== undefined ? e.line === row.line : e.field?.startsWith(`students.${row.index}`),
      );
      skipped.push({
        ...(row.line !== undefined ? { line: row.line } : {}),
        ...(row.seq ? { seq: row.seq } : {}),
        index: row.index,
        problems: mine.map((e) => e.message),
      });
    }
    if (inputs.length === 0)
      throw AppError.validation(
        "no_valid_rows",
        `文件的 ${rows.length} 行都有错误，没有可导入的学生：请按行号改正后重新上传`,
        capDetails(errors),
      );
  } else if (errors.length) {
    const first = errors[0]!;
    const at = first.line !== undefined ? `第 ${first.line} 行：` : first.field ? `${first.field}：` : "";
    throw AppError.validation(
      "invalid_rows",
      `文件有 ${errors.length} 处错误，未保存任何学生——${at}${first.message}。请按行号改正后重新上传`,
      capDetails(errors),
    );
  }

  const upserted = await students.upsertMany(
    staff.tenant,
    inputs.map(({ input }) => input),
  );
  const results = inputs.map(({ row }, i) => {
    const { student, outcome } = upserted[i]!;
    return { ...(row.line !== undefined ? { line: row.line } : {}), index: row.index, studentId: student.id, outcome };
  });
  const count = (o: students.UpsertOutcome) => results.filter((r) => r.outcome === o).length;
  const result = {
    total: results.length,
    created: count("created"),
    updated: count("updated"),
    unchanged: count("unchanged"),
    rows: results,
    skipped,
  };
  if (skipped.length > 0) {
    // The trail of each school concerned says who chose to leave rows out, how many and which (row numbers only).
    const reason = `导入学生名单时选择跳过有错的 ${skipped.length} 行（${linesText(skipped)}），导入其余 ${results.length} 行：新增 ${result.created}，更新 ${result.updated}，未变 ${result.unchanged}`;
    const schoolIds = [...new Set(inputs.map(({ input }) => input.schoolId))];
    for (const part of chunks(schoolIds, 100))
      await transact(
        part.map((schoolId) =>
          auditPut(tableName(), staff.tenant, {
            entityId: schoolId,
            actor: actorOf(staff),
            action: "students_imported_skipping_rows",
            reason: reason.slice(0, 500),
          }),
        ),
      );
  }
  return result;
}
