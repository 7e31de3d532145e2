/**
 * Bench (not part of `npm test`): how long GET /api/dashboard takes for a big county. Starts a throwaway local
 * stack (DynamoDB Local + SQS emulator), seeds one county — 140 schools in 20 townships, N students (default
 * 50,000) with one application each and a second for every third, stages spread as in a busy autumn term — with
 * bulk writes in the records' own shapes (as data older than the counters is), then times the dashboard for the
 * bureau, a township and one school: before — recounted from the records, as the page did until the counters —
 * then the counters' rebuild (the migration), then after — read from the counters — and checks both give the
 * same figures. Also counts the DynamoDB requests per call.
 *
 *   npx tsx functions/cli/bench-dashboard.ts [--students 50000] [--runs 5]
 *   (STORAGE_TIMEOUT_MS=… raises the per-call storage timeout when the machine is loaded)
 */
import { availableParallelism, loadavg } from "node:os";
import { startLocalStack } from "../../core/local/stack.js";
import { resetConfig } from "../../core/config.js";
import { batchPut, ddb } from "../../core/db/client.js";
import { keys } from "../../core/db/keys.js";
import { Programmes, type Programme } from "../../core/applications/programmes.js";
import type { Stage } from "../../core/applications/stages.js";
import type { Source } from "../../core/actions/dashboard.js";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const N = flag("students") ?? 50_000;
const RUNS = flag("runs") ?? 5;
const TERM = "2025-autumn";

