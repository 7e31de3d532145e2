/**
 * Bench: sustained load at fixed rates on the full WeChat webhook path, next to the peer in the same run.
 * Each side runs in a process of its own (bench-sustained-server.ts) so its RSS is its own; autocannon (the
 * maintained HTTP load generator of the Node ecosystem, pure JS) sends distinct signed and encrypted safe-mode
 * pushes — policy questions from new users, prepared before the clock starts — at `rate` requests/s for
 * `seconds`. Printed: achieved req/s, p50 / p99, errors (non-2xx, socket errors, timeouts), and the server's RSS
 * sampled every second, as a time series every tenth of the run.
 *
 *   npm run bench -- sustained --seconds 60 --rates 50,100
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { benchTenant, signedTextPush } from "./bench-cost.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const QUESTIONS = [
  "小学住校一年补多少",
  "高中助学金一年多少钱",
  "助学贷款在哪办",
  "中职免学费吗",
  "大学新生路费补助怎么申请",
];

export interface SustainedSlice {
  second: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rssMiB: number;
}

export interface SustainedRun {
  side: "peer" | "ours";
  rate: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rssMiB: { start: number; end: number; max: number };
  slices: SustainedSlice[];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const mib = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

async function startServer(side: "ours" | "peer", env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/cli/bench-sustained-server.ts", side], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rss: { at: number; rss: number }[] = [];
  const origin = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${side} server exited (${code})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const msg = JSON.parse(line) as { origin?: string; rss?: number };
        if (msg.origin) resolve(msg.origin);
        if (typeof msg.rss === "number") rss.push({ at: performance.now(), rss: msg.rss });
      } catch {
        // not ours
      }
    });
  });
  return {
    origin,
    rss,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function drive(origin: string, pushes: { path: string; body: string }[], rate: number, seconds: number) {
  let i = 0;
  const samples: { at: number; ms: number; ok: boolean }[] = [];
  const t0 = performance.now();
  const options: autocannon.Options = {
    url: origin,
    connections: Math.max(8, Math.min(64, Math.ceil(rate / 10))),
    overallRate: rate,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "text/xml" },
        setupRequest: (req) => {
          const p = pushes[i++ % pushes.length]!;
          return { ...req, path: p.path, body: p.body };
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolve(res)));
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) =>
      samples.push({ at: performance.now() - t0, ms, ok: status === 200 }),
    );
  });
  const failures = (result.errors ?? 0) + (result.timeouts ?? 0);
  return { samples, failures, t0 };
}

export async function benchSustained(
  opts: { seconds?: number; rates?: number[] } = {},
): Promise<{ runs: SustainedRun[] }> {
  const seconds = opts.seconds ?? 60;
  const rates = opts.rates ?? [50, 100];
  const tenant = await benchTenant("bench-sus");
  const env = { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent" };
  const runs: SustainedRun[] = [];
  for (const rate of rates) {
    for (const side of ["peer", "ours"] as const) {
      const base = side === "peer" ? "/wechat" : `/wechat/${tenant}`;
      // Distinct pushes (a repeated MsgId would be a cheap duplicate on our side), signed before the clock starts.
      const n = Math.ceil(rate * seconds * 1.1) + 200;
      const pushes = Array.from({ length: n }, (_, k) =>
        signedTextPush(base, `osus${randomBytes(6).toString("hex")}`, QUESTIONS[k % QUESTIONS.length]!),
      );
      const server = await startServer(side, env);
      try {
        await drive(server.origin, pushes.splice(0, 200), Math.min(rate, 50), 2); // warm-up
        const startAt = performance.now();
        const { samples, failures } = await drive(server.origin, pushes, rate, seconds);
        const rssDuring = server.rss.filter((r) => r.at >= startAt).map((r) => r.rss);
        const lat = samples.map((s) => s.ms).sort((a, b) => a - b);
        const slices: SustainedSlice[] = [];
        const step = Math.max(1, Math.round(seconds / 10));
        for (let s = 0; s < seconds; s += step) {
          const inSlice = samples.filter((x) => x.at >= s * 1000 && x.at < (s + step) * 1000);
          const l = inSlice.map((x) => x.ms).sort((a, b) => a - b);
          const rssAt = server.rss.filter((r) => r.at - startAt <= (s + step) * 1000).pop()?.rss ?? 0;
          slices.push({
            second: s + step,
            rps: inSlice.length / step,
            p50: percentile(l, 50),
            p99: percentile(l, 99),
            errors: inSlice.filter((x) => !x.ok).length,
            rssMiB: mib(rssAt),
          });
        }
        runs.push({
          side,
          rate,
          seconds,
          rps: samples.length / seconds,
          p50: percentile(lat, 50),
          p99: percentile(lat, 99),
          errors: samples.filter((x) => !x.ok).length + failures,
          rssMiB: {
            start: mib(rssDuring[0] ?? 0),
            end: mib(rssDuring.at(-1) ?? 0),
            max: mib(Math.max(0, ...rssDuring)),
          },
          slices,
        });
      } finally {
        await server.stop();
      }
    }
  }
  return { runs };
}

export function printSustained(b: { runs: SustainedRun[] }, load: string): void {
  console.log(
    "\n## Sustained load: fixed rates on the full WeChat webhook path (autocannon; each server in its own process)",
  );
  console.log(
    `Ours = verify + decrypt + DynamoDB dedupe + real offline assistant + encrypted reply; peer = node-webot on express, fixed text, no storage. Load: ${load}`,
  );
  console.log(
    "| side | target req/s | seconds | achieved req/s | p50 ms | p99 ms | errors | RSS start → end (max) MiB | vs peer p99 |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---|---:|");
  for (const r of b.runs) {
    const peer = b.runs.find((x) => x.side === "peer" && x.rate === r.rate);
    const vs = r.side === "ours" && peer && peer.p99 > 0 ? `×${(r.p99 / peer.p99).toFixed(2)}` : "—";
    console.log(
      `| ${r.side} | ${r.rate} | ${r.seconds} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${r.rssMiB.start} → ${r.rssMiB.end} (${r.rssMiB.max}) | ${vs} |`,
    );
  }
  console.log("\nOver time (each tenth of the run: req/s, p50 / p99 ms, errors, RSS MiB):");
  for (const r of b.runs) {
    console.log(
      `- ${r.side} @ ${r.rate}/s: ` +
        r.slices
          .map(
            (s) =>
              `${s.second}s ${s.rps.toFixed(0)}/s ${s.p50.toFixed(0)}/${s.p99.toFixed(0)} ms e${s.errors} ${s.rssMiB}M`,
          )
          .join(" · "),
    );
  }
}
