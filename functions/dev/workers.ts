/**
 * The notification workers as a process of their own: the fan-out and delivery consumers, and the imports consumer
 * that applies long staff files (the same Lambda handlers) polled by the dev queue runner, configured from the environment like any Lambda. Tests SIGKILL it
 * mid-batch and start it again; the bench reads the memory line it prints.
 *
 *   node --import tsx functions/dev/workers.ts        (env: DYNAMODB_ENDPOINT, SQS_ENDPOINT, *_QUEUE_URL, WECHAT_*)
 *   WORKER_CONCURRENCY=8  pollers per queue (default 4)
 *
 * Prints one JSON line when ready ({"ready":true}) and, every second and on exit, {"peakRss":…,"peakHeapUsed":…}.
 */
import { handler as delivery } from "../queues/delivery.js";
import { handler as fanout } from "../queues/fanout.js";
import { handler as imports } from "../queues/imports.js";
import { startQueueRunner } from "./queue-runner.js";

const concurrency = Math.max(1, Number(process.env.WORKER_CONCURRENCY ?? "4") || 4);
const peak = { peakRss: 0, peakHeapUsed: 0 };
const sample = () => {
  const m = process.memoryUsage();
  peak.peakRss = Math.max(peak.peakRss, m.rss);
  peak.peakHeapUsed = Math.max(peak.peakHeapUsed, m.heapUsed);
};
const report = () => process.stdout.write(JSON.stringify(peak) + "\n");

const runner = startQueueRunner({ handlers: { fanout, delivery, imports }, concurrency });
const sampler = setInterval(sample, 100);
const reporter = setInterval(report, 1000);
sample();
process.stdout.write(JSON.stringify({ ready: true, pid: process.pid, concurrency }) + "\n");

async function shutdown() {
  clearInterval(sampler);
  clearInterval(reporter);
  await runner.stop();
  sample();
  report();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown());
process.once("SIGINT", () => void shutdown());
