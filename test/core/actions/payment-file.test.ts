/**
 * A payment file checked: the rows read (headers, every cell's problem in Chinese, one batch per file, no duplicate
 * rows) and the database half — the student exists, an approved application matches, the amount agrees, a row already
 * paid in another batch is refused — for a short file (each student's applications) and a long one (over 100 rows:
 * the applications of each programme and term), against the in-memory table (test/support/fake-table.ts). Expected
 * texts are written out here, not read from the code's tables. The HTTP and queue paths run against DynamoDB Local in
 * test/functions/queues/payments.int.test.ts and big-files.int.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  check,
  conflict,
  contentHash,
  getBatch,
  MAX_ROWS,
  parseDate,
  parseRows,
  parseTerm,
  type Row,
} from "../../../core/actions/payment-file.js";
import type { ApplicationInfo } from "../../../core/applications/index.js";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, tableName } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import { AppError, type ErrorDetail } from "../../../core/errors.js";
import { importItems } from "../../../core/students/index.js";
import type { CsvRecord } from "../../../core/csv.js";
import { fakeTable, type FakeTable } from "../../support/fake-table.js";

const HEADER = "批次号,学籍号,项目,学期,金额,发放日期,卡号后四位";
const TODAY = "2025-12-01";

/** CSV text → records as core/csv.ts gives them (line numbers from 1; no quoting needed here). */
const records = (text: string): CsvRecord[] =>
  text
    .trim()
    .split("\n")
    .map((line, i) => ({ line: i + 1, fields: line.split(",") }));
const file = (...lines: string[]) => records([HEADER, ...lines].join("\n"));
const GOOD = "PAY-2025-11,G510101201201011234,义务教育家庭经济困难学生生活补助,2025年秋季学期,625,2025-11-20,0123";

function refusal(f: () => unknown): { code: string; message: string; details?: ErrorDetail[] } {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, details: e.details };
    throw e;
  }
  throw new Error("not refused");
}

describe("parseTerm", () => {
  it.each([
    ["2025-autumn", "2025-autumn"],
    ["2026-spring", "2026-spring"],
    ["2025年秋季学期", "2025-autumn"],
    ["2025年秋季", "2025-autumn"],
    ["2025年秋", "2025-autumn"],
    ["2025秋季", "2025-autumn"],
    ["2025 年秋季学期", "2025-autumn"],
    ["2025年 春季学期", "2025-spring"],
    ["2026年春学期", "2026-spring"],
  ])("reads %j as %s", (text, term) => {
    expect(parseTerm(text)).toBe(term);
  });

  it.each(["x2025-autumn", "2025-autumnx", "第2025年秋季学期", "2025年秋季学期末", "2025年冬季学期", "25年秋季", ""])(
    "refuses %j",
    (text) => {
      expect(parseTerm(text)).toBeUndefined();
    },
  );
});

