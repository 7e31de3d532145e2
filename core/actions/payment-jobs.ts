/**
 * Long payment files as a queue-driven job. Lambda gives the API 20 s; measured on the local stack, a 50,000-row file
 * took 14 s just to find that its students are unknown, 90 s to check approved students, 244 s to apply (issue 10).
 * So a long file is read in the request (header and every line's own problems), its rows are stored in chunks of a
 * few hundred (a student's rows never split) and one message per chunk goes to the imports queue:
 *
 * 1. check: each chunk's database checks (students by BatchGetItem, each student's applications) — every error of the
 *    file, with its line, gathered in one pass; any error ends the job "invalid" with nothing applied;
 * 2. apply: the batch record and event are opened, then each chunk's moves (approved → paid, audited, with the
 *    dashboard's counters and paid markers) and member records go in transactions of 100 items, the applications
 *    read again by BatchGetItem — through `payRows`, as a short file is paid in the request;
 * 3. the last chunk finishes the batch: fan-out enqueued, the event set sending, the batch record "applied".
 *
 * Idempotent: the job id is derived from the file's content (the same file → the same job). Each phase marks a chunk
 * in the same transaction that adds its rows to the job's progress, and every move is guarded by the application's
 * stage, so a redelivered chunk (or two deliveries at once) changes and counts nothing twice; re-uploading the file
 * while the job runs enqueues its chunks again (finished ones are skipped); after it finished, the batch record
 * answers "duplicate".
 */
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import * as applications from "../applications/index.js";
import { StageLabel, transitionItems, type ApplicationInfo, type Level } from "../applications/index.js";
import { Actor } from "../audit/index.js";
import {
  batchPut,
  ddb,
  expiresIn,
  queryAll,
  sendConditional,
  tableName,
  transact,
  TTL,
  withoutKeys,
} from "../db/client.js";
import { keys } from "../db/keys.js";
import { AppError, capDetails, isConditionFailure, MAX_LISTED_ERRORS, type ErrorDetail } from "../errors.js";
import { sha256Hex, stableId } from "../ids.js";
import { maskName } from "../mask.js";
import { memberPut, setStatus, type PaidLine } from "../notifications/events.js";
import type { FanoutJob } from "../notifications/fanout.js";
import { PermanentFailure } from "../queue/batch.js";
import { sendManyToQueue, sendToQueue } from "../queue/client.js";
import { requireRole, type Staff } from "../staff/scope.js";
import * as students from "../students/index.js";
import { paidMarkersOf } from "../applications/tally-store.js";
import type { PaidMarker } from "../applications/tallies.js";
import { applyGroups, type Group } from "./apply.js";
import { check, openBatch, type Row } from "./payment-file.js";

/** Files longer than this are checked and applied by the job; shorter ones in the request, as before. */
export const INLINE_MAX_ROWS = 1000;
/**
 * Rows per chunk: ~800 transaction items, a few seconds of work, well inside the queue's visibility timeout; the
 * chunk item (rows, checked rows and their errors as JSON, ~600 bytes a row at most) stays under DynamoDB's 400 KB.
 */
export const CHUNK_ROWS = 400;
/** Jobs and their chunks are kept a month for the console and for support, then expire (TTL). */
const JOB_TTL_SECONDS = 30 * 86_400;

/** One checked row of the file, as the apply phase needs it (the student and application resolved by the check). */
export const PaidRow = z.object({
  line: z.number().int(),
  studentId: z.string(),
  appId: z.string(),
  programme: applications.Programme,
  term: z.string(),
  amountFen: z.number().int(),
  paidDate: z.string(),
  accountLast4: z.string(),
});
export type PaidRow = z.infer<typeof PaidRow>;

const LineError = z.object({ line: z.number().int().optional(), field: z.string().optional(), message: z.string() });

