/**
 * Bench: big files through the staff API, in-process (`npm run bench -- bigfiles [--rows N]`, default 50,000 rows).
 * Lambda gives the API 20 s; issue 10 measured 37–44 s and a 4.8 MB error body for a 50,000-row payment file of
 * unknown students (one read per row). Figures: wall time of each request, the response size, the process's RSS.
 *
 * - payment file, every student unknown (the issue's case): 202 with a job (more than 1,000 rows), which the imports
 *   worker checks and ends "invalid" with the capped error list — the request's time and the job's are both shown;
 * - payment preview, every row an approved application (a long file: its own problems and first 200 rows only);
 * - payment import of the same file: 202 at once, then the job checks every row and applies 50,000 audited moves in
 *   transactions (imports queue, two local pollers as the dev stack runs it) and enqueues the fan-out;
 * - student file (at most 5,000 rows), every student new; the same file again (all unchanged).
 */
import { batchPut } from "../../core/db/client.js";
import * as applications from "../../core/applications/index.js";
import * as schools from "../../core/schools/index.js";
import * as staff from "../../core/staff/index.js";
import * as students from "../../core/students/index.js";
import * as tenants from "../../core/tenants/index.js";
import { app } from "../http/app.js";
import { startQueueRunner } from "../dev/queue-runner.js";
import { handler as imports } from "../queues/imports.js";

export interface BigFileFigure {
  what: string;
  rows: number;
  status: number;
  seconds: number;
  responseKiB: number;
  rssMiB: number;
  note: string;
}

const HEADER = "batch_id,student_no,programme,term,amount,paid_date,account_last4";
const STUDENT_HEADER = "姓名,学籍号,学校,年级,班级,监护人1姓名,监护人1关系,监护人1手机";

async function timed(what: string, rows: number, token: string, path: string, body: string): Promise<BigFileFigure> {
  const t0 = performance.now();
  const res = await app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body,
  });
  const text = await res.text();
  const seconds = (performance.now() - t0) / 1000;
  let note = "";
  try {
    const json = JSON.parse(text) as {
      error?: { code: string; details?: unknown[] };
      errors?: unknown[];
      created?: number;
      unchanged?: number;
      rows?: unknown;
      job?: { id: string };
    };
    if (json.job) {
      // The request only stored the file; the imports worker does the rest. Wait for it, reading the job as the console does.
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const poll = await app.request(`/api/jobs/${json.job.id}`, { headers: { authorization: `Bearer ${token}` } });
        const job = (await poll.json()) as { state: string; rowsDone: number; errorCount: number; errors: unknown[] };
        if (job.state === "done" || job.state === "invalid") {
          const jobSeconds = (performance.now() - t0) / 1000;
          note = `202 in ${seconds.toFixed(1)} s; job ${job.state} after ${jobSeconds.toFixed(1)} s (${job.state === "done" ? `${job.rowsDone} rows` : `${job.errorCount} errors, ${job.errors.length} listed, ${Math.round(JSON.stringify(job).length / 1024)} KiB`})`;
          break;
        }
      }
    } else if (json.error) note = `${json.error.code}, ${json.error.details?.length ?? 0} details listed`;
    else if (json.errors) note = `${json.errors.length} errors listed`;
    else if (json.created !== undefined) note = `created ${json.created}, unchanged ${json.unchanged}`;
    else if (typeof json.rows === "number") note = `${json.rows} paid`;
    else if (Array.isArray(json.rows)) note = `${json.rows.length} rows listed`;
  } catch {
    note = "not JSON";
  }
  return {
    what,
    rows,
    status: res.status,
    seconds,
    responseKiB: Math.round(Buffer.byteLength(text) / 1024),
    rssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
    note,
  };
}