describe("parseDate", () => {
  it.each([
    ["2025-11-20", "2025-11-20"],
    ["2025/11/20", "2025-11-20"],
    ["2025.1.5", "2025-01-05"],
    ["2025年11月20日", "2025-11-20"],
    ["2025年11月20", "2025-11-20"],
    ["20251120", "2025-11-20"],
    ["2024-02-29", "2024-02-29"],
  ])("reads %j as %s", (text, date) => {
    expect(parseDate(text)).toBe(date);
  });

  it.each([
    "x2025-11-20",
    "2025-11-20x",
    "x20251120",
    "202511201",
    "2025-02-29",
    "2025-13-01",
    "2025-11-31",
    "11/20/2025",
  ])("refuses %j", (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});

describe("parseRows", () => {
  it("reads a good row with Chinese headers and cells", () => {
    expect(parseRows(file(GOOD), TODAY)).toEqual({
      rows: [
        {
          line: 2,
          batchId: "PAY-2025-11",
          studentNo: "G510101201201011234",
          programme: "compulsory_living",
          term: "2025-autumn",
          amountFen: 62500,
          paidDate: "2025-11-20",
          accountLast4: "0123",
        },
      ],
      errors: [],
    });
  });

  it("reads English headers in any case and spacing, in any column order, and programme keys", () => {
    const out = parseRows(
      records(
        "Account_Last4, Batch_ID ,Student_No,PROGRAMME,Term,Amount,Paid_Date\n0456,b1,g510101201201011234,senior_grant,2025-autumn,1250.5,2025/11/20",
      ),
      TODAY,
    );
    expect(out.errors).toEqual([]);
    expect(out.rows).toMatchObject([
      {
        batchId: "b1",
        studentNo: "G510101201201011234",
        programme: "senior_grant",
        amountFen: 125050,
        accountLast4: "0456",
      },
    ]);
  });

  it("reads headers with spaces inside and cells with spaces around them", () => {
    const out = parseRows(
      records(
        "Batch ID,Student No,项目,学期,发放 金额,发放日期,账号后 四位\n PAY-1 , G510101201201011234 , 中职国家助学金 , 2025-autumn , 1000 , 2025-11-20 , 0001 ",
      ),
      TODAY,
    );
    expect(out.errors).toEqual([]);
    expect(out.rows).toMatchObject([
      { batchId: "PAY-1", studentNo: "G510101201201011234", programme: "vocational_grant", accountLast4: "0001" },
    ]);
  });

  it("reads the column names a bureau's export uses", () => {
    const out = parseRows(
      records(
        "发放批次,全国学籍号,资助项目,学期,实发金额（元）,日期,银行卡号后四位\nb2,G510101201201011234,中职免学费,2025-autumn,1000,2025-11-20,9999",
      ),
      TODAY,
    );
    expect(out.errors).toEqual([]);
    expect(out.rows[0]).toMatchObject({ batchId: "b2", programme: "vocational_fee_waiver", amountFen: 100000 });
  });

  it("refuses an empty file, a file with only a header, and names the missing columns in Chinese", () => {
    expect(refusal(() => parseRows([], TODAY))).toEqual({
      code: "payment_file_empty",
      message: "发放文件是空的，未做任何发放：请放入表头和发放明细后再上传",
      details: undefined,
    });
    expect(refusal(() => parseRows(records(HEADER), TODAY))).toMatchObject({
      code: "payment_file_empty",
      message: "发放文件只有表头没有明细，未做任何发放：请放入发放明细后再上传",
    });
    expect(refusal(() => parseRows(records("学籍号,金额,批次号\nG510101201201011234,625,b1"), TODAY))).toEqual({
      code: "payment_file_invalid",
      message: "发放文件的表头缺少列，未做任何发放：请对照下面的表头改正",
      details: [
        {
          line: 1,
          message:
            "缺少列：项目、学期、发放日期、卡号后四位（表头应为 批次号,学籍号,项目,学期,金额,发放日期,卡号后四位；英文 batch_id,student_no,programme,term,amount,paid_date,account_last4 也可）",
        },
      ],
    });
  });

  it("refuses a file of more than 50,000 rows, and reads one of exactly 50,000", () => {
    expect(MAX_ROWS).toBe(50_000);
    // Rows of one cell: read (each a "malformed" error) without the cost of checking 50,000 good rows.
    const lines = Array.from({ length: 50_000 }, () => "x");
    expect(parseRows(file(...lines), TODAY).errors).toHaveLength(50_000);
    expect(refusal(() => parseRows(file(...lines, "x"), TODAY))).toMatchObject({
      code: "payment_file_too_large",
      message: "一个批次文件最多 50000 行：请分成几个批次",
    });
  });

  it("names every problem of a row in Chinese, by line and field, and keeps the row out", () => {
    const out = parseRows(
      file("批次 1,123,不知道的项目,2025冬,0,2025-13-01,123", "b1,G510101201201011234,,,abc,,"),
      TODAY,
    );
    expect(out.rows).toEqual([]);
    expect(out.errors).toEqual([
      { line: 2, field: "batch_id", message: "批次号格式不对：只能用字母、数字和 _ . -，最多 64 位" },
      { line: 2, field: "student_no", message: "学籍号格式不对：应为 8–24 位字母或数字" },
      {
        line: 2,
        field: "programme",
        message: "项目“不知道的项目”不认识：请用项目全称，如“义务教育家庭经济困难学生生活补助”",
      },
      { line: 2, field: "term", message: "学期格式不对：请写成 2025年秋季学期 或 2025-autumn" },
      { line: 2, field: "amount", message: "金额格式不对：写元，如 625 或 625.50" },
      { line: 2, field: "paid_date", message: "发放日期格式不对：请写成 2025-11-20" },
      {
        line: 2,
        field: "account_last4",
        message: "卡号后四位须为 4 位数字：请在 Excel 中把这一列设为文本，保留开头的 0",
      },
      { line: 3, field: "programme", message: "项目“”不认识：请用项目全称，如“义务教育家庭经济困难学生生活补助”" },
      { line: 3, field: "term", message: "学期格式不对：请写成 2025年秋季学期 或 2025-autumn" },
      { line: 3, field: "amount", message: "金额格式不对：写元，如 625 或 625.50" },
      { line: 3, field: "paid_date", message: "发放日期格式不对：请写成 2025-11-20" },
      {
        line: 3,
        field: "account_last4",
        message: "卡号后四位须为 4 位数字：请在 Excel 中把这一列设为文本，保留开头的 0",
      },
    ]);
  });

  it("cuts a long unknown programme name to 40 characters in the message", () => {
    const long = "项".repeat(60);
    const out = parseRows(file(GOOD.replace("义务教育家庭经济困难学生生活补助", long)), TODAY);
    expect(out.errors[0]?.message).toBe(
      `项目“${"项".repeat(40)}”不认识：请用项目全称，如“义务教育家庭经济困难学生生活补助”`,
    );
  });

  it("keeps out a row with one bad cell, and takes a batch id of 64 characters but not 65", () => {
    const id64 = `A${"b".repeat(63)}`;
    const out = parseRows(file(GOOD.replace("0123", "12345"), GOOD.replace("PAY-2025-11", id64)), TODAY);
    expect(out.rows.map((r) => r.line)).toEqual([3]);
    expect(out.errors.map((e) => [e.line, e.field])).toEqual([[2, "account_last4"]]);
    expect(parseRows(file(GOOD.replace("PAY-2025-11", `${id64}c`)), TODAY).errors[0]?.field).toBe("batch_id");
    expect(parseRows(file(GOOD.replace("PAY-2025-11", "_b1")), TODAY).errors[0]?.field).toBe("batch_id");
  });

  it("refuses a paid date after today, and takes today", () => {
    expect(parseRows(file(GOOD.replace("2025-11-20", "2025-12-02")), TODAY).errors).toEqual([
      { line: 2, field: "paid_date", message: "发放日期 2025-12-02 在今天之后：请核对发放日期" },
    ]);
    expect(parseRows(file(GOOD.replace("2025-11-20", TODAY)), TODAY).errors).toEqual([]);
  });

  it("refuses a zero amount and takes one fen", () => {
    expect(parseRows(file(GOOD.replace(",625,", ",0,")), TODAY).errors.map((e) => e.field)).toEqual(["amount"]);
    expect(parseRows(file(GOOD.replace(",625,", ",0.01,")), TODAY).rows[0]?.amountFen).toBe(1);
  });

  it("names a row with more or fewer cells than the header", () => {
    const out = parseRows(file(`${GOOD},多的一格`, "b1,G510101201201011234"), TODAY);
    expect(out.errors).toEqual([
      { line: 2, field: "", message: "这一行有 8 格，表头有 7 格（malformed）：请检查是否多了或少了逗号" },
      { line: 3, field: "", message: "这一行有 2 格，表头有 7 格（malformed）：请检查是否多了或少了逗号" },
    ]);
  });

  it("allows one batch per file and no row twice for the same student, programme and term", () => {
    const other = GOOD.replace("G510101201201011234", "G510101201201015555");
    const out = parseRows(
      file(
        GOOD,
        other.replace("PAY-2025-11", "PAY-2025-12"),
        GOOD.replace(",625,", ",600,"),
        GOOD.replace("2025年秋季学期", "2026年春季学期"),
      ),
      TODAY,
    );
    expect(out.errors).toEqual([
      {
        line: 3,
        field: "batch_id",
        message: "批次号 PAY-2025-12 与第 2 行的 PAY-2025-11 不同：一个文件只能是一个批次",
      },
      { line: 4, message: "与第 2 行重复（同一学生、项目和学期）：请删去重复的一行" },
    ]);
    expect(out.rows).toHaveLength(4);
  });
});

describe("contentHash, getBatch and conflict", () => {
  // Read inside each test, not while the suite is collected (a throw there would hide which test noticed).
  const twoRows = () =>
    parseRows(file(GOOD, GOOD.replace("G510101201201011234", "G510101201201015555").replace("0123", "0456")), TODAY)
      .rows;

  it("hashes the rows' cells joined by | and the rows sorted and joined by line breaks (stored in batch records)", () => {
    // sha256 of "PAY-2025-11|G510101201201011234|compulsory_living|2025-autumn|62500|2025-11-20|0123\n
    // PAY-2025-11|G510101201201015555|compulsory_living|2025-autumn|62500|2025-11-20|0456", computed with sha256sum.
    expect(contentHash(twoRows())).toBe("c84f81de960d9e4ea620b2c2d4d0b778dc6ffcf36c8c91d659479dd19e200209");
  });

  it("gives the same hash whatever the order of the rows, and another for any changed cell", () => {
    const [a, b] = twoRows() as [Row, Row];
    expect(contentHash([b, a])).toBe(contentHash([a, b]));
    expect(contentHash([a, b])).toMatch(/^[0-9a-f]{64}$/);
    for (const change of [
      { batchId: "X" },
      { studentNo: "G510101201201019999" },
      { programme: "senior_grant" as const },
      { term: "2026-spring" },
      { amountFen: 62501 },
      { paidDate: "2025-11-21" },
      { accountLast4: "0124" },
    ])
      expect(contentHash([{ ...a, ...change }, b])).not.toBe(contentHash([a, b]));
    expect(contentHash([a])).not.toBe(contentHash([a, b]));
  });

  it("reads a batch record back, and nothing for a batch never opened", async () => {
    const table = fakeTable();
    try {
      const record = {
        batchId: "PAY-1",
        tenant: "demo",
        hash: "h",
        status: "applied",
        eventId: "evt_1",
        rows: 2,
        totalFen: 125000,
        createdAt: "2025-11-20T00:00:00.000Z",
        createdBy: { id: "tok_b", role: "bureau" },
      };
      // Written twice (applying, then applied): the read must see the last write, not a stale copy.
      for (const status of ["applying", "applied"])
        await ddb().send(
          new PutCommand({
            TableName: tableName(),
            Item: { ...keys.paymentBatch("demo", "PAY-1"), type: "paymentBatch", ...record, status },
          }),
        );
      expect(await getBatch("demo", "PAY-1")).toEqual(record);
      expect(await getBatch("demo", "PAY-2")).toBeUndefined();
    } finally {
      table.restore();
    }
  });

  it("tells staff to use a new batch id for corrected content", () => {
    expect(conflict("PAY-1")).toMatchObject({
      kind: "conflict",
      code: "batch_conflict",
      message: "批次 PAY-1 之前导入过不同的内容：改正后的文件请换一个新的批次号",
    });
  });
});

describe("check (the database half)", () => {
  let table: FakeTable;
  afterEach(() => table.restore());

  /** 150 students S0000… (a file over 100 rows reads applications by programme and term). */
  const NOS = Array.from({ length: 150 }, (_, i) => `G5101012012010${String(10000 + i)}`);
  beforeEach(() => {
    table = fakeTable();
    const { items } = importItems(
      "demo",
      NOS.map((studentNo) => ({ studentNo, name: "李四", schoolId: "s01", grade: "五年级", class: "2班" })),
    );
    for (const item of items) table.put(item);
  });

  const idOf = (no: string) =>
    String([...table.items.values()].find((i) => i.type === "student" && i.studentNo === no)?.id);

  function application(no: string, stage: ApplicationInfo["stage"], extra: Partial<ApplicationInfo> = {}) {
    const a: ApplicationInfo = {
      id: `app_${no.slice(-6)}_${stage}`,
      tenant: "demo",
      studentId: idOf(no),
      schoolId: "s01",
      programme: "compulsory_living",
      term: "2025-autumn",
      amountFen: 62500,
      stage,
      stageChangedAt: "2025-11-01T00:00:00.000Z",
      createdAt: "2025-09-01T00:00:00.000Z",
      ...extra,
    };
    table.put({
      ...keys.application("demo", a.id),
      ...keys.applicationOfStudent("demo", a.studentId, a.term, a.programme, a.id),
      ...keys.applicationByStage("demo", a.programme, a.term, a.stage, a.id),
      type: "application",
      ...a,
    });
  }
  const paidIn = (batchId: string) => ({
    payment: { batchId, paidDate: "2025-10-20", amountFen: 62500, accountLast4: "0123" },
  });
  const rowsFor = (nos: string[]) =>
    parseRows(file(...nos.map((no) => GOOD.replace("G510101201201011234", no))), TODAY).rows;

  for (const [size, count] of [
    ["a short file", 3],
    ["a file over 100 rows", 150],
  ] as const) {
    it(`in ${size}, refuses a row already paid in another batch, and names the batch`, async () => {
      const nos = NOS.slice(0, count);
      for (const no of nos) application(no, "approved");
      const paid = nos[1]!;
      const none = nos[2]!;
      table.items.delete(`T#demo#APP#app_${none.slice(-6)}_approved|APP`);
      table.items.delete(`T#demo#APP#app_${paid.slice(-6)}_approved|APP`);
      application(paid, "paid", paidIn("PAY-2025-10"));
      const errors: ErrorDetail[] = [];
      const checked = await check("demo", rowsFor(nos), errors);
      expect(errors).toEqual([
        {
          line: 3,
          field: "",
          message: "义务教育家庭经济困难学生生活补助 2025年秋季学期 已在批次 PAY-2025-10 发放过：无需重复发放",
        },
        {
          line: 4,
          field: "",
          message:
            "没有“公示无异议”的义务教育家庭经济困难学生生活补助（2025年秋季学期）申请：须公示结束且无异议后才能发放",
        },
      ]);
      expect(checked).toHaveLength(count - 2);
      expect(checked.every((c) => !c.done && c.app.stage === "approved")).toBe(true);
      expect(table.sent.includes("QueryCommand")).toBe(true);
    });

    it(`in ${size}, finishes the rows this very batch already paid (an interrupted upload)`, async () => {
      const nos = NOS.slice(0, count);
      for (const no of nos) application(no, "approved");
      const done = nos[0]!;
      table.items.delete(`T#demo#APP#app_${done.slice(-6)}_approved|APP`);
      application(done, "paid", paidIn("PAY-2025-11"));
      const errors: ErrorDetail[] = [];
      const checked = await check("demo", rowsFor(nos), errors);
      expect(errors).toEqual([]);
      expect(checked.map((c) => c.done)).toEqual(nos.map((no) => no === done));
      expect(checked[0]).toMatchObject({ studentId: idOf(done), student: { name: "李四" }, app: { stage: "paid" } });
    });
  }

  it("reads a long file's applications by programme and term, and a short one's per student", async () => {
    for (const no of NOS) application(no, "approved");
    await check("demo", rowsFor(NOS), []);
    expect(table.sent.filter((s) => s === "QueryCommand")).toHaveLength(1);
    table.sent.length = 0;
    await check("demo", rowsFor(NOS.slice(0, 100)), []);
    expect(table.sent.filter((s) => s === "QueryCommand")).toHaveLength(100);
    table.sent.length = 0;
    await check("demo", rowsFor(NOS), [], { perStudent: true });
    expect(table.sent.filter((s) => s === "QueryCommand")).toHaveLength(150);
  });

  it("names a student that does not exist with the 学籍号 masked", async () => {
    const errors: ErrorDetail[] = [];
    expect(await check("demo", rowsFor(["G510101201201099999"]), errors)).toEqual([]);
    expect(errors).toEqual([
      {
        line: 2,
        field: "student_no",
        message: "没有这个学生（学籍号 G51************9999）：请核对学籍号，或先在“学生”页导入",
      },
    ]);
  });

  it("refuses a row whose application has not finished publicity, naming its stage, or that has none", async () => {
    application(NOS[0]!, "publicizing");
    application(NOS[0]!, "rejected", { id: "app_old" });
    application(NOS[1]!, "approved", { programme: "senior_grant" });
    application(NOS[1]!, "approved", { id: "app_spring", term: "2026-spring" });
    const errors: ErrorDetail[] = [];
    expect(await check("demo", rowsFor(NOS.slice(0, 2)), errors)).toEqual([]);
    expect(errors).toEqual([
      {
        line: 2,
        field: "",
        message:
          "没有“公示无异议”的义务教育家庭经济困难学生生活补助（2025年秋季学期）申请（现为：公示中、未通过）：须公示结束且无异议后才能发放",
      },
      {
        line: 3,
        field: "",
        message:
          "没有“公示无异议”的义务教育家庭经济困难学生生活补助（2025年秋季学期）申请：须公示结束且无异议后才能发放",
      },
    ]);
  });

  it("refuses an amount that differs from the application's", async () => {
    application(NOS[0]!, "approved", { amountFen: 50000 });
    const errors: ErrorDetail[] = [];
    expect(await check("demo", rowsFor([NOS[0]!]), errors)).toEqual([]);
    expect(errors).toEqual([{ line: 2, field: "amount", message: "金额不一致：文件是 625 元，申请是 500 元：请核对" }]);
  });

  it("pays the approved application when a rejected one of the same programme and term exists", async () => {
    application(NOS[0]!, "rejected", { id: "app_old" });
    application(NOS[0]!, "approved");
    const checked = await check("demo", rowsFor([NOS[0]!]), []);
    expect(checked.map((c) => c.app.stage)).toEqual(["approved"]);
  });
});
