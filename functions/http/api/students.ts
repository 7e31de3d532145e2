/** Students: bulk upsert by 学籍号 (JSON or CSV), listing by school/grade/class, one student, binding codes. */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import * as applications from "../../../core/applications/index.js";
import * as students from "../../../core/students/index.js";
import * as bindings from "../../../core/families/bindings.js";
import * as codes from "../../../core/families/codes.js";
import { requireSchool, requireStudent } from "../../../core/staff/index.js";
import { importStudents, rowsFromJson, rowsFromRecords, StudentRow } from "../../../core/staff/student-import.js";
import { readTable } from "../../../core/staff/spreadsheet.js";
import { StudentEdit, editStudent } from "../../../core/staff/student-edit.js";
import { fileBytes } from "./console.js";
import { applicationView, studentView } from "../../../core/staff/views.js";
import { ROLES, parseJsonText, staffRoute } from "./contract.js";
import { ApplicationView, BindingCode, Page, StudentImport, StudentView } from "./views.js";

export const studentRoutes = new Hono();

staffRoute(
  studentRoutes,
  {
    method: "post",
    path: "/api/students",
    summary: "Bulk upsert students by 学籍号 (idempotent: a re-upload reports every row unchanged)",
    roles: ROLES,
    scope: "tenant",
    description:
      "JSON { students: [...] } or text/csv. CSV columns: 姓名, 学籍号, 学校 (school id or exact name; a school token may leave it out), 年级, 班级, optional 村, and for up to two guardians 监护人1姓名, 监护人1关系, 监护人1手机, 监护人2姓名 … (English headers name, studentNo, school, grade, class, village, guardian1_name, guardian1_relation, guardian1_phone also work). The whole file is validated first; any bad row → 400 listing every error with its line, nothing saved — unless skipInvalid=true (the console's “跳过有错的 N 行，导入其余 M 行” after the preview): then the good rows are saved, the bad ones come back in `skipped` with their row numbers and problems, and the choice is audited on each school concerned. Re-uploading the same file reports the saved rows unchanged and skips the same rows.",
    request: {
      query: z.object({
        skipInvalid: z
          .enum(["true", "false"])
          .optional()
          .describe("true：跳过有错的行，只导入其余各行（先看过预览再用）"),
      }),
      body: z.object({ students: z.array(StudentRow).max(5000) }),
      checkedBy: "core",
      files: {
        "text/csv": "CSV with a header line (UTF-8, UTF-8 with BOM or GB18030)",
        "application/octet-stream":
          "the file itself: .xlsx or CSV; extra columns are ignored and listed in ignoredColumns",
      },
    },
    responses: { 200: { description: "one outcome per row", schema: StudentImport } },
  },
  async (c) => {
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    const opts = { skipInvalid: c.req.query("skipInvalid") === "true" };
    if (type.includes("json"))
      return c.json(await importStudents(c.var.staff, rowsFromJson(parseJsonText(await c.req.text())), opts));
    // A file: CSV in UTF-8 / BOM / GB18030, or .xlsx; extra columns are ignored and reported.
    const { rows, ignoredColumns } = rowsFromRecords(await readTable(await fileBytes(c)));
    return c.json({ ...(await importStudents(c.var.staff, rows, opts)), ignoredColumns });
  },
);

const ListQuery = z.object({
  schoolId: z.string().optional().describe("学校编号；学校账号可省略（默认本校）"),
  grade: z.string().optional(),
  class: z.string().optional(),
  cursor: z.string().optional(),
});

staffRoute(
  studentRoutes,
  {
    method: "get",
    path: "/api/students",
    summary: "Students of a school (school tokens: their own), by grade and class",
    roles: ROLES,
    scope: "tenant",
    request: { query: ListQuery },
    responses: { 200: { description: "a page of students (masked)", schema: Page(StudentView) } },
  },
  async (c) => {
    const q = c.req.valid("query");
    const schoolId = q.schoolId ?? c.var.staff.schoolId;
    if (!schoolId)
      throw AppError.validation("school_required", "请先选择学校（schoolId）：县和乡镇的账号要指明看哪所学校的学生");
    await requireSchool(c.var.staff, schoolId);
    const page = await students.bySchool(c.var.staff.tenant, schoolId, { grade: q.grade, class: q.class }, q.cursor);
    return c.json({ items: page.items.map((s) => studentView(s)), cursor: page.cursor });
  },
);

staffRoute(
  studentRoutes,
  {
    method: "get",
    path: "/api/students/{id}",
    summary: "One student (masked 学籍号 and phones) with its applications",
    roles: ROLES,
    scope: "tenant",
    request: { params: { id: "学生编号 stu_…" } },
    responses: {
      200: {
        description: "the student",
        schema: z.object({ student: StudentView, applications: z.array(ApplicationView) }),
      },
    },
  },
  async (c) => {
    const { student } = await requireStudent(c.var.staff, c.req.param("id")!);
    const [bound, apps] = await Promise.all([
      bindings.usersOf(student.tenant, student.id),
      applications.ofStudent(student.tenant, student.id),
    ]);
    return c.json({
      student: studentView(student, { boundGuardians: bound.length }),
      applications: apps.map(applicationView),
    });
  },
);

staffRoute(
  studentRoutes,
  {
    method: "put",
    path: "/api/students/{id}",
    summary:
      "Correct a student: name, grade, class, village, guardians and their phones (the 学籍号 and school stay); audited with the person's name, the fields changed and the reason",
    roles: ROLES,
    scope: "tenant",
    description:
      "Only the fields sent change. A guardian's empty phone keeps the number that guardian already had (staff outside the school only see it masked). Send updatedAt (the version you saw): a change made meanwhile answers 409 student_changed.",
    request: { params: { id: "学生编号 stu_…" }, body: StudentEdit },
    responses: {
      200: {
        description: "the student after the change (masked) and what changed",
        schema: z.object({ student: StudentView, changed: z.array(z.string()) }),
      },
    },
    errors: { 409: "别人在此期间改过这名学生（student_changed）：刷新后再改" },
  },
  async (c) => c.json(await editStudent(c.var.staff, c.req.param("id")!, c.req.valid("json"))),
);

staffRoute(
  studentRoutes,
  {
    method: "post",
    path: "/api/students/{id}/binding-codes",
    summary:
      "Issue a one-time 12-digit binding code for the student's family (14 days, single use; `display` groups it 1234 5678 9012)",
    roles: ROLES,
    scope: "tenant",
    request: { params: { id: "学生编号 stu_…" } },
    responses: { 201: { description: "the code", schema: BindingCode } },
  },
  async (c) => {
    const { student } = await requireStudent(c.var.staff, c.req.param("id")!);
    return c.json(await codes.issue(student.tenant, student.id, c.var.staff.tokenId), 201);
  },
);