export async function benchBigFiles(opts: { rows?: number } = {}): Promise<BigFileFigure[]> {
  const N = opts.rows ?? 50_000;
  const studentRows = Math.min(N, 5000);
  const tenant = `benchf-${Date.now().toString(36)}`;
  await tenants.put({
    id: tenant,
    name: "压测县教育局",
    hotline: "0000-1234567",
    timeZone: "Asia/Shanghai",
    templates: {},
  });
  await schools.create(tenant, {
    id: "bench-primary",
    name: "压测小学",
    kind: "primary",
    township: "城关镇",
    directlyUnderCounty: true,
  });
  const bureau = (await staff.issue(tenant, { role: "bureau", label: "bench" }, "bench")).token;
  const school = (await staff.issue(tenant, { role: "school", schoolId: "bench-primary", label: "bench" }, "bench"))
    .token;
  const figures: BigFileFigure[] = [];
  const runner = startQueueRunner({ handlers: { imports }, concurrency: 2 });
  try {
    const unknown = Array.from(
      { length: N },
      (_, i) => `U-${N},G99${String(i).padStart(12, "0")},compulsory_living,2025-autumn,625,2025-11-18,0042`,
    );
    figures.push(
      await timed("payment file, unknown students", N, bureau, "/api/payments", [HEADER, ...unknown].join("\n")),
    );

    // N approved applications, seeded in bulk (as the notification bench does), then the file that pays them.
    const system = { id: "bench", role: "system" } as const;
    const imported = students.importItems(
      tenant,
      Array.from({ length: N }, (_, i) => ({
        studentNo: `G88${String(i).padStart(12, "0")}`,
        name: `学生${i}`,
        schoolId: "bench-primary",
        grade: String((i % 6) + 1),
        class: String((i % 8) + 1),
        guardians: [{ name: "家长", relation: "母亲", phone: `1380000${String(i % 10000).padStart(4, "0")}` }],
      })),
    );
    const items: Record<string, unknown>[] = [...imported.items];
    for (const student of imported.students) {
      const { put } = applications.historyItems(
        tenant,
        {
          studentId: student.id,
          schoolId: "bench-primary",
          programme: "compulsory_living",
          term: "2025-autumn",
          amountFen: 62500,
        },
        system,
        [
          { to: "school_approved" },
          { to: "county_approved", directlyUnderCounty: true },
          {
            to: "publicizing",
            publicity: {
              listId: "evt_bench0000000000",
              start: "2025-10-01",
              end: "2025-10-07",
              objectionContact: "学校",
            },
          },
          { to: "approved" },
        ],
      );
      items.push(put.Item);
    }
    await batchPut(items, 8);
    const good = imported.students.map(
      (s) => `P-${N},${s.studentNo},compulsory_living,2025-autumn,625,2025-11-18,0042`,
    );
    const goodFile = [HEADER, ...good].join("\n");
    figures.push(await timed("payment preview, approved students", N, bureau, "/api/payments/preview", goodFile));
    figures.push(await timed("payment import, approved students", N, bureau, "/api/payments", goodFile));

    // A student file holds at most 5,000 rows (core/staff/student-import.ts MAX_ROWS): a school's roster, not a county's.
    const roster = Array.from({ length: studentRows }, (_, i) =>
      [
        `学生${i}`,
        `G55${String(i).padStart(12, "0")}`,
        "bench-primary",
        "4",
        String((i % 8) + 1),
        "家长",
        "母亲",
        "13900001234",
      ].join(","),
    );
    const rosterFile = [STUDENT_HEADER, ...roster].join("\n");
    figures.push(await timed("student file, all new (school token)", studentRows, school, "/api/students", rosterFile));
    figures.push(await timed("student file again, all unchanged", studentRows, school, "/api/students", rosterFile));
  } finally {
    await runner.stop();
  }
  return figures;
}

export function printBigFiles(figures: BigFileFigure[], load: string): void {
  console.log(`\n## Big files through the staff API (Lambda timeout 20 s; ${load})\n`);
  console.log("| file | rows | status | seconds | response KiB | RSS MiB | answer |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const f of figures)
    console.log(
      `| ${f.what} | ${f.rows} | ${f.status} | ${f.seconds.toFixed(1)} | ${f.responseKiB} | ${f.rssMiB} | ${f.note} |`,
    );
}