export const JobState = z.enum(["storing", "checking", "applying", "finishing", "done", "invalid"]);
export const JobInfo = z.object({
  id: z.string(),
  tenant: z.string(),
  kind: z.literal("payment"),
  batchId: z.string().optional(),
  eventId: z.string().optional(),
  /** The batch content's hash (pattern 28); empty when the file has errors of its own. */
  hash: z.string(),
  state: JobState,
  total: z.number().int(),
  totalFen: z.number().int(),
  chunks: z.number().int(),
  chunksChecked: z.number().int(),
  rowsChecked: z.number().int(),
  /** Errors found: the file's own (in the request) plus the database checks'. */
  errorCount: z.number().int(),
  /** The file's own errors, the first 200 by line (no later one can be among the 200 listed at the end). */
  fileErrors: z.array(LineError).optional(),
  chunksDone: z.number().int(),
  rowsDone: z.number().int(),
  failedRows: z.number().int(),
  /** Once invalid or done: the first 200 errors by line, then a count of the rest. */
  errors: z.array(LineError).optional(),
  actor: Actor,
  level: z.enum(["school", "township", "bureau"]),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  /** The chunk whose delivery moved the job on (so its redelivery, and only it, redoes an interrupted step). */
  advancer: z.number().int().optional(),
  finisher: z.number().int().optional(),
});
export type JobInfo = z.infer<typeof JobInfo>;

/** The imports queue's message: one phase of one chunk of one job. */
export const ChunkJob = z.object({
  tenant: z.string(),
  jobId: z.string(),
  chunk: z.number().int().min(0),
  phase: z.enum(["check", "apply"]),
});
export type ChunkJob = z.infer<typeof ChunkJob>;

const Chunk = z.object({
  /** The parsed rows (core/actions/payment-file.ts Row), JSON. */
  rows: z.string(),
  checkedAt: z.string().optional(),
  /** After the check: the rows as the apply phase needs them (JSON PaidRow[]). */
  paid: z.string().optional(),
  checkErrors: z.array(LineError).optional(),
  done: z.boolean().optional(),
  errors: z.array(LineError).optional(),
});

/** The batch a set of rows is paid in, and who pays it. */
export interface PaidBatch {
  batchId: string;
  eventId: string;
  actor: Actor;
  level: Level;
  at: string;
}

export interface PaidInput {
  row: PaidRow;
  app: ApplicationInfo;
  student?: students.StudentInfo;
  /** Already paid by this very batch (an interrupted upload, or a redelivered chunk). */
  done: boolean;
}

/** How often a student's rows go again after losing only the paid marker's condition (a parallel batch paid them). */
const MARKER_TRIES = 3;

/**
 * The transaction groups that pay these rows: per student, its pending moves (approved → paid, audited, with the
 * dashboard's counters) conditioned on its paid markers as read, and its event-member record, so a member exists
 * exactly when its applications moved. `markers` (`term|studentId` → marker, from tally-store `paidMarkersOf`) is
 * passed on from move to move of one student, as each move returns the marker after it. A student whose rows are
 * all done already has its member record. The key of a group is its lines.
 */
export function paidGroups(
  tenant: string,
  batch: PaidBatch,
  list: PaidInput[],
  markers: Map<string, PaidMarker>,
): Group<number[]>[] {
  const byStudent = new Map<string, PaidInput[]>();
  for (const c of list) byStudent.set(c.row.studentId, [...(byStudent.get(c.row.studentId) ?? []), c]);
  const groups: Group<number[]>[] = [];
  for (const [studentId, rows] of byStudent) {
    const pending = rows.filter((c) => !c.done);
    if (pending.length === 0) continue;
    const student = rows.find((c) => c.student)?.student;
    const lines: PaidLine[] = rows.map(({ row, app }) => ({
      applicationId: app.id,
      programme: row.programme,
      term: row.term,
      amountFen: row.amountFen,
      paidDate: row.paidDate,
      accountLast4: row.accountLast4,
    }));
    groups.push({
      key: pending.map((c) => c.row.line),
      items: [
        ...pending.flatMap(({ row, app }) => {
          const marker = `${app.term}|${app.studentId}`;
          const moved = transitionItems(
            app,
            {
              to: "paid",
              actor: batch.actor,
              level: batch.level,
              payment: {
                batchId: batch.batchId,
                paidDate: row.paidDate,
                amountFen: row.amountFen,
                accountLast4: row.accountLast4,
              },
              paidMarker: markers.get(marker) ?? null,
            },
            batch.at,
          );
          // The student's next move in this transaction sees this one's marker.
          markers.set(marker, moved.paidMarker ?? null);
          return moved.items;
        }),
        memberPut(tenant, batch.eventId, {
          studentId,
          applicationIds: rows.map((c) => c.app.id),
          schoolId: rows[0]!.app.schoolId,
          ...(student ? { grade: student.grade, class: student.class, child: maskName(student.name) } : {}),
          payments: lines,
        }),
      ],
    });
  }
  return groups;
}

