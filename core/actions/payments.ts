/**
 * Payment batches (一卡通发放). The disbursement file is validated as a whole — every bad line is reported with its
 * number and reason, and a file with any bad line changes nothing. A good file moves each application approved →
 * paid (audited) and sends one confirmation per bound guardian.
 *
 * Idempotent by batch id (pattern 28): the batch record carries a hash of the file's content. The same batch again
 * changes and sends nothing; the same id with other content is a conflict. A batch too large for one transaction
 * is applied in several; if that is interrupted the record stays "applying" and uploading the same file again
 * finishes it (applications this batch already paid count as done).
 *
 * A file longer than INLINE_MAX_ROWS is answered at once with a job (202) that checks and applies it from the
 * imports queue (core/actions/payment-jobs.ts): one request cannot do 50,000 rows inside Lambda's 20 s.
 */
import * as applications from "../applications/index.js";
import { AppError, capDetails, MAX_LISTED_ERRORS, type ErrorDetail } from "../errors.js";
import { stableId } from "../ids.js";
import { maskStudentNo } from "../mask.js";
import { sendToQueue } from "../queue/client.js";
import { actorOf, levelOf, requireRole, type Staff } from "../staff/index.js";
import { cachedTenant } from "../notifications/cache.js";
import { localDate } from "../notifications/clock.js";
import { mapLimit } from "../concurrency.js";
import { setStatus } from "../notifications/events.js";
import type { FanoutJob } from "../notifications/fanout.js";
import { check, contentHash, getBatch, conflict, openBatch, parseRows, type Checked } from "./payment-file.js";
import { parseCsv, type CsvRecord } from "../csv.js";
import { readTable } from "../staff/spreadsheet.js";
import { INLINE_MAX_ROWS, jobView, markBatchApplied, payRows, startPaymentJob, type JobView } from "./payment-jobs.js";

export { BatchRecord, MAX_ROWS, parseAmount, parseDate, parseTerm } from "./payment-file.js";

/** The file's records: a bank's .xlsx (first sheet) or CSV in UTF-8 / BOM / GB18030. */
async function recordsOf(file: Uint8Array | string): Promise<CsvRecord[]> {
  if (typeof file === "string") return parseCsv(file.replace(/^\uFEFF/, ""));
  return readTable(file);
}

export interface PaymentResult {
  batchId: string;
  eventId: string;
  rows: number;
  totalFen: number;
  /** True when this batch had been applied before: nothing changed and nothing was sent. */
  duplicate: boolean;
  /** A long file: checked and applied by this job (poll GET /api/jobs/{id}); nothing is applied unless every row passes. */
  job?: JobView;
}

export interface PaymentPreview {
  batchId?: string;
  rows: {
    line: number;
    studentNo: string;
    programme: string;
    term: string;
    amountFen: number;
    paidDate: string;
    accountLast4: string;
  }[];
  totalFen: number;
  /** The file's problems, with their lines (the first 200, then a count of the rest): the import's checks, nothing applied. */
  errors: ErrorDetail[];
  /**
   * A long file (more than INLINE_MAX_ROWS rows): only its own problems are listed here and only its first rows;
   * the database checks run in the job that confirming starts, and nothing is applied unless every row passes.
   */
  long?: boolean;
  /** A long file: how many rows it has (only the first 200 are in `rows`). */
  total?: number;
}

const PREVIEW_ROWS = 200;

/** The console's preview: every check importPayments makes (file and database), in one pass, nothing applied. */
export async function previewPayments(staff: Staff, file: Uint8Array): Promise<PaymentPreview> {
  requireRole(staff, "bureau");
  const tz = (await cachedTenant(staff.tenant))?.timeZone ?? "Asia/Shanghai";
  const records = await recordsOf(file);
  const { rows, errors } = parseRows(records, localDate(new Date(), tz));
  // A long file's database checks take longer than a request may (they run in the job): the preview stays quick.
  const long = records.length - 1 > INLINE_MAX_ROWS;
  if (!long) await check(staff.tenant, rows, errors);
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    batchId: rows[0]?.batchId,
    rows: (long ? rows.slice(0, PREVIEW_ROWS) : rows).map((r) => ({
      line: r.line,
      studentNo: maskStudentNo(r.studentNo),
      programme: r.programme,
      term: r.term,
      amountFen: r.amountFen,
      paidDate: r.paidDate,
      accountLast4: r.accountLast4,
    })),
    totalFen: rows.reduce((n, r) => n + r.amountFen, 0),
    errors: capDetails(errors),
    ...(long ? { long: true, total: rows.length } : {}),
  };
}

