/**
 * Bench: a 10,000-student 公示 list, end to end. Seeds students with one bound WeChat guardian each and their
 * county_approved applications, starts the notification workers as their own process (functions/dev/workers.ts,
 * the same Lambda handlers), publishes the list through the staff API and waits until the fake WeChat API has
 * accepted every message. Prints notifications delivered per second (from the POST to the last send) and the
 * worker process's peak memory (RSS / heap used).
 *
 *   import { benchNotifications } from "./bench-notifications.js";
 *   await benchNotifications({ stack });          // or without a stack: starts (and stops) its own
 *
 * Standalone: `npx tsx functions/cli/bench-notifications.ts [students]`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SQSClient } from "@aws-sdk/client-sqs";
import * as applications from "../../core/applications/index.js";
import { resetConfig } from "../../core/config.js";
import { batchPut } from "../../core/db/client.js";
import { bind } from "../../core/families/bindings.js";
import { startFakeWechatApi } from "../../core/local/fake-wechat-api.js";
import { createQueues } from "../../core/local/provision.js";
import { startLocalStack, type LocalStack } from "../../core/local/stack.js";
import { mapLimit } from "../../core/concurrency.js";
import { deliveries } from "../../core/notifications/index.js";
import * as schools from "../../core/schools/index.js";
import * as staff from "../../core/staff/index.js";
import * as students from "../../core/students/index.js";
import * as tenants from "../../core/tenants/index.js";
import { app } from "../http/app.js";

export interface NotificationBenchOptions {
  /** A running local stack; without one the bench starts its own and stops it after. */
  stack?: LocalStack;
  students?: number;
  /** Pollers per queue in the worker process. */
  workerConcurrency?: number;
  /** Print the figures (default true). */
  print?: boolean;
}

