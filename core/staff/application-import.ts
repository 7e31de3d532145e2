/**
 * Applications entered from a file by 学籍号 (a school's list of who applies): each line is matched to a student
 * in the caller's scope and checked against the school's kind and the student's grade. The preview lists every
 * problem on its line — a row repeating another row, or an application the student already has for that programme
 * and term, is flagged before anything is submitted; the console then creates the good ones through
 * POST /api/applications, one by one (the same verb as the API, idempotent per student, programme and term).
 */
import { z } from "zod";
import * as applications from "../applications/index.js";
import { parseTerm, programmeFromCell, Programmes, StageLabel, termLabel } from "../applications/index.js";
import { stableId } from "../ids.js";
import * as students from "../students/index.js";
import { AppError, type ErrorDetail } from "../errors.js";
import type { CsvRecord } from "../csv.js";
import { mapLimit } from "../concurrency.js";
import { maskStudentNo } from "../mask.js";
import { AmountYuan } from "./applications.js";
import { amountOutOfRange, ineligible } from "./eligibility.js";
import { visibleSchools, type Staff } from "./scope.js";

const HEADERS: Record<string, "studentNo" | "name" | "programme" | "term" | "amount"> = {
  学籍号: "studentNo",
  全国学籍号: "studentNo",
  student_no: "studentNo",
  studentno: "studentNo",
  姓名: "name",
  学生姓名: "name",
  name: "name",
  项目: "programme",
  资助项目: "programme",
  申请项目: "programme",
  programme: "programme",
  学期: "term",
  term: "term",
  金额: "amount",
  "金额（元）": "amount",
  "金额(元)": "amount",
  资助金额: "amount",
  "资助金额（元）": "amount",
  amount: "amount",
};

/** Read from the file's cells the same way as a payment file (core/applications/programmes.ts). */
export { parseTerm };

export const PreviewRow = z.object({
  line: z.number(),
  studentId: z.string().optional(),
  studentName: z.string().optional(),
  studentNo: z.string(),
  schoolName: z.string().optional(),
  grade: z.string().optional(),
  programme: z.string().optional(),
  programmeLabel: z.string().optional(),
  term: z.string().optional(),
  amount: z.string().optional(),
  problems: z.array(z.string()),
});
export type PreviewRow = z.infer<typeof PreviewRow>;

export async function previewApplications(
  staff: Staff,
  records: CsvRecord[],
): Promise<{ rows: PreviewRow[]; ignoredColumns: string[] }> {
  const [header, ...body] = records;
  if (!header) throw AppError.validation("csv_empty", "文件是空的：请放入表头和申请行后再上传");
  const cols = header.fields.map((h) => HEADERS[h.trim().replace(/\s+/g, "").toLowerCase()] ?? HEADERS[h.trim()]);
  const missing = (["studentNo", "programme", "term", "amount"] as const).filter((c) => !cols.includes(c));
  if (missing.length) {
    const label = { studentNo: "学籍号", programme: "项目", term: "学期", amount: "金额" };
    const details: ErrorDetail[] = missing.map((c) => ({
      line: header.line,
      field: c,
      message: `缺少“${label[c]}”列`,
    }));
    throw AppError.validation(
      "csv_header",
      `表头缺少 ${missing.map((c) => `“${label[c]}”`).join("、")} 列：表头应为 学籍号,姓名,项目,学期,金额`,
      details,
    );
  }
  const schools = new Map((await visibleSchools(staff)).map((s) => [s.id, s] as const));
  /** Each row's (student, programme, term), to find repeats in file order once every row is read. */
  const keyOf = new Map<number, string>();
  const rows = await mapLimit(body, 16, async (rec): Promise<PreviewRow> => {
    const cell = (c: string) => (rec.fields[cols.indexOf(c as never)] ?? "").trim();
    const problems: string[] = [];
    const no = students.StudentNo.safeParse(cell("studentNo"));
    const programme = programmeFromCell(cell("programme"));
    if (!programme)
      problems.push(`项目“${cell("programme")}”不认识：请用项目全称，如“义务教育家庭经济困难学生生活补助”`);
    const term = parseTerm(cell("term"));
    if (!term) problems.push(`学期“${cell("term")}”写法不对：请写成“2025年秋季学期”`);
    const amount = AmountYuan.safeParse(cell("amount"));
    if (!amount.success) problems.push(`金额“${cell("amount")}”写法不对：请写元，如 625 或 625.50`);
    if (!no.success) {
      problems.push(`学籍号“${cell("studentNo")}”写法不对：应为 8–24 位字母或数字`);
      // The name as the file has it, so the officer can tell which row this is (it is the officer's own file).
      return PreviewRow.parse({
        line: rec.line,
        studentName: cell("name") || undefined,
        studentNo: maskStudentNo(cell("studentNo")),
        problems,
      });
    }
    const student = await students.fromStudentNo(staff.tenant, no.data);
    const school = student ? schools.get(student.schoolId) : undefined;
    if (!student || !school) {
      problems.push("没有这个学籍号的学生（或不在您管辖的学校）：请先在“学生”页导入该生");
      return PreviewRow.parse({
        line: rec.line,
        studentName: cell("name") || undefined,
        studentNo: maskStudentNo(no.data),
        problems,
      });
    }
    const name = cell("name");
    if (name && name !== student.name) problems.push(`姓名“${name}”与学籍号登记的“${student.name}”不一致：请核对`);
    if (programme) {
      const why = ineligible(programme, school, student.grade);
      if (why) problems.push(why);
      const range = amount.success ? amountOutOfRange(programme, amount.data) : undefined;
      if (range) problems.push(range);
    }
    if (programme && term) {
      keyOf.set(rec.line, `${student.id}|${programme}|${term}`);
      // The id is derived from student, programme and term (createApplication): one read finds an existing one.
      const existing = await applications.fromId(
        staff.tenant,
        stableId("app", staff.tenant, student.id, programme, term),
      );
      if (existing)
        problems.push(
          `重复申请：该生${termLabel(term)}已有${Programmes[programme]}的申请（${StageLabel[existing.stage]}，${applications.yuan(existing.amountFen)} 元），不会重复录入：请删去这一行`,
        );
    }
    return PreviewRow.parse({
      line: rec.line,
      studentId: student.id,
      studentName: student.name,
      studentNo: maskStudentNo(student.studentNo),
      schoolName: school.name,
      grade: student.grade,
      programme,
      programmeLabel: programme ? Programmes[programme] : undefined,
      term,
      amount: amount.success ? applications.yuan(amount.data) : undefined,
      problems,
    });
  });
  // A repeat within the file names the first row with the same student, programme and term (file order).
  const first = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf.get(row.line);
    if (key === undefined) continue;
    const at = first.get(key);
    if (at !== undefined) row.problems.push(`重复申请：与第 ${at} 行是同一学生、同一项目、同一学期：请删去其中一行`);
    else first.set(key, row.line);
  }
  return { rows, ignoredColumns: header.fields.filter((h, i) => cols[i] === undefined && h.trim() !== "") };
}