/**
 * Lines whose move failed its guard. A parallel upload of this very batch moving the application first is not a
 * loss (the data is right): only lines whose application is not now paid by this batch are.
 */
async function stillLost(tenant: string, batchId: string, checked: Checked[], lines: number[]): Promise<number[]> {
  if (lines.length === 0) return [];
  const byLine = new Map(checked.map((c) => [c.row.line, c]));
  const out = await mapLimit(lines, 16, async (line) => {
    const c = byLine.get(line);
    const now = c && (await applications.fromId(tenant, c.app.id));
    return now && now.stage === "paid" && now.payment?.batchId === batchId ? undefined : line;
  });
  return out.filter((l): l is number => l !== undefined).sort((a, b) => a - b);
}

/** Validate and apply a disbursement file. Throws AppError (400 with every bad line, 409 on a conflicting batch id). */
export async function importPayments(staff: Staff, file: Uint8Array | string): Promise<PaymentResult> {
  requireRole(staff, "bureau");
  const tenant = staff.tenant;
  const tz = (await cachedTenant(tenant))?.timeZone ?? "Asia/Shanghai";
  const records = await recordsOf(file);
  const { rows, errors } = parseRows(records, localDate(new Date(), tz));

  const batchId = rows[0]?.batchId;
  let hash = "";
  if (errors.length === 0 && batchId) {
    hash = contentHash(rows);
    const existing = await getBatch(tenant, batchId);
    if (existing && existing.hash !== hash) throw conflict(batchId);
    if (existing?.status === "applied") {
      return { batchId, eventId: existing.eventId, rows: existing.rows, totalFen: existing.totalFen, duplicate: true };
    }
  }
  const totalFen = rows.reduce((n, r) => n + r.amountFen, 0);

  if (records.length - 1 > INLINE_MAX_ROWS) {
    // Too long for one request: checked and applied by the imports queue; its errors come with the job's result.
    const job = await startPaymentJob({
      tenant,
      actor: actorOf(staff),
      level: levelOf(staff),
      rows,
      fileErrors: errors,
      hash,
    });
    return {
      batchId: batchId ?? "",
      eventId: job.eventId ?? "",
      rows: rows.length,
      totalFen,
      duplicate: false,
      job: jobView(job),
    };
  }

  const checked = await check(tenant, rows, errors);
  if (errors.length > 0 || !batchId) {
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const lines = new Set(errors.map((e) => e.line)).size;
    const listed =
      errors.length > MAX_LISTED_ERRORS ? `（共 ${errors.length} 处，下面列出前 ${MAX_LISTED_ERRORS} 处）` : "";
    throw AppError.validation(
      "payment_file_invalid",
      `发放文件有 ${lines} 行有错误${listed}，未做任何发放：请按行号改正后重新上传`,
      capDetails(errors),
    );
  }

  const eventId = stableId("evt", tenant, "payment", batchId);
  await openBatch({ tenant, batchId, hash, eventId, rows: rows.length, totalFen, actor: actorOf(staff) });

  // The same transaction builder as a long file's job: moves, counters, paid markers and the marker-loss retry.
  const lostLines = await payRows(
    tenant,
    { batchId, eventId, actor: actorOf(staff), level: levelOf(staff), at: new Date().toISOString() },
    checked.map((c) => ({
      row: {
        line: c.row.line,
        studentId: c.studentId,
        appId: c.app.id,
        programme: c.row.programme,
        term: c.row.term,
        amountFen: c.row.amountFen,
        paidDate: c.row.paidDate,
        accountLast4: c.row.accountLast4,
      },
      app: c.app,
      student: c.student,
      done: c.done,
    })),
  );
  const lost = await stillLost(tenant, batchId, checked, lostLines);
  if (lost.length > 0) {
    throw new AppError(
      "conflict",
      "changed_meanwhile",
      `有 ${lost.length} 份申请在发放过程中被别人改动过，这几行没有发放（其余已发放）：请核对后重新上传同一个文件完成这个批次`,
      lost.map((line) => ({ line, message: "这份申请刚被别人改动过：请重新上传" })),
    );
  }

  // Enqueue, then mark: a crash in between leaves "applying" and the next upload enqueues again (deliveries dedupe).
  await sendToQueue("fanout", { tenant, eventId } satisfies FanoutJob);
  await setStatus(tenant, eventId, ["preparing"], "sending");
  await markBatchApplied(tenant, batchId, hash);
  return { batchId, eventId, rows: rows.length, totalFen, duplicate: false };
}
