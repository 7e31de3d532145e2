/**
 * Routes the console needs besides the long-standing ones: file previews (students, applications, payments —
 * nothing written), templates, search, the owning school's unmasked view, the review queue with names, withdraw,
 * and 公示 lists read back. Each validates, calls one core verb, maps the result.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import { previewPayments } from "../../../core/actions/index.js";
import { ListSummary, Roster, lists, roster } from "../../../core/actions/roster.js";
import { previewApplications, PreviewRow } from "../../../core/staff/application-import.js";
import { QueueItem, QueueQuery, reviewQueue } from "../../../core/staff/review-queue.js";
import { readTable, workbook } from "../../../core/staff/spreadsheet.js";
import { rowsFromRecords, validateStudents } from "../../../core/staff/student-import.js";
import { search, unmasked } from "../../../core/staff/student-search.js";
import { WithdrawBody, withdraw } from "../../../core/staff/withdraw.js";
import { maskStudentNo, maskTail } from "../../../core/mask.js";
import { ROLES, staffRoute } from "./contract.js";
import { Items, PaymentPreview, SearchHit, UnmaskedStudent } from "./views.js";

const fileNote = { "application/octet-stream": "the file itself: .xlsx, or CSV in UTF-8 / UTF-8 with BOM / GB18030" };

/** An uploaded file's bytes (its size was already checked by the route's body limit). */
export async function fileBytes(c: Context): Promise<Uint8Array> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength === 0) throw AppError.validation("csv_empty", "没有收到文件内容：请重新选择文件");
  return bytes;
}

const StudentPreview = z.object({
  ignoredColumns: z.array(z.string()),
  total: z.number(),
  good: z.number(),
  rows: z.array(
    z.object({
      line: z.number().describe("Excel 行号（文本文件为行号）：表头是第 1 行时，第一个学生是第 2 行"),
      seq: z.string().optional().describe("文件自己的“序号”列的值（有这一列时）"),
      name: z.string(),
      studentNo: z.string(),
      grade: z.string(),
      class: z.string(),
      guardian: z.string(),
      problems: z.array(z.string()),
    }),
  ),
});
const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const consoleApiRoutes = new Hono();

staffRoute(
  consoleApiRoutes,
  {
    method: "post",
    path: "/api/students/preview",
    summary:
      "Preview a student file (.xlsx or CSV in any encoding Excel writes): every problem on its line, extra columns reported; nothing saved",
    roles: ROLES,
    scope: "tenant",
    request: { files: fileNote },
    responses: { 200: { description: "the preview (学籍号 and phones masked)", schema: StudentPreview } },
  },
  async (c) => {
    const { rows, ignoredColumns } = rowsFromRecords(await readTable(await fileBytes(c)));
    const { errors } = await validateStudents(c.var.staff, rows);
    const byLine = new Map<number, string[]>();
    for (const e of errors) if (e.line !== undefined) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e.message]);
    const out = rows.map((r) => {
      const v = r.value as {
        name: string;
        studentNo: string;
        grade: string;
        class: string;
        guardians: { name: string; relation: string; phone: string }[];
      };
      const g = v.guardians[0];
      return {
        line: r.line!,
        ...(r.seq ? { seq: r.seq } : {}),
        name: v.name,
        studentNo: maskStudentNo(v.studentNo),
        grade: v.grade,
        class: v.class,
        guardian: g ? `${g.name}（${g.relation}）${maskTail(g.phone)}` : "",
        problems: byLine.get(r.line!) ?? [],
      };
    });
    return c.json(
      StudentPreview.parse({
        ignoredColumns,
        total: out.length,
        good: out.filter((r) => r.problems.length === 0).length,
        rows: out,
      }),
    );
  },
);

staffRoute(
  consoleApiRoutes,
  {
    method: "get",
    path: "/api/students/template",
    summary: "The student file template (.xlsx)",
    roles: ROLES,
    scope: "tenant",
    responses: { 200: { description: "学生名单模板.xlsx", file: xlsx } },
  },
  async (c) => {
    const bytes = await workbook(
      "学生名单",
      ["姓名", "学籍号", "年级", "班级", "村（社区）", "监护人姓名", "与学生关系", "监护人电话"],
      [["张小明", "G510000201601010011", "3", "2", "青松村", "张大山", "父亲", "13800000000"]],
    );
    return c.body(bytes as unknown as ArrayBuffer, 200, {
      "content-type": xlsx,
      "content-disposition": `attachment; filename="students.xlsx"; filename*=UTF-8''${encodeURIComponent("学生名单模板.xlsx")}`,
    });
  },
);

