/**
 * Long payment files (issue 10 "big files", issue 12 "a progress bar on long files"): a file of more than 1,000 rows is
 * answered 202 with a job, checked and applied by the imports queue in chunks, its progress read over HTTP
 * (GET /api/jobs/{id}). A chunk delivered twice changes and counts nothing twice; the same file again changes and
 * sends nothing; a file with errors lists them all in one pass (capped) and applies nothing. The dashboard's counters
 * after a job equal a recount of the records. The 50,000-row figures
 * are in `npm run bench -- bigfiles`; a few thousand rows here keep the suite's time modest.
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import { CHUNK_ROWS, INLINE_MAX_ROWS } from "../../../core/actions/payment-jobs.js";
import { countersFromRecords, storedCounters } from "../../support/counters.js";
import { trail } from "../../../core/audit/index.js";
import { mapLimit } from "../../../core/concurrency.js";
import { sqs } from "../../../core/queue/client.js";
import { startQueueRunner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { handler as imports } from "../../../functions/queues/imports.js";
import type { SqsRecord } from "../../../functions/queues/sqs-event.js";
import { FAKE_WECHAT_PATHS } from "../../fakes/wechat-api.js";
import {
  SCHOOL,
  addKids,
  api,
  seedApprovedStudentNos,
  seedApprovedStudents,
  settled,
  setupWorld,
  waitFor,
  type Kid,
  type World,
} from "./support.js";

let w: Omit<World, "kids">;
const term = "2025-autumn";
const HEADER = "batch_id,student_no,programme,term,amount,paid_date,account_last4";
const row = (batch: string, studentNo: string, amount = "625.00") =>
  [batch, studentNo, "compulsory_living", term, amount, "2025-11-18", "0042"].join(",");

const seedApproved = (prefix: string, count: number) => seedApprovedStudents(w.tenant, prefix, count);
const seedApprovedNos = (studentNos: string[]) => seedApprovedStudentNos(w.tenant, studentNos);

const sent = () => w.fake.calls.filter((c) => c.path === FAKE_WECHAT_PATHS.templateSend).length;
const paidAudits = async (appId: string) => (await trail(w.tenant, appId)).filter((a) => a.to === "paid").length;

const counters = (term: string) => storedCounters(w.tenant, term);
const fromRecords = (term: string) => countersFromRecords(w.tenant, term);

beforeAll(async () => {
  w = await setupWorld();
}, 120_000);

afterAll(async () => {
  await w?.fake.stop();
});

describe("a long payment file, checked and applied by the imports queue", () => {
  it("shows its progress over HTTP, pays every row once and tells each guardian once, and the same file again does nothing", async () => {
    const bound: Kid[] = await addKids(w.tenant, 3, {
      guardians: () => 1,
      application: { programme: "compulsory_living", term, stage: "approved", amountFen: 62500 },
    });
    const seeded = await seedApproved("G71", 2400);
    const file = [HEADER, ...[...bound, ...seeded].map((k) => row("LONG-1", k.studentNo))].join("\n");
    expect(2403).toBeGreaterThan(INLINE_MAX_ROWS);

    const up = await api(w.bureau, "POST", "/api/payments", file);
    expect(up.status).toBe(202);
    expect(up.body).toMatchObject({ batchId: "LONG-1", rows: 2403, duplicate: false });
    expect(up.body.job).toMatchObject({ state: "checking", total: 2403, rowsDone: 0 });
    const jobId = up.body.job.id as string;

    const runner = startQueueRunner({ handlers: { imports, fanout, delivery }, concurrency: 2 });
    try {
      const seen: { state: string; rowsChecked: number; rowsDone: number }[] = [];
      const final = await waitFor(
        async () => {
          const r = await api(w.bureau, "GET", `/api/jobs/${jobId}`);
          expect(r.status).toBe(200);
          seen.push({ state: r.body.state, rowsChecked: r.body.rowsChecked, rowsDone: r.body.rowsDone });
          return r.body.state === "done" || r.body.state === "invalid" ? r.body : undefined;
        },
        150_000,
        "the job to finish",
      );
      expect(final).toMatchObject({ state: "done", total: 2403, rowsChecked: 2403, rowsDone: 2403, failedRows: 0 });
      expect(final.errors).toEqual([]);
      // Progress was seen between start and end, and never went backwards.
      expect(
        seen.some((s) => (s.rowsChecked > 0 && s.rowsChecked < 2403) || (s.rowsDone > 0 && s.rowsDone < 2403)),
      ).toBe(true);
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.rowsChecked).toBeGreaterThanOrEqual(seen[i - 1]!.rowsChecked);
        expect(seen[i]!.rowsDone).toBeGreaterThanOrEqual(seen[i - 1]!.rowsDone);
      }

      const report = await settled(w.bureau, up.body.eventId, 60_000);
      expect(report.students).toBe(2403);
      expect(sent()).toBe(3);
      const sample = [bound[0]!.appId!, seeded[0]!.appId, seeded[2399]!.appId];
      for (const id of sample) expect((await applications.fromId(w.tenant, id))?.stage).toBe("paid");
      const now = await mapLimit(seeded, 8, (s) => applications.fromId(w.tenant, s.appId));
      expect(now.filter((a) => a?.stage === "paid" && a.payment?.batchId === "LONG-1")).toHaveLength(2400);

      // Every chunk delivered again, both phases: nothing moves, nothing is counted, nothing is sent.
      const again = Array.from({ length: Math.ceil(2403 / CHUNK_ROWS) }, (_, chunk) =>
        (["check", "apply"] as const).map((phase) => record({ tenant: w.tenant, jobId, chunk, phase })),
      ).flat();
      expect(await imports({ Records: again })).toEqual({ batchItemFailures: [] });
      const after = await api(w.bureau, "GET", `/api/jobs/${jobId}`);
      expect(after.body).toMatchObject({ state: "done", rowsDone: 2403, rowsChecked: 2403 });

      const same = await api(w.bureau, "POST", "/api/payments", file);
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ duplicate: true, rows: 2403 });
      await runner.idle(20_000);
      expect(sent()).toBe(3);
      for (const id of sample) expect(await paidAudits(id)).toBe(1);
    } finally {
      await runner.stop();
    }
  }, 300_000);

  it("moves and counts a chunk once when it is delivered twice, one after the other and two at once", async () => {
    const seeded = await seedApproved("G72", 1100);
    const file = [HEADER, ...seeded.map((k) => row("LONG-2", k.studentNo))].join("\n");
    const up = await api(w.bureau, "POST", "/api/payments", file);
    expect(up.status).toBe(202);
    const jobId = up.body.job.id as string;

    // The same file again while the job runs: the same job, its chunks handed out again (each done only once).
    const twice = await api(w.bureau, "POST", "/api/payments", file);
    expect(twice.status).toBe(202);
    expect(twice.body.job.id).toBe(jobId);

    // No runner: this test is the event source, and it hands every message over twice.
    for (let round = 0; round < 20; round++) {
      const messages = await receiveAll();
      if (messages.length === 0) {
        const job = await api(w.bureau, "GET", `/api/jobs/${jobId}`);
        if (job.body.state === "done") break;
        continue;
      }
      for (const m of messages) {
        await imports({ Records: [m, { ...m, messageId: `${m.messageId}-again` }] }); // one after the other
        await Promise.all([imports({ Records: [m] }), imports({ Records: [m] })]); // two at once
        await sqs().send(new DeleteMessageCommand({ QueueUrl: w.queues.imports.url, ReceiptHandle: m.receiptHandle }));
      }
    }
    const job = await api(w.bureau, "GET", `/api/jobs/${jobId}`);
    expect(job.body).toMatchObject({ state: "done", total: 1100, rowsChecked: 1100, rowsDone: 1100, failedRows: 0 });
    for (const s of [seeded[0]!, seeded[550]!, seeded[1099]!]) {
      const a = await applications.fromId(w.tenant, s.appId);
      expect(a).toMatchObject({ stage: "paid", payment: { batchId: "LONG-2" } });
      expect(await paidAudits(s.appId)).toBe(1);
    }
    // Each chunk delivered four times changed the dashboard's counters once: they equal a recount of the records.
    expect(await counters(term)).toEqual(await fromRecords(term));
  }, 300_000);

  it("lists every error of a long file in one pass, the first 200 and the count of the rest, and applies nothing", async () => {
    const good = await seedApproved("G73", 50);
    const lines = [
      ...Array.from({ length: 600 }, (_, i) => row("LONG-3", `G74${String(i).padStart(10, "0")}`, "六百")), // amount
      ...Array.from({ length: 2400 }, (_, i) => row("LONG-3", `G75${String(i).padStart(10, "0")}`)), // unknown
      ...good.map((k) => row("LONG-3", k.studentNo)),
    ];
    const file = [HEADER, ...lines].join("\n");
    // The preview of a long file lists its own problems and its first rows; the rest is checked by the job.
    const preview = await api(w.bureau, "POST", "/api/payments/preview", file, { "content-type": "text/csv" });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ long: true, total: 2450 });
    expect(preview.body.rows).toHaveLength(200);
    expect(preview.body.errors).toHaveLength(201);

    const up = await api(w.bureau, "POST", "/api/payments", file);
    expect(up.status).toBe(202);
    const runner = startQueueRunner({ handlers: { imports }, concurrency: 2 });
    try {
      const final = await waitFor(
        async () => {
          const r = await api(w.bureau, "GET", `/api/jobs/${up.body.job.id}`);
          return r.body.state === "invalid" || r.body.state === "done" ? r.body : undefined;
        },
        150_000,
        "the job to end",
      );
      expect(final.state).toBe("invalid");
      expect(final.errorCount).toBe(3000);
      expect(final.rowsDone).toBe(0);
      const errors = final.errors as { line?: number; message: string }[];
      expect(errors).toHaveLength(201);
      expect(errors.slice(0, 200).map((e) => e.line)).toEqual(Array.from({ length: 200 }, (_, i) => i + 2));
      expect(errors[0]!.message).toContain("金额格式不对");
      expect(errors[200]).toEqual({ message: expect.stringContaining("另有 2800 处错误未列出（共 3000 处）") });
    } finally {
      await runner.stop();
    }
    // Nothing applied: the good rows' applications are still approved, and no batch was opened.
    for (const k of [good[0]!, good[49]!])
      expect((await applications.fromId(w.tenant, k.appId))?.stage).toBe("approved");
    const corrected = await api(w.bureau, "GET", `/api/events/${up.body.eventId}/deliveries`);
    expect(corrected.status).toBe(404);
  }, 300_000);
});

describe("a long payment file with no good row", () => {
  it("lists the first 200 of its 4,500 problems and counts them all, though no row reached the checks", async () => {
    const bad = Array.from(
      { length: 1500 },
      (_, i) => `LONG-5,G79${String(i).padStart(10, "0")},compulsory_living,${term},六百,2025-13-40,42`,
    );
    const up = await api(w.bureau, "POST", "/api/payments", [HEADER, ...bad].join("\n"));
    expect(up.status).toBe(202);
    expect(up.body.job).toMatchObject({ total: 0, errorCount: 4500 });
    const runner = startQueueRunner({ handlers: { imports }, concurrency: 1 });
    try {
      const final = await waitFor(
        async () => {
          const r = await api(w.bureau, "GET", `/api/jobs/${up.body.job.id}`);
          return r.body.state === "invalid" || r.body.state === "done" ? r.body : undefined;
        },
        60_000,
        "the job to end",
      );
      expect(final).toMatchObject({ state: "invalid", errorCount: 4500 });
      expect(final.errors).toHaveLength(201);
      expect(final.errors[0]).toMatchObject({ line: 2, field: "amount" });
      expect(final.errors[199].line).toBe(68);
      expect(final.errors[200]).toEqual({ message: expect.stringContaining("另有 4300 处错误未列出（共 4500 处）") });
    } finally {
      await runner.stop();
    }
  }, 120_000);
});

describe("a long payment file refused, then uploaded again", () => {
  it("checks the same file afresh once the records it named are fixed, and then pays it", async () => {
    const seeded = await seedApproved("G76", 1000);
    const late = "G770000000001"; // not yet imported when the file is first uploaded
    const file = [HEADER, ...seeded.map((k) => row("LONG-4", k.studentNo)), row("LONG-4", late)].join("\n");
    const runner = startQueueRunner({ handlers: { imports }, concurrency: 2 });
    const over = (jobId: string) =>
      waitFor(
        async () => {
          const r = await api(w.bureau, "GET", `/api/jobs/${jobId}`);
          return r.body.state === "invalid" || r.body.state === "done" ? r.body : undefined;
        },
        150_000,
        "the job to end",
      );
    try {
      const first = await api(w.bureau, "POST", "/api/payments", file);
      expect(first.status).toBe(202);
      const refused = await over(first.body.job.id);
      expect(refused).toMatchObject({ state: "invalid", errorCount: 1 });
      expect(refused.errors).toEqual([
        expect.objectContaining({ line: 1002, message: expect.stringContaining("没有这个学生") }),
      ]);

      // The school imports the student, the application is approved; the very same file is uploaded again.
      const [fixed] = await seedApprovedNos([late]);
      const second = await api(w.bureau, "POST", "/api/payments", file);
      expect(second.status).toBe(202);
      expect(second.body.job.id).toBe(first.body.job.id);
      const paid = await over(second.body.job.id);
      expect(paid).toMatchObject({ state: "done", errorCount: 0, rowsDone: 1001, failedRows: 0 });
      expect((await applications.fromId(w.tenant, fixed!.appId))?.stage).toBe("paid");
    } finally {
      await runner.stop();
    }
  }, 300_000);
});

describe("a long payment file and the dashboard's counters", () => {
  it("pays 2,000 rows through the job and leaves the counters equal to a recount of the records, each student counted once", async () => {
    const T = "2026-spring";
    const nos = Array.from({ length: 1900 }, (_, i) => `G76${String(i).padStart(10, "0")}`);
    // 1,900 students with 两免一补 (625 元); the first 100 also with 新生入学资助 (500 元), the first 5 also with
    // 雨露计划 (1,000 元), which a short batch pays before the job: their paid markers exist when the job reads them.
    await seedApprovedStudentNos(w.tenant, nos, { term: T });
    await seedApprovedStudentNos(w.tenant, nos.slice(0, 100), { term: T, programme: "freshman_aid", amountFen: 50000 });
    await seedApprovedStudentNos(w.tenant, nos.slice(0, 5), { term: T, programme: "yulu", amountFen: 100000 });
    const line = (batch: string, no: string, programme: string, amount: string) =>
      [batch, no, programme, T, amount, "2026-03-18", "0042"].join(",");

    const short = [HEADER, ...nos.slice(0, 5).map((no) => line("YULU-1", no, "yulu", "1000.00"))].join("\n");
    expect((await api(w.bureau, "POST", "/api/payments", short)).status).toBe(201);
    expect(await counters(T)).toEqual({
      cells: [
        `${SCHOOL} compulsory_living approved 1900 118750000`,
        `${SCHOOL} freshman_aid approved 100 5000000`,
        `${SCHOOL} yulu paid 5 500000`,
      ],
      schoolPaid: { [SCHOOL]: 5 },
      countyPaid: 5,
    });

    // The freshman rows last: each of those students' two rows are far apart in the file, one chunk in the job.
    const file = [
      HEADER,
      ...nos.map((no) => line("LONG-6", no, "compulsory_living", "625.00")),
      ...nos.slice(0, 100).map((no) => line("LONG-6", no, "freshman_aid", "500.00")),
    ].join("\n");
    const up = await api(w.bureau, "POST", "/api/payments", file);
    expect(up.status).toBe(202);
    expect(up.body).toMatchObject({ rows: 2000 });
    const runner = startQueueRunner({ handlers: { imports }, concurrency: 2 });
    try {
      const final = await waitFor(
        async () => {
          const r = await api(w.bureau, "GET", `/api/jobs/${up.body.job.id}`);
          return r.body.state === "done" || r.body.state === "invalid" ? r.body : undefined;
        },
        150_000,
        "the job to finish",
      );
      expect(final).toMatchObject({ state: "done", total: 2000, rowsDone: 2000, failedRows: 0 });
    } finally {
      await runner.stop();
    }

    // 1,900 × 625 元 and 100 × 500 元 moved from approved to paid; 1,900 distinct paid students (the 5 paid before
    // are not counted again, nor the 100 paid twice in the job).
    const expected = {
      cells: [
        `${SCHOOL} compulsory_living paid 1900 118750000`,
        `${SCHOOL} freshman_aid paid 100 5000000`,
        `${SCHOOL} yulu paid 5 500000`,
      ],
      schoolPaid: { [SCHOOL]: 1900 },
      countyPaid: 1900,
    };
    expect(await fromRecords(T)).toEqual(expected);
    expect(await counters(T)).toEqual(expected);
  }, 300_000);
});

let serial = 0;
function record(body: unknown): SqsRecord {
  return {
    messageId: `m-${++serial}`,
    receiptHandle: `h-${serial}`,
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: "2" },
    messageAttributes: {},
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:imports",
    awsRegion: "cn-north-1",
  };
}

async function receiveAll(): Promise<SqsRecord[]> {
  const out = await sqs().send(
    new ReceiveMessageCommand({ QueueUrl: w.queues.imports.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    { requestTimeout: 10_000 },
  );
  return (out.Messages ?? []).map((m) => ({ ...record(JSON.parse(m.Body!)), receiptHandle: m.ReceiptHandle! }));
}