const stack = await startLocalStack({ queuePrefix: "benchdash" });
Object.assign(process.env, stack.env);
resetConfig();
try {
  const tenants = await import("../../core/tenants/index.js");
  const schools = await import("../../core/schools/index.js");
  const staff = await import("../../core/staff/index.js");
  const { app } = await import("../http/app.js");
  const { dashboard } = await import("../../core/actions/dashboard.js");
  const { rebuild } = await import("../../core/applications/tally-store.js");
  const tenant = `benchdash-${Date.now().toString(36)}`;
  await tenants.put({
    id: tenant,
    name: "测试县学生资助管理中心",
    hotline: "0000-0000000",
    timeZone: "Asia/Shanghai",
    templates: {},
  });
  const schoolIds: string[] = [];
  for (let s = 0; s < 140; s++) {
    const id = `sch${String(s).padStart(3, "0")}`;
    schoolIds.push(id);
    await schools.create(tenant, {
      id,
      name: `第${s + 1}学校`,
      kind: s % 7 === 0 ? "senior" : "primary",
      township: `乡镇${(s % 20) + 1}`,
    });
  }
  const stageOf = (i: number): Stage => {
    const r = (i * 7919) % 100;
    return r < 50
      ? "paid"
      : r < 70
        ? "approved"
        : r < 80
          ? "publicizing"
          : r < 90
            ? "county_approved"
            : r < 95
              ? "school_approved"
              : "rejected";
  };
  const programmes = Object.keys(Programmes) as Programme[];
  const items: Record<string, unknown>[] = [];
  const at = new Date().toISOString();
  let apps = 0;
  for (let i = 0; i < N; i++) {
    const studentId = `stu_bench${String(i).padStart(7, "0")}`;
    const schoolId = schoolIds[i % schoolIds.length]!;
    items.push({
      ...keys.student(tenant, studentId),
      ...keys.studentBySchool(tenant, schoolId, "三年级", "2班", studentId),
      type: "student",
      id: studentId,
      tenant,
      studentNo: `G${String(510000000000000000 + i)}`,
      name: `学生${i}`,
      schoolId,
      grade: "三年级",
      class: "2班",
      guardians: [{ name: "家长", relation: "母亲", phone: `138${String(i).padStart(8, "0")}` }],
      createdAt: at,
      updatedAt: at,
    });
    const mine = i % 3 === 0 ? [programmes[i % 2]!, programmes[2 + (i % 8)]!] : [programmes[i % programmes.length]!];
    for (const programme of mine) {
      const id = `app_bench${String(apps++).padStart(8, "0")}`;
      const stage = stageOf(apps);
      const amountFen = 62500;
      const a = {
        id,
        tenant,
        studentId,
        schoolId,
        programme,
        term: TERM,
        amountFen,
        stage,
        stageChangedAt: at,
        createdAt: at,
        ...(stage === "paid"
          ? { payment: { batchId: "B-BENCH", paidDate: "2025-11-18", amountFen, accountLast4: "0042" } }
          : {}),
      };
      items.push({
        ...keys.application(tenant, id),
        ...keys.applicationOfStudent(tenant, studentId, TERM, programme, id),
        ...keys.applicationByStage(tenant, programme, TERM, stage, id),
        type: "application",
        ...a,
      });
    }
  }
  const seedStart = performance.now();
  await batchPut(items, 8);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${N} students, ${apps} applications in ${seedSeconds.toFixed(1)} s`);

  const bureau = (await staff.issue(tenant, { role: "bureau", label: "县资助中心" }, "bench")).token;
  const township = (await staff.issue(tenant, { role: "township", township: "乡镇2", label: "乡镇2中心校" }, "bench"))
    .token;
  const school = (await staff.issue(tenant, { role: "school", schoolId: "sch001", label: "第2学校" }, "bench")).token;

  // Every DynamoDB request the client sends, counted (queries and pages alike).
  let requests = 0;
  ddb().middlewareStack.add(
    (next) => async (a) => {
      requests++;
      return next(a);
    },
    { step: "initialize", name: "benchCount" },
  );
  const median = (ms: number[]) => ms[Math.floor(ms.length / 2)]!;
  const fmt = (ms: number[], calls: number) =>
    `runs, sorted: ${ms.map((x) => Math.round(x)).join(", ")} ms → median ${Math.round(median(ms))} ms, ${calls} DynamoDB requests per call`;
  type Figures = Awaited<ReturnType<typeof dashboard>>;
  /** The core verb, as the route calls it, for either source. */
  const timeCore = async (token: string, source: Source) => {
    const who = (await staff.resolve(token))!;
    const ms: number[] = [];
    let figures: Figures | undefined;
    const before = requests;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      figures = await dashboard(who, TERM, source);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { ms, figures: figures!, calls: Math.round((requests - before) / RUNS) };
  };
  /** GET /api/dashboard end to end (auth, scope, counters, reach, JSON). */
  const timeHttp = async (token: string) => {
    const ms: number[] = [];
    let body: { totals?: unknown } = {};
    const before = requests;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const res = await app.request(`/api/dashboard?term=${TERM}`, { headers: { authorization: `Bearer ${token}` } });
      body = (await res.json()) as typeof body;
      ms.push(performance.now() - t0);
      // A loaded machine can push one storage call past STORAGE_TIMEOUT_MS (→ 503): say so rather than stop.
      if (res.status !== 200) console.log(`run ${r + 1}: ${res.status} after ${Math.round(ms.at(-1)!)} ms`);
    }
    ms.sort((a, b) => a - b);
    return { ms, totals: body.totals, calls: Math.round((requests - before) / RUNS) };
  };
  const same = (a: Figures, b: Figures) =>
    JSON.stringify({ ...a, computedAt: "" }) === JSON.stringify({ ...b, computedAt: "" });

  // Before: the figures recounted from every application record (what GET /api/dashboard did until the counters).
  const recB = await timeCore(bureau, "records");
  const recT = await timeCore(township, "records");
  const recS = await timeCore(school, "records");
  // The migration: the counters rebuilt once from the records (the data above was bulk-written, like old data).
  const r0 = performance.now();
  const rebuilt = await rebuild(tenant, TERM);
  const rebuildSeconds = (performance.now() - r0) / 1000;
  // After: the counters.
  const cntB = await timeCore(bureau, "counters");
  const cntT = await timeCore(township, "counters");
  const cntS = await timeCore(school, "counters");
  const httpB = await timeHttp(bureau);
  const httpS = await timeHttp(school);

  console.log(`# Dashboard bench — node ${process.version}, ${new Date().toISOString()}`);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")} (1/5/15 min, ${availableParallelism()} cores)`,
  );
  console.log(
    `seeded ${N} students, ${apps} applications, 140 schools in ${seedSeconds.toFixed(1)} s (${items.length} items)`,
  );
  console.log(
    `rebuild (migration) of ${rebuilt.applications} applications: ${rebuildSeconds.toFixed(1)} s, ${rebuilt.counters} counter items, ${rebuilt.paidStudents} paid students`,
  );
  console.log("| scope | before: from records | after: from counters | speed-up | figures equal |");
  console.log("|---|---|---|---:|---|");
  for (const [scope, rec, cnt] of [
    ["bureau (county)", recB, cntB],
    ["township (7 schools)", recT, cntT],
    ["one school", recS, cntS],
  ] as const) {
    console.log(
      `| ${scope} | ${fmt(rec.ms, rec.calls)} | ${fmt(cnt.ms, cnt.calls)} | ×${(median(rec.ms) / median(cnt.ms)).toFixed(0)} | ${same(rec.figures, cnt.figures) ? "yes" : "NO"} |`,
    );
  }
  console.log(`GET /api/dashboard, bureau: ${fmt(httpB.ms, httpB.calls)}; totals ${JSON.stringify(httpB.totals)}`);
  console.log(`GET /api/dashboard, one school: ${fmt(httpS.ms, httpS.calls)}; totals ${JSON.stringify(httpS.totals)}`);
} finally {
  await stack.stop();
}