/**
 * Pay these rows — the one way both a short file (in the request) and a long one (each chunk of its job) pay. Each
 * student's paid markers are read, then its moves and member record go in transactions (apply.ts). A student whose
 * group lost a condition is read afresh: if every pending application is still approved it lost only the marker's
 * condition (another batch paid the student meanwhile) and goes again with the fresh applications and markers, up to
 * MARKER_TRIES times. Returns the lines that were not paid (their application moved, or the marker race was lost
 * every time), by line; the caller decides which of them a parallel run of this very batch paid.
 */
export async function payRows(tenant: string, batch: PaidBatch, list: PaidInput[]): Promise<number[]> {
  const byStudent = new Map<string, PaidInput[]>();
  for (const c of list) byStudent.set(c.row.studentId, [...(byStudent.get(c.row.studentId) ?? []), c]);
  // Students moved with their member record by an interrupted run are done.
  let todo = [...byStudent.values()].filter((rows) => rows.some((c) => !c.done));
  const lostLines: number[] = [];
  const pendingOf = (rows: PaidInput[]) => rows.filter((c) => !c.done);
  for (let attempt = 1; todo.length > 0; attempt++) {
    // Read before the moves that are conditioned on them (the dashboard's counters).
    const markers = await paidMarkersOf(
      tenant,
      todo.flatMap((rows) => pendingOf(rows).map((c) => ({ term: c.app.term, studentId: c.app.studentId }))),
    );
    const lost = new Set((await applyGroups(paidGroups(tenant, batch, todo.flat(), markers))).flat());
    const losers = todo.filter((rows) => rows.some((c) => lost.has(c.row.line)));
    const fresh =
      attempt < MARKER_TRIES && losers.length > 0
        ? await applications.manyFromIds(
            tenant,
            losers.flatMap((rows) => pendingOf(rows).map((c) => c.app.id)),
          )
        : new Map<string, ApplicationInfo>();
    const again: PaidInput[][] = [];
    for (const rows of losers) {
      const next = rows.map((c) => {
        if (c.done) return c;
        const now = fresh.get(c.app.id);
        return now?.stage === "approved" ? { ...c, app: now } : undefined;
      });
      if (attempt < MARKER_TRIES && next.every((c) => c !== undefined)) again.push(next as PaidInput[]);
      else lostLines.push(...pendingOf(rows).map((c) => c.row.line));
    }
    todo = again;
  }
  return lostLines.sort((a, b) => a - b);
}

/** The batch is through: the same file again answers "duplicate" (pattern 28). */
export async function markBatchApplied(tenant: string, batchId: string, hash: string): Promise<void> {
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.paymentBatch(tenant, batchId),
      UpdateExpression: "SET #s = :applied, appliedAt = :at",
      ConditionExpression: "#h = :hash",
      ExpressionAttributeNames: { "#s": "status", "#h": "hash" },
      ExpressionAttributeValues: { ":applied": "applied", ":at": new Date().toISOString(), ":hash": hash },
    }),
  );
}

export async function getJob(tenant: string, jobId: string): Promise<JobInfo | undefined> {
  if (!/^job_[0-9a-z]{16}$/.test(jobId)) return undefined;
  const out = await ddb().send(
    new GetCommand({ TableName: tableName(), Key: keys.importJob(tenant, jobId), ConsistentRead: true }),
  );
  return out.Item ? JobInfo.parse(withoutKeys(out.Item)) : undefined;
}