export interface NotificationBenchResult {
  students: number;
  notifications: number;
  seedSeconds: number;
  /** The POST /api/lists request (moves every application, audited). */
  publishSeconds: number;
  /** From the POST to the last message accepted by WeChat. */
  endToEndSeconds: number;
  deliveredPerSecond: number;
  worker: { peakRssMiB: number; peakHeapUsedMiB: number; concurrency: number };
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const root = fileURLToPath(new URL("../../", import.meta.url));

function startWorkers(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  ready: Promise<void>;
  peak: () => { peakRss: number; peakHeapUsed: number };
} {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/dev/workers.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let last = { peakRss: 0, peakHeapUsed: 0 };
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`notification workers exited (${code})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const msg = JSON.parse(line) as { ready?: boolean; peakRss?: number; peakHeapUsed?: number };
        if (msg.ready) resolve();
        if (typeof msg.peakRss === "number") last = { peakRss: msg.peakRss, peakHeapUsed: msg.peakHeapUsed ?? 0 };
      } catch {
        // a log line; the workers run with LOG_LEVEL=silent, so there should be none
      }
    });
  });
  return { child, ready, peak: () => last };
}

export async function benchNotifications(opts: NotificationBenchOptions = {}): Promise<NotificationBenchResult> {
  const N = opts.students ?? 10_000;
  const concurrency = opts.workerConcurrency ?? Number(process.env.BENCH_WORKER_CONCURRENCY ?? 6);
  const own = opts.stack ? undefined : await startLocalStack({ queuePrefix: "benchn" });
  const stack = (opts.stack ?? own)!;
  const fake = await startFakeWechatApi({ appId: "wx_bench", secret: "bench_secret" });
  let workers: ReturnType<typeof startWorkers> | undefined;
  const saved = { ...process.env };
  try {
    // Queues of its own, so nothing else polls its messages and nothing left over reaches its workers.
    const sqs = new SQSClient({
      region: stack.region,
      endpoint: stack.sqsEndpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const queues = await createQueues(sqs, `bn${randomBytes(3).toString("hex")}`);
    const env: Record<string, string> = {
      ...stack.env,
      FANOUT_QUEUE_URL: queues.fanout.url,
      FANOUT_DLQ_URL: queues.fanout.dlqUrl,
      DELIVERY_QUEUE_URL: queues.delivery.url,
      DELIVERY_DLQ_URL: queues.delivery.dlqUrl,
      WECHAT_API_BASE: fake.url,
      WECHAT_APP_ID: "wx_bench",
      WECHAT_APP_SECRET: "bench_secret",
      QUIET_HOURS: "",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent",
    };
    Object.assign(process.env, env);
    resetConfig();

    const tenant = `benchn-${Date.now().toString(36)}`;
    await tenants.put({
      id: tenant,
      name: "压测县教育局",
      hotline: "0000-1234567",
      timeZone: "Asia/Shanghai",
      templates: { publicity: "tpl_publicity" },
    });
    // 县直 (reviewed by the county directly): the seeded applications reach county_approved in two steps.
    await schools.create(tenant, {
      id: "bench-primary",
      name: "压测小学",
      kind: "primary",
      township: "城关镇",
      directlyUnderCounty: true,
    });
    const token = (await staff.issue(tenant, { role: "bureau", label: "bench" }, "bench")).token;

    // Seeded in bulk through the records modules' own item builders (as the demo seed does), without the seeded
    // applications' audit history — the bench measures the list's moves (audited) and what follows, not the seed.
    // Bindings have no bulk builder: one by one, alongside.
    const seedStart = performance.now();
    const system = { id: "bench", role: "system" } as const;
    const steps = [{ to: "school_approved" as const }, { to: "county_approved" as const, directlyUnderCounty: true }];
    const imported = students.importItems(
      tenant,
      Array.from({ length: N }, (_, i) => ({
        studentNo: `G5100002000${String(i).padStart(7, "0")}`,
        name: `学生${i}`,
        schoolId: "bench-primary",
        grade: String((i % 6) + 1),
        class: String((i % 8) + 1),
        guardians: [{ name: "家长", relation: "母亲", phone: `1380000${String(i % 10000).padStart(4, "0")}` }],
      })),
    );
    const items: Record<string, unknown>[] = [...imported.items];
    const appIds: string[] = [];
    for (const student of imported.students) {
      const { application, put } = applications.historyItems(
        tenant,
        {
          studentId: student.id,
          schoolId: "bench-primary",
          programme: "compulsory_living",
          term: "2025-autumn",
          amountFen: 62500,
        },
        system,
        steps,
      );
      appIds.push(application.id);
      items.push(put.Item);
    }
    await Promise.all([
      batchPut(items, 8),
      mapLimit(imported.students, 24, (student, i) => bind(tenant, student.id, `wechat:obench${i}`, "seed")),
    ]);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    workers = startWorkers({ ...process.env, ...env, WORKER_CONCURRENCY: String(concurrency) });
    await workers.ready;

    const t0 = performance.now();
    const res = await app.request("/api/lists", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        programme: "compulsory_living",
        term: "2025-autumn",
        scope: { kind: "school", schoolId: "bench-primary" },
        applicationIds: appIds,
        publicity: { start: "2025-11-01", end: "2025-11-07" },
        objectionContact: "压测小学资助办 0000-1234567",
      }),
    });
    const published = (await res.json()) as { moved?: number; list?: { id: string }; error?: unknown };
    if (res.status !== 201 || published.moved !== N || !published.list)
      throw new Error(`publish failed: ${res.status} ${JSON.stringify(published).slice(0, 300)}`);
    const publishSeconds = (performance.now() - t0) / 1000;

    const deadline = Date.now() + 15 * 60_000;
    while (fake.sends.length < N) {
      if (Date.now() > deadline) throw new Error(`only ${fake.sends.length} of ${N} messages arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const endToEndSeconds = (performance.now() - t0) / 1000;

    const report = await deliveries({ tokenId: "bench", tenant, role: "bureau" }, published.list.id);
    const exited = new Promise((r) => workers!.child.once("exit", r));
    workers.child.kill("SIGTERM");
    await exited;
    const peak = workers.peak();

    const result: NotificationBenchResult = {
      students: N,
      notifications: report.counts.sent + report.counts.delivered,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      publishSeconds: Math.round(publishSeconds * 10) / 10,
      endToEndSeconds: Math.round(endToEndSeconds * 10) / 10,
      deliveredPerSecond: Math.round(N / endToEndSeconds),
      worker: { peakRssMiB: mib(peak.peakRss), peakHeapUsedMiB: mib(peak.peakHeapUsed), concurrency },
    };
    if (opts.print !== false) {
      console.log(
        `\n## Notifications: a ${N.toLocaleString("en")}-student 公示 list, end to end (fake WeChat API, DynamoDB Local, fauxqs)`,
      );
      console.log(`seed (students, bindings, applications)            ${result.seedSeconds} s (not measured below)`);
      console.log(`publish: POST /api/lists, ${N} audited moves          ${result.publishSeconds} s`);
      console.log(`POST → last message accepted by WeChat              ${result.endToEndSeconds} s`);
      console.log(
        `notifications delivered per second, end to end      ${result.deliveredPerSecond}/s (${result.notifications} recorded sent)`,
      );
      console.log(
        `worker process peak RSS / heap used                 ${result.worker.peakRssMiB} MiB / ${result.worker.peakHeapUsedMiB} MiB (${concurrency} pollers per queue)`,
      );
    }
    return result;
  } finally {
    if (workers && workers.child.exitCode === null && workers.child.signalCode === null) workers.child.kill("SIGKILL");
    await fake.stop();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    resetConfig();
    await own?.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  process.env.LOG_LEVEL = "silent";
  resetConfig();
  await benchNotifications({ students: Number(process.argv[2] ?? "10000") });
}
