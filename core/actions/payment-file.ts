/**
 * A payment file (一卡通发放明细) checked: its rows read (bank-style headers; the records come from the request,
 * core/actions/payments.ts, so the imports worker carries no spreadsheet code), every line's problems found in one pass, and the database half of validation — the student exists, an
 * approved application matches, the amount agrees. Shared by the request that applies a short file
 * (core/actions/payments.ts) and the job that checks and applies a long one (core/actions/payment-jobs.ts); the
 * batch record (pattern 28) that makes a batch idempotent is opened here for both.
 */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import * as applications from "../applications/index.js";
import {
  parseTerm,
  programmeFromCell,
  Programmes,
  StageLabel,
  yuan,
  type ApplicationInfo,
  type Programme,
} from "../applications/index.js";
import { Actor } from "../audit/index.js";
import { ddb, tableName, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
import { AppError, isConditionFailure, type ErrorDetail } from "../errors.js";
import { sha256Hex } from "../ids.js";
import { maskStudentNo } from "../mask.js";
import * as students from "../students/index.js";
import { mapLimit } from "../concurrency.js";
import type { CsvRecord } from "../csv.js";
import { putEvent } from "../notifications/events.js";

export const MAX_ROWS = 50_000;

/** Header names accepted for each column (English or the words a bureau's export uses), compared without case or spaces. */
const COLUMNS = {
  batchId: ["batch_id", "batchid", "batch", "批次号", "批次", "发放批次"],
  studentNo: ["student_no", "studentno", "学籍号", "全国学籍号", "学籍编号"],
  programme: ["programme", "program", "项目", "资助项目"],
  term: ["term", "学期"],
  amount: [
    "amount",
    "金额",
    "发放金额",
    "金额(元)",
    "金额（元）",
    "发放金额(元)",
    "发放金额（元）",
    "实发金额",
    "实发金额(元)",
    "实发金额（元）",
    "补助金额",
    "补助金额（元）",
    "资助金额",
    "资助金额（元）",
  ],
  paidDate: ["paid_date", "paiddate", "发放日期", "日期"],
  accountLast4: [
    "account_last4",
    "account_last_four",
    "last4",
    "账户后四位",
    "卡号后四位",
    "账号后四位",
    "卡号后4位",
    "账号后4位",
    "银行卡后四位",
    "银行卡号后四位",
    "一卡通后四位",
  ],
} as const;
type Column = keyof typeof COLUMNS;
const COLUMN_ZH: Record<Column, string> = {
  batchId: "批次号",
  studentNo: "学籍号",
  programme: "项目",
  term: "学期",
  amount: "金额",
  paidDate: "发放日期",
  accountLast4: "卡号后四位",
};
const termZh = (term: string) => applications.termLabel(term);

export const BatchRecord = z.object({
  batchId: z.string(),
  tenant: z.string(),
  hash: z.string(),
  status: z.enum(["applying", "applied"]),
  eventId: z.string(),
  rows: z.number().int(),
  totalFen: z.number().int(),
  createdAt: z.string(),
  createdBy: Actor,
  appliedAt: z.string().optional(),
});
export type BatchRecord = z.infer<typeof BatchRecord>;

export interface Row {
  line: number;
  batchId: string;
  studentNo: string;
  programme: Programme;
  term: string;
  amountFen: number;
  paidDate: string;
  accountLast4: string;
}

const BatchId = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Read from the file's cells the same way as an application file (core/applications/programmes.ts). */
export { parseTerm };

/** "625", "625.5", "1,250.00元" → fen, without floating point. */
export function parseAmount(s: string): number | undefined {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(s.replace(/[,，\s元]/g, ""));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export function parseDate(s: string): string | undefined {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : undefined;
}

function columnsOf(header: string[]): { map: Record<Column, number> } | { missing: Column[] } {
  const norm = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, ""));
  const map = {} as Record<Column, number>;
  const missing: Column[] = [];
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const i = norm.findIndex((h) => names.includes(h));
    if (i < 0) missing.push(col);
    else map[col] = i;
  }
  return missing.length ? { missing } : { map };
}