/** A student's rows stay in one chunk (they share the member record's transaction). */
export function chunkRows(rows: Row[]): Row[][] {
  const byStudent = new Map<string, Row[]>();
  for (const r of rows) byStudent.set(r.studentNo, [...(byStudent.get(r.studentNo) ?? []), r]);
  const out: Row[][] = [];
  let current: Row[] = [];
  for (const group of byStudent.values()) {
    if (current.length > 0 && current.length + group.length > CHUNK_ROWS) {
      out.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length || out.length === 0) out.push(current);
  return out;
}

const messages = (job: JobInfo, phase: ChunkJob["phase"]): ChunkJob[] =>
  Array.from({ length: job.chunks }, (_, chunk) => ({ tenant: job.tenant, jobId: job.id, chunk, phase }));

const setState = (tenant: string, jobId: string, from: JobInfo["state"], to: JobInfo["state"], extra = {}) => {
  const sets = Object.keys(extra).map((k) => `#${k} = :${k}`);
  return sendConditional(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.importJob(tenant, jobId),
      UpdateExpression: `SET #s = :to${sets.map((x) => `, ${x}`).join("")}`,
      ConditionExpression: "#s = :from",
      ExpressionAttributeNames: {
        "#s": "state",
        ...Object.fromEntries(Object.keys(extra).map((k) => [`#${k}`, k])),
      },
      ExpressionAttributeValues: {
        ":to": to,
        ":from": from,
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`:${k}`, v])),
      },
    }),
  );
};

/**
 * Store a long file as a job and enqueue its check phase: its parsed rows and its own errors (found in the request,
 * which already answered whole-file problems). The same file again returns the same job — while it runs, its
 * chunks are enqueued again (finished ones are skipped).
 */
export async function startPaymentJob(input: {
  tenant: string;
  actor: Actor;
  level: Level;
  rows: Row[];
  fileErrors: ErrorDetail[];
  /** The batch content's hash when the file has no errors of its own, else "". */
  hash: string;
}): Promise<JobInfo> {
  const { tenant, rows, fileErrors } = input;
  const batchId = rows[0]?.batchId;
  const parts = chunkRows(rows);
  const fileKey = input.hash || sha256Hex(JSON.stringify([rows, fileErrors]));
  let job = JobInfo.parse({
    id: stableId("job", tenant, "payment", fileKey),
    tenant,
    kind: "payment",
    ...(batchId ? { batchId, eventId: stableId("evt", tenant, "payment", batchId) } : {}),
    hash: input.hash,
    state: "storing",
    total: rows.length,
    totalFen: rows.reduce((n, r) => n + r.amountFen, 0),
    chunks: parts.length,
    chunksChecked: 0,
    rowsChecked: 0,
    errorCount: fileErrors.length,
    ...(fileErrors.length
      ? { fileErrors: [...fileErrors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).slice(0, MAX_LISTED_ERRORS) }
      : {}),
    chunksDone: 0,
    rowsDone: 0,
    failedRows: 0,
    actor: input.actor,
    level: input.level,
    createdAt: new Date().toISOString(),
  });
  const put = (condition: string) =>
    sendConditional(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.importJob(tenant, job.id), type: "importJob", ...job, [TTL]: expiresIn(JOB_TTL_SECONDS) },
        ConditionExpression: condition,
        ...(condition.includes(":invalid")
          ? { ExpressionAttributeNames: { "#s": "state" }, ExpressionAttributeValues: { ":invalid": "invalid" } }
          : {}),
      }),
    );
  if (!(await put("attribute_not_exists(pk)"))) {
    const existing = await getJob(tenant, job.id);
    if (!existing) throw new Error(`import job ${job.id} vanished`);
    if (existing.state === "invalid") {
      // The same file after it was refused: the records it names may have been fixed since (students imported, an
      // application approved), so it is checked afresh. Nothing of the refused run was applied.
      if (!(await put("#s = :invalid"))) return (await getJob(tenant, job.id)) ?? existing;
    } else {
      if (existing.state === "checking") await sendManyToQueue("imports", messages(existing, "check"));
      if (existing.state === "applying" || existing.state === "finishing")
        await sendManyToQueue("imports", messages(existing, "apply"));
      // "storing": another upload of this file is writing it now — unless that one died (then, after a minute, this
      // upload writes it again; no message for the job exists before it leaves "storing", so nothing is overwritten).
      if (existing.state !== "storing" || Date.now() - Date.parse(existing.createdAt) < 60_000) return existing;
    }
  }
  // Chunks are written only while the job is "storing", i.e. before any message for it exists, so a re-upload never
  // overwrites a worker's marks.
  await batchPut(
    parts.map((part, i) => ({
      ...keys.importChunk(tenant, job.id, i),
      type: "importChunk",
      rows: JSON.stringify(part),
      [TTL]: expiresIn(JOB_TTL_SECONDS),
    })),
  );
  await setState(tenant, job.id, "storing", "checking");
  job = { ...job, state: "checking" };
  await sendManyToQueue("imports", messages(job, "check"));
  return job;
}

