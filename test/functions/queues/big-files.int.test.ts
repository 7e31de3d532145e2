/**
 * Big files (issue 10): payment and student files of thousands of rows are read in batches and answered with a
 * capped error list. The 50,000-row timing is in `npm run bench -- bigfiles`; here 5,000 rows keep the suite fast.
 * Payment files of more than 1,000 rows are checked and applied by a job (payment-jobs.int.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import { mapLimit } from "../../../core/concurrency.js";
import * as students from "../../../core/students/index.js";
import { addKids, api, SCHOOL, setupWorld, type Kid, type World } from "./support.js";

let w: Omit<World, "kids">;
let kids: Kid[];

const term = "2025-autumn";
const HEADER = "batch_id,student_no,programme,term,amount,paid_date,account_last4";
const row = (batch: string, studentNo: string, amount = "625.00") =>
  [batch, studentNo, "compulsory_living", term, amount, "2025-11-18", "0042"].join(",");
const unknownNo = (i: number) => `G77${String(i).padStart(12, "0")}`;

beforeAll(async () => {
  w = await setupWorld();
  // Over 100 rows, so the file takes the long-file path (applications read by programme and term).
  kids = await addKids(w.tenant, 120, {
    guardians: () => 0,
    application: { programme: "compulsory_living", term, stage: "approved", amountFen: 62500 },
  });
}, 180_000);

afterAll(async () => {
  await w?.fake.stop();
});

type Detail = { line?: number; field?: string; message: string };

describe("big payment files", () => {
  // Longer files go to the imports job (test/functions/queues/payment-jobs.int.test.ts): 1,000 rows is the longest a
  // request checks itself.
  it("answers a 1,000-row file of unknown students with the first 200 lines and the count of the rest", async () => {
    const csv = [HEADER, ...Array.from({ length: 1000 }, (_, i) => row("BIG-1", unknownNo(i)))].join("\n");
    const res = await api(w.bureau, "POST", "/api/payments", csv);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("payment_file_invalid");
    expect(res.body.error.message).toContain("1000 行有错误");
    expect(res.body.error.message).toContain("前 200 处");
    const details = res.body.error.details as Detail[];
    expect(details).toHaveLength(201);
    expect(details.slice(0, 200).map((d) => d.line)).toEqual(Array.from({ length: 200 }, (_, i) => i + 2));
    expect(details[0]!.message).toMatch(/没有这个学生/);
    // The 学籍号 is masked in the message, never echoed whole.
    expect(details[0]!.message).not.toContain(unknownNo(0));
    expect(details[200]).toEqual({ message: expect.stringContaining("另有 800 处错误未列出（共 1000 处）") });
    expect(JSON.stringify(res.body).length).toBeLessThan(100_000);
  }, 120_000);

  it("refuses a long file's row already paid in another batch, on its line, and pays the rest once it is removed", async () => {
    const first = await api(w.bureau, "POST", "/api/payments", [HEADER, row("BIG-2", kids[0]!.studentNo)].join("\n"));
    expect(first.status).toBe(201);

    const lines = kids.map((k) => row("BIG-3", k.studentNo));
    const withPaid = await api(w.bureau, "POST", "/api/payments", [HEADER, ...lines].join("\n"));
    expect(withPaid.status).toBe(400);
    const details = withPaid.body.error.details as Detail[];
    expect(details.map((d) => d.line)).toEqual([2]);
    expect(details[0]!.message).toContain("已在批次 BIG-2 发放过");

    const rest = await api(w.bureau, "POST", "/api/payments", [HEADER, ...lines.slice(1)].join("\n"));
    expect(rest.status).toBe(201);
    expect(rest.body.rows).toBe(119);
    // Read back a few at a time (120 reads at once can miss the 1 s connection timeout on a loaded machine).
    const now = await mapLimit(kids, 8, (k) => applications.fromId(w.tenant, k.appId!));
    expect(new Set(now.map((a) => a?.stage))).toEqual(new Set(["paid"]));
    expect(now[0]?.payment?.batchId).toBe("BIG-2");
    expect(new Set(now.slice(1).map((a) => a?.payment?.batchId))).toEqual(new Set(["BIG-3"]));
  }, 120_000);

  it("names a long file's amount that disagrees with the application, and a student with no approved application", async () => {
    const others = await addKids(w.tenant, 2, {
      guardians: () => 0,
      application: { programme: "compulsory_living", term, stage: "county_approved", amountFen: 62500 },
    });
    const more = await addKids(w.tenant, 101, {
      guardians: () => 0,
      application: { programme: "compulsory_living", term, stage: "approved", amountFen: 62500 },
    });
    const lines = [
      row("BIG-4", more[0]!.studentNo, "600.00"), // line 2: amount
      row("BIG-4", others[0]!.studentNo), // line 3: not approved yet
      ...more.slice(1).map((k) => row("BIG-4", k.studentNo)),
    ];
    const res = await api(w.bureau, "POST", "/api/payments", [HEADER, ...lines].join("\n"));
    expect(res.status).toBe(400);
    const details = res.body.error.details as Detail[];
    expect(details.map((d) => d.line)).toEqual([2, 3]);
    expect(details[0]!.message).toContain("金额不一致：文件是 600 元，申请是 625 元");
    expect(details[1]!.message).toContain("县级审核通过");
  }, 120_000);
});

describe("big student files", () => {
  const STUDENT_HEADER = "姓名,学籍号,学校,年级,班级,监护人1姓名,监护人1关系,监护人1手机";
  const studentNo = (i: number) => `G66${String(i).padStart(12, "0")}`;
  const studentRow = (i: number, klass = "1") =>
    [
      `学生${String.fromCharCode(0x4e00 + (i % 2000))}`,
      studentNo(i),
      SCHOOL,
      "4",
      klass,
      "家长",
      "母亲",
      "13900001234",
    ].join(",");

  it("imports 5,000 students in one file, and the same file again changes nothing", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => studentRow(i));
    const created = await api(w.schoolToken, "POST", "/api/students", [STUDENT_HEADER, ...rows].join("\n"));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ total: 5000, created: 5000, updated: 0, unchanged: 0 });
    const last = await students.fromStudentNo(w.tenant, studentNo(4999));
    expect(last).toMatchObject({ schoolId: SCHOOL, grade: "四年级", class: "1班" });

    rows[10] = studentRow(10, "2");
    const again = await api(w.schoolToken, "POST", "/api/students", [STUDENT_HEADER, ...rows].join("\n"));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ total: 5000, created: 0, updated: 1, unchanged: 4999 });
    expect((await students.fromStudentNo(w.tenant, studentNo(10)))?.class).toBe("2班");
  }, 180_000);

  it("refuses a school's file holding a student of another school without saying which row", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => studentRow(20_000 + i));
    const kid = kids[5]!; // a student of the same tenant, imported at 向阳小学 — seen from the other school
    const otherRow = ["学生乙", kid.studentNo, "", "4", "1", "家长", "母亲", "13900001234"].join(",");
    const res = await api(
      w.otherSchoolToken,
      "POST",
      "/api/students",
      [
        "姓名,学籍号,学校,年级,班级,监护人1姓名,监护人1关系,监护人1手机",
        ...rows.map((r) => r.replace(SCHOOL, "")),
        otherRow,
      ].join("\n"),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("needs_bureau");
    expect(JSON.stringify(res.body)).not.toContain(kid.studentNo);
    expect(await students.fromStudentNo(w.tenant, studentNo(20_000))).toBeUndefined();
  }, 120_000);

  it("answers a 5,000-row student file of bad rows with the first 200 and the count of the rest", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => studentRow(30_000 + i).replace("13900001234", "12"));
    const res = await api(w.schoolToken, "POST", "/api/students", [STUDENT_HEADER, ...rows].join("\n"));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    const details = res.body.error.details as Detail[];
    expect(details).toHaveLength(201);
    expect(details[0]!.line).toBe(2);
    expect(details[200]!.message).toContain("共 5000 处");
    expect(await students.fromStudentNo(w.tenant, studentNo(30_000))).toBeUndefined();
  }, 120_000);
});