staffRoute(
  consoleApiRoutes,
  {
    method: "get",
    path: "/api/students/search",
    summary: "Find students in scope by name (part of it) or 学籍号",
    roles: ROLES,
    scope: "tenant",
    request: {
      query: z.object({
        q: z.string().max(40).default("").describe("姓名（的一部分）或完整学籍号"),
        schoolId: z.string().optional(),
      }),
    },
    responses: { 200: { description: "the students found (masked)", schema: Items(SearchHit) } },
  },
  async (c) => {
    const q = c.req.valid("query");
    return c.json({ items: await search(c.var.staff, q.q, q.schoolId) });
  },
);

staffRoute(
  consoleApiRoutes,
  {
    method: "get",
    path: "/api/students/{id}/unmasked",
    summary: "The owning school's full view (学籍号, guardian phones); each view audited",
    roles: ["school"],
    refusal: { code: "own_school_only", message: "完整学籍号和电话只对学生所在学校显示：请联系该校资助专干" },
    scope: "ownSchool",
    request: { params: { id: "学生编号 stu_…" } },
    responses: { 200: { description: "the student unmasked", schema: z.object({ student: UnmaskedStudent }) } },
  },
  async (c) => c.json({ student: await unmasked(c.var.staff, c.req.param("id")!) }),
);

staffRoute(
  consoleApiRoutes,
  {
    method: "post",
    path: "/api/applications/preview",
    summary:
      "Preview an application file by 学籍号 (学籍号, 姓名, 项目, 学期, 金额): student found in scope, programme fits school and grade; nothing saved",
    roles: ROLES,
    scope: "tenant",
    request: { files: fileNote },
    responses: {
      200: {
        description: "the preview",
        schema: z.object({ rows: z.array(PreviewRow), ignoredColumns: z.array(z.string()) }),
      },
    },
  },
  async (c) => c.json(await previewApplications(c.var.staff, await readTable(await fileBytes(c)))),
);

staffRoute(
  consoleApiRoutes,
  {
    method: "get",
    path: "/api/review-queue",
    summary: "Applications with student name, school and grade; by default those waiting for the caller's level",
    roles: ROLES,
    scope: "tenant",
    request: { query: QueueQuery },
    responses: { 200: { description: "the queue", schema: Items(QueueItem) } },
  },
  async (c) => c.json({ items: await reviewQueue(c.var.staff, c.req.valid("query")) }),
);

staffRoute(
  consoleApiRoutes,
  {
    method: "post",
    path: "/api/applications/{id}/withdraw",
    summary:
      "Withdraw an application entered by mistake, before review (the family never sees 未通过 for it; the trail keeps it)",
    roles: ROLES,
    scope: "tenant",
    request: { params: { id: "申请编号 app_…" }, body: WithdrawBody },
    responses: { 200: { description: "withdrawn", schema: z.object({ withdrawn: z.string() }) } },
    errors: { 409: "已经审核过，不能撤回" },
  },
  async (c) => c.json(await withdraw(c.var.staff, c.req.param("id")!, c.req.valid("json").reason)),
);

staffRoute(
  consoleApiRoutes,
  {
    method: "get",
    path: "/api/lists",
    summary: "The 公示 lists in scope, newest first",
    roles: ROLES,
    scope: "tenant",
    responses: { 200: { description: "the lists", schema: Items(ListSummary) } },
  },
  async (c) => c.json({ items: await lists(c.var.staff) }),
);

staffRoute(
  consoleApiRoutes,
  {
    method: "get",
    path: "/api/lists/{id}",
    summary:
      "A published 公示 list read back: the roster with only the fields the 公示 rules allow (name, school, grade, class, programme, amount)",
    roles: ROLES,
    scope: "tenant",
    request: { params: { id: "公示名单编号 evt_…" } },
    responses: { 200: { description: "the roster", schema: Roster } },
  },
  async (c) => c.json(await roster(c.var.staff, c.req.param("id")!)),
);

staffRoute(
  consoleApiRoutes,
  {
    method: "post",
    path: "/api/payments/preview",
    summary:
      "Preview a payment file: every error of the file and the database checks, with line numbers, in one pass; nothing applied",
    roles: ["bureau"],
    scope: "tenant",
    request: { files: fileNote },
    responses: { 200: { description: "the preview", schema: PaymentPreview } },
  },
  async (c) => c.json(await previewPayments(c.var.staff, await fileBytes(c))),
);
