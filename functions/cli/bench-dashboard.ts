/**
 * Bench (not part of `npm test`): how long GET /api/dashboard takes for a big county. Starts a throwaway local
 * stack (DynamoDB Local + SQS emulator), seeds one county — 140 schools in 20 townships, N students (default
 * 50,000) with one application each and a second for every third, stages spread as in a busy autumn term — with
 * bulk writes in the records' own shapes, then times the dashboard call for the bureau and for one school.
 *
 *   npx tsx functions/cli/bench-dashboard.ts [--students 50000] [--runs 5]
 *   (STORAGE_TIMEOUT_MS=… raises the per-call storage timeout when the machine is loaded)
 */
import { availableParallelism, loadavg } from "node:os";
import { startLocalStack } from "../../core/local/stack.js";
import { resetConfig } from "../../core/config.js";
import { batchPut } from "../../core/db/client.js";
import { keys } from "../../core/db/keys.js";
import { Programmes, type Programme } from "../../core/applications/programmes.js";
import type { Stage } from "../../core/applications/stages.js";

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
  const school = (await staff.issue(tenant, { role: "school", schoolId: "sch001", label: "第2学校" }, "bench")).token;
  const time = async (token: string) => {
    const ms: number[] = [];
    let body: { totals?: { applications: number; paidStudents: number; paidFen: number } } = {};
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const res = await app.request(`/api/dashboard?term=${TERM}`, { headers: { authorization: `Bearer ${token}` } });
      body = (await res.json()) as typeof body;
      ms.push(performance.now() - t0);
      // A loaded machine can push one storage call past STORAGE_TIMEOUT_MS (→ 503): say so rather than stop.
      if (res.status !== 200) console.log(`run ${r + 1}: ${res.status} after ${Math.round(ms.at(-1)!)} ms`);
    }
    ms.sort((a, b) => a - b);
    return { ms, totals: body.totals };
  };
  const b = await time(bureau);
  const s = await time(school);
  const fmt = (ms: number[]) =>
    `runs, sorted: ${ms.map((x) => Math.round(x)).join(", ")} ms → median ${Math.round(ms[Math.floor(ms.length / 2)]!)} ms`;
  console.log(`# Dashboard bench — node ${process.version}, ${new Date().toISOString()}`);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")} (1/5/15 min, ${availableParallelism()} cores)`,
  );
  console.log(
    `seeded ${N} students, ${apps} applications, 140 schools in ${seedSeconds.toFixed(1)} s (${items.length} items)`,
  );
  console.log(`bureau (whole county): ${fmt(b.ms)}; totals ${JSON.stringify(b.totals)}`);
  console.log(`one school: ${fmt(s.ms)}; totals ${JSON.stringify(s.totals)}`);
} finally {
  await stack.stop();
}