export function parseRows(records: CsvRecord[], today: string): { rows: Row[]; errors: ErrorDetail[] } {
  const [header, ...body] = records;
  if (!header)
    throw AppError.validation("payment_file_empty", "发放文件是空的，未做任何发放：请放入表头和发放明细后再上传");
  const cols = columnsOf(header.fields);
  if ("missing" in cols) {
    throw AppError.validation("payment_file_invalid", "发放文件的表头缺少列，未做任何发放：请对照下面的表头改正", [
      {
        line: header.line,
        message: `缺少列：${cols.missing.map((c) => COLUMN_ZH[c]).join("、")}（表头应为 ${Object.values(COLUMN_ZH).join(",")}；英文 ${Object.values(
          COLUMNS,
        )
          .map((n) => n[0])
          .join(",")} 也可）`,
      },
    ]);
  }
  if (body.length === 0)
    throw AppError.validation("payment_file_empty", "发放文件只有表头没有明细，未做任何发放：请放入发放明细后再上传");
  if (body.length > MAX_ROWS)
    throw AppError.validation("payment_file_too_large", `一个批次文件最多 ${MAX_ROWS} 行：请分成几个批次`);

  const rows: Row[] = [];
  const errors: ErrorDetail[] = [];
  for (const rec of body) {
    const bad = (field: string, message: string) => errors.push({ line: rec.line, field, message });
    if (rec.fields.length !== header.fields.length) {
      bad(
        "",
        `这一行有 ${rec.fields.length} 格，表头有 ${header.fields.length} 格（malformed）：请检查是否多了或少了逗号`,
      );
      continue;
    }
    const cell = (c: Column) => (rec.fields[cols.map[c]] ?? "").trim();
    const before = errors.length;
    const batchId = cell("batchId");
    if (!BatchId.test(batchId)) bad("batch_id", "批次号格式不对：只能用字母、数字和 _ . -，最多 64 位");
    const no = students.StudentNo.safeParse(cell("studentNo"));
    if (!no.success) bad("student_no", "学籍号格式不对：应为 8–24 位字母或数字");
    const programme = programmeFromCell(cell("programme"));
    if (!programme)
      bad(
        "programme",
        `项目“${cell("programme").slice(0, 40)}”不认识：请用项目全称，如“义务教育家庭经济困难学生生活补助”`,
      );
    const term = parseTerm(cell("term"));
    if (!term) bad("term", "学期格式不对：请写成 2025年秋季学期 或 2025-autumn");
    const amountFen = parseAmount(cell("amount"));
    if (amountFen === undefined || amountFen <= 0) bad("amount", "金额格式不对：写元，如 625 或 625.50");
    const paidDate = parseDate(cell("paidDate"));
    if (!paidDate) bad("paid_date", "发放日期格式不对：请写成 2025-11-20");
    else if (paidDate > today) bad("paid_date", `发放日期 ${paidDate} 在今天之后：请核对发放日期`);
    const last4 = cell("accountLast4");
    if (!/^\d{4}$/.test(last4))
      bad("account_last4", "卡号后四位须为 4 位数字：请在 Excel 中把这一列设为文本，保留开头的 0");
    if (errors.length === before && no.success && programme && term && amountFen !== undefined && paidDate) {
      rows.push({
        line: rec.line,
        batchId,
        studentNo: no.data,
        programme,
        term,
        amountFen,
        paidDate,
        accountLast4: last4,
      });
    }
  }

  const first = rows[0];
  const seen = new Map<string, number>();
  for (const r of rows) {
    if (first && r.batchId !== first.batchId)
      errors.push({
        line: r.line,
        field: "batch_id",
        message: `批次号 ${r.batchId} 与第 ${first.line} 行的 ${first.batchId} 不同：一个文件只能是一个批次`,
      });
    const key = `${r.studentNo}|${r.programme}|${r.term}`;
    const dup = seen.get(key);
    if (dup !== undefined)
      errors.push({ line: r.line, message: `与第 ${dup} 行重复（同一学生、项目和学期）：请删去重复的一行` });
    else seen.set(key, r.line);
  }
  return { rows, errors };
}

export function contentHash(rows: Row[]): string {
  const canonical = rows
    .map((r) => [r.batchId, r.studentNo, r.programme, r.term, r.amountFen, r.paidDate, r.accountLast4].join("|"))
    .sort()
    .join("\n");
  return sha256Hex(canonical);
}

export async function getBatch(tenant: string, batchId: string): Promise<BatchRecord | undefined> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName(), Key: keys.paymentBatch(tenant, batchId), ConsistentRead: true }),
  );
  return out.Item ? BatchRecord.parse(withoutKeys(out.Item)) : undefined;
}

export const conflict = (batchId: string) =>
  AppError.conflict("batch_conflict", `批次 ${batchId} 之前导入过不同的内容：改正后的文件请换一个新的批次号`);

export interface Checked {
  row: Row;
  studentId: string;
  /** Read in bulk by validation; the member record takes the class and masked name from it. */
  student?: students.StudentInfo;
  app: ApplicationInfo;
  /** Already paid by this very batch (an interrupted upload being finished). */
  done: boolean;
}