const changedMeanwhile = (app: ApplicationInfo | undefined) =>
  `这份申请在导入期间被改动过（现为：${app ? StageLabel[app.stage] : "已删除"}），这一行未发放：请核对后用新的批次号单独发放这一行`;

async function getChunk(tenant: string, jobId: string, chunk: number): Promise<z.infer<typeof Chunk>> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName(), Key: keys.importChunk(tenant, jobId, chunk), ConsistentRead: true }),
  );
  if (!out.Item) throw new PermanentFailure(`no chunk ${chunk} of import job ${jobId}`);
  return Chunk.parse(withoutKeys(out.Item));
}

/** The worker's verb: one phase of one chunk (idempotent), then move the job on if this was the last chunk. */
export async function runChunk(msg: ChunkJob): Promise<void> {
  const { tenant, jobId, chunk, phase } = msg;
  const job = await getJob(tenant, jobId);
  if (!job) throw new PermanentFailure(`no import job ${jobId}`);
  if (job.state === "done" || job.state === "invalid") return;
  const stored = await getChunk(tenant, jobId, chunk);
  if (phase === "check") {
    if (job.state === "checking" && !stored.checkedAt) await checkChunk(job, chunk, stored);
    await afterChecks(tenant, jobId, chunk);
  } else {
    if (job.state === "applying" && !stored.done && stored.paid)
      await applyRows(job, chunk, z.array(PaidRow).parse(JSON.parse(stored.paid)));
    await finishIfLast(tenant, jobId, chunk);
  }
}

async function checkChunk(job: JobInfo, chunk: number, stored: z.infer<typeof Chunk>): Promise<void> {
  const rows = JSON.parse(stored.rows) as Row[];
  const errors: ErrorDetail[] = [];
  // Per student (each one's applications through pattern 10), not the whole programme per chunk.
  const checked = await check(job.tenant, rows, errors, { perStudent: true });
  const paid: PaidRow[] = checked.map(({ row, studentId, app }) => ({
    line: row.line,
    studentId,
    appId: app.id,
    programme: row.programme,
    term: row.term,
    amountFen: row.amountFen,
    paidDate: row.paidDate,
    accountLast4: row.accountLast4,
  }));
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  await markChunk(job, chunk, {
    set: "checkedAt = :at, paid = :paid, checkErrors = :e",
    guard: "attribute_not_exists(checkedAt)",
    values: { ":at": new Date().toISOString(), ":paid": JSON.stringify(paid), ":e": errors },
    add: "ADD rowsChecked :n, chunksChecked :one, errorCount :f",
    counts: { ":n": rows.length, ":one": 1, ":f": errors.length },
    state: "checking",
  });
}

/** A chunk's mark and its share of the job's progress in one transaction: counted once, whoever gets here first. */
async function markChunk(
  job: JobInfo,
  chunk: number,
  m: {
    set: string;
    guard: string;
    values: Record<string, unknown>;
    add: string;
    counts: Record<string, number>;
    state: JobInfo["state"];
  },
): Promise<void> {
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: keys.importChunk(job.tenant, job.id, chunk),
          UpdateExpression: `SET ${m.set}`,
          ConditionExpression: m.guard,
          ExpressionAttributeValues: m.values,
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.importJob(job.tenant, job.id),
          UpdateExpression: m.add,
          ConditionExpression: "#s = :state",
          ExpressionAttributeNames: { "#s": "state" },
          ExpressionAttributeValues: { ...m.counts, ":state": m.state },
        },
      },
    ]);
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** Every error of the job (the file's own and the checks', or the apply's), by line: the first 200 and the count. */
async function gatherErrors(job: JobInfo, which: "check" | "apply"): Promise<ErrorDetail[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :c)",
    ExpressionAttributeValues: { ":pk": keys.importJobPk(job.tenant, job.id), ":c": "CHUNK#" },
    ProjectionExpression: "#e",
    ExpressionAttributeNames: { "#e": which === "check" ? "checkErrors" : "errors" },
  });
  const all: ErrorDetail[] = which === "check" ? [...(job.fileErrors ?? [])] : [];
  for (const item of items) {
    const c = Chunk.partial().parse(item);
    all.push(...((which === "check" ? c.checkErrors : c.errors) ?? []));
  }
  const total = which === "check" ? job.errorCount : job.failedRows;
  return capDetails(
    all.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    MAX_LISTED_ERRORS,
    total,
  );
}

/**
 * After the last chunk's check: any error → the job ends "invalid" with its error list, nothing applied; else the
 * batch record and event are opened and the apply phase enqueued. One delivery claims the step; if it dies midway,
 * its redelivery (the same chunk) does it again — each step is idempotent.
 */
async function afterChecks(tenant: string, jobId: string, chunk: number): Promise<void> {
  const job = await getJob(tenant, jobId);
  if (!job || job.chunksChecked < job.chunks) return;
  if (job.state === "checking") {
    if (job.errorCount > 0 || !job.batchId || !job.eventId) {
      const errors = await gatherErrors(job, "check");
      await setState(tenant, jobId, "checking", "invalid", { errors, finishedAt: new Date().toISOString() });
      return;
    }
    if (!(await setState(tenant, jobId, "checking", "applying", { advancer: chunk }))) return;
  } else if (job.state !== "applying" || job.advancer !== chunk || job.chunksDone > 0) return;
  try {
    await openBatch({
      tenant,
      batchId: job.batchId!,
      hash: job.hash,
      eventId: job.eventId!,
      rows: job.total,
      totalFen: job.totalFen,
      actor: job.actor,
    });
  } catch (e) {
    if (!(e instanceof AppError && e.code === "batch_conflict")) throw e;
    // Another file took this batch id meanwhile: nothing of this one was applied.
    await setState(tenant, jobId, "applying", "invalid", {
      errors: [{ message: e.message }],
      finishedAt: new Date().toISOString(),
    });
    return;
  }
  await sendManyToQueue("imports", messages({ ...job, state: "applying" }, "apply"));
}