/**
 * The applications of each programme and term in the file (every stage), by `studentId|programme|term`: one paged
 * query per pair instead of one per row. Only for long files: a short one reads each student's own applications.
 */
async function indexed(tenant: string, rows: Row[]): Promise<Map<string, ApplicationInfo[]> | undefined> {
  if (rows.length <= 100) return undefined;
  const out = new Map<string, ApplicationInfo[]>();
  const pairs = new Set(rows.map((r) => `${r.programme}|${r.term}`));
  for (const pair of pairs) {
    const [programme, term] = pair.split("|") as [Programme, string];
    for (const a of await applications.byProgramme(tenant, programme, term)) {
      const key = `${a.studentId}|${a.programme}|${a.term}`;
      out.set(key, [...(out.get(key) ?? []), a]);
    }
  }
  return out;
}

/**
 * The database half of validation: the student exists, an approved application matches, the amount agrees.
 * Reads in bulk (issue 10: one read per row made a 50,000-row file take 40 s): the students by BatchGetItem, 100
 * per request; the applications by programme and term for a long file, per student for a short one.
 */
export async function check(
  tenant: string,
  rows: Row[],
  errors: ErrorDetail[],
  opts: { perStudent?: boolean } = {},
): Promise<Checked[]> {
  const idOf = (row: Row) => students.idFor(tenant, row.studentNo);
  const [index, found] = await Promise.all([
    opts.perStudent ? undefined : indexed(tenant, rows),
    students.manyFromIds(tenant, rows.map(idOf)),
  ]);
  const out = await mapLimit(rows, 16, async (row): Promise<Checked | undefined> => {
    const bad = (field: string, message: string) => void errors.push({ line: row.line, field, message });
    const student = found.get(idOf(row));
    if (!student)
      return bad(
        "student_no",
        `没有这个学生（学籍号 ${maskStudentNo(row.studentNo)}）：请核对学籍号，或先在“学生”页导入`,
      );
    const apps = (
      index
        ? (index.get(`${student.id}|${row.programme}|${row.term}`) ?? [])
        : await applications.ofStudent(tenant, student.id)
    ).filter((a) => a.programme === row.programme && a.term === row.term);
    const done = apps.find((a) => a.stage === "paid" && a.payment?.batchId === row.batchId);
    const app = done ?? apps.find((a) => a.stage === "approved");
    if (!app) {
      const paid = apps.find((a) => a.stage === "paid");
      if (paid)
        return bad(
          "",
          `${Programmes[row.programme]} ${termZh(row.term)} 已在批次 ${paid.payment?.batchId ?? "?"} 发放过：无需重复发放`,
        );
      const stages = apps.map((a) => StageLabel[a.stage]).join("、");
      return bad(
        "",
        `没有“公示无异议”的${Programmes[row.programme]}（${termZh(row.term)}）申请${stages ? `（现为：${stages}）` : ""}：须公示结束且无异议后才能发放`,
      );
    }
    if (app.amountFen !== row.amountFen)
      return bad("amount", `金额不一致：文件是 ${yuan(row.amountFen)} 元，申请是 ${yuan(app.amountFen)} 元：请核对`);
    return { row, studentId: student.id, student, app, done: Boolean(done) };
  });
  return out.filter((c): c is Checked => c !== undefined);
}
/**
 * The batch record and the batch's event, before anything moves: a new batch id is claimed with this content's hash;
 * the same id with other content is a conflict. Returns the record as it now stands.
 */
export async function openBatch(input: {
  tenant: string;
  batchId: string;
  hash: string;
  eventId: string;
  rows: number;
  totalFen: number;
  actor: Actor;
}): Promise<BatchRecord> {
  const { tenant, batchId, hash } = input;
  const now = new Date().toISOString();
  let record = BatchRecord.parse({
    batchId,
    tenant,
    hash,
    status: "applying",
    eventId: input.eventId,
    rows: input.rows,
    totalFen: input.totalFen,
    createdAt: now,
    createdBy: input.actor,
  });
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.paymentBatch(tenant, batchId), type: "paymentBatch", ...record },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    // Another upload of the same batch id won the put: same content → carry on (moves are guarded); else conflict.
    const other = await getBatch(tenant, batchId);
    if (!other || other.hash !== hash) throw conflict(batchId);
    record = other;
  }
  await putEvent({
    id: input.eventId,
    tenant,
    kind: "payment",
    createdAt: now,
    createdBy: input.actor,
    status: "preparing",
    urgent: false,
    payment: { batchId },
  });
  return record;
}