async function applyRows(job: JobInfo, chunk: number, rows: PaidRow[]): Promise<void> {
  const { tenant } = job;
  const batchId = job.batchId!;
  const [apps, found] = await Promise.all([
    applications.manyFromIds(
      tenant,
      rows.map((r) => r.appId),
    ),
    students.manyFromIds(tenant, [...new Set(rows.map((r) => r.studentId))]),
  ]);
  const paidHere = (a: ApplicationInfo | undefined) => a?.stage === "paid" && a.payment?.batchId === batchId;
  const errors: { line: number; message: string }[] = [];
  const list: PaidInput[] = [];
  for (const row of rows) {
    const app = apps.get(row.appId);
    if (app && (paidHere(app) || app.stage === "approved"))
      list.push({ row, app, student: found.get(row.studentId), done: paidHere(app) });
    else errors.push({ line: row.line, message: changedMeanwhile(app) });
  }
  const lostLines = await payRows(
    tenant,
    { batchId, eventId: job.eventId!, actor: job.actor, level: job.level, at: new Date().toISOString() },
    list,
  );
  if (lostLines.length > 0) {
    // A parallel delivery of this chunk moving the application first is not a loss: only lines not now paid here are.
    const byLine = new Map(rows.map((r) => [r.line, r]));
    const now = await applications.manyFromIds(
      tenant,
      lostLines.map((l) => byLine.get(l)!.appId),
    );
    for (const line of lostLines) {
      const app = now.get(byLine.get(line)!.appId);
      if (!paidHere(app)) errors.push({ line, message: changedMeanwhile(app) });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  await markChunk(job, chunk, {
    set: "done = :t, errors = :e",
    guard: "attribute_not_exists(done)",
    values: { ":t": true, ":e": errors },
    add: "ADD rowsDone :n, chunksDone :one, failedRows :f",
    counts: { ":n": rows.length, ":one": 1, ":f": errors.length },
    state: "applying",
  });
}

/**
 * The last chunk finishes the batch: fan-out enqueued (deliveries dedupe by notification id), the event set sending,
 * the batch record applied, the job done. One delivery claims the finish; if it dies midway, its redelivery (the same
 * chunk) does it again — every step is idempotent.
 */
async function finishIfLast(tenant: string, jobId: string, chunk: number): Promise<void> {
  const job = await getJob(tenant, jobId);
  if (!job || job.chunksDone < job.chunks) return;
  if (job.state === "applying") {
    if (!(await setState(tenant, jobId, "applying", "finishing", { finisher: chunk }))) return;
  } else if (job.state !== "finishing" || job.finisher !== chunk) return;
  await sendToQueue("fanout", { tenant, eventId: job.eventId! } satisfies FanoutJob);
  await setStatus(tenant, job.eventId!, ["preparing"], "sending");
  await markBatchApplied(tenant, job.batchId!, job.hash);
  const errors = job.failedRows > 0 ? await gatherErrors(job, "apply") : [];
  await setState(tenant, jobId, "finishing", "done", { errors, finishedAt: new Date().toISOString() });
}

export interface JobView {
  id: string;
  kind: "payment";
  batchId?: string;
  eventId?: string;
  /** checking → applying → done, or invalid (errors found, nothing applied). */
  state: "checking" | "applying" | "done" | "invalid";
  total: number;
  totalFen: number;
  rowsChecked: number;
  rowsDone: number;
  /** invalid: the errors found; done: rows not paid because their application changed after the check. */
  errorCount: number;
  failedRows: number;
  /** Those errors with their lines (the first 200, then a count of the rest), once the job is over. */
  errors: ErrorDetail[];
  createdAt: string;
  finishedAt?: string;
}

export function jobView(job: JobInfo): JobView {
  return {
    id: job.id,
    kind: job.kind,
    ...(job.batchId ? { batchId: job.batchId } : {}),
    ...(job.eventId ? { eventId: job.eventId } : {}),
    // "storing" and "finishing" are internal steps: to the staff the job is checking or applying until it is over.
    state:
      job.state === "storing" ? "checking" : job.state === "finishing" ? "applying" : (job.state as JobView["state"]),
    total: job.total,
    totalFen: job.totalFen,
    rowsChecked: job.rowsChecked,
    rowsDone: job.rowsDone,
    errorCount: job.errorCount,
    failedRows: job.failedRows,
    errors: job.errors ?? [],
    createdAt: job.createdAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  };
}

/** The console's poll: progress of a long file, and once over its result. */
export async function jobStatus(staff: Staff, jobId: string): Promise<JobView> {
  requireRole(staff, "bureau");
  const job = await getJob(staff.tenant, jobId);
  if (!job)
    throw new AppError(
      "not_found",
      "not_found",
      "没有这个导入任务（或已过期）：请回到“资金发放”页重新上传文件查看结果",
    );
  return jobView(job);
}
