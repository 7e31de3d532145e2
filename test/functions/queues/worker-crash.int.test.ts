import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import * as audit from "../../../core/audit/index.js";
import {
  SCHOOL,
  addKids,
  api,
  notificationsOf,
  sendsByUser,
  settled,
  setupWorld,
  waitFor,
  type Kid,
  type World,
} from "./support.js";

let w: Omit<World, "kids">;
let kids: Kid[];
const children: ChildProcess[] = [];

/** The workers as their own process (functions/dev/workers.ts), as the Lambda consumers would run: killable. */
async function startWorkers(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "functions/dev/workers.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: "silent", WORKER_CONCURRENCY: "2" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`workers exited early (${code})`)));
    lines.on("line", (l) => l.includes('"ready":true') && resolve());
  });
  return child;
}

async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

beforeAll(async () => {
  w = await setupWorld();
  // A message the dead worker held comes back after the visibility timeout; shorten it so the test is quick.
  const sqs = new SQSClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.SQS_ENDPOINT,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  for (const q of [w.queues.fanout.url, w.queues.delivery.url]) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q, Attributes: { VisibilityTimeout: "4" } }));
  }
  // 60 students: every 6th unreachable, every 4th with two guardians.
  kids = await addKids(w.tenant, 60, {
    guardians: (i) => (i % 6 === 0 ? 0 : i % 4 === 0 ? 2 : 1),
    application: { programme: "compulsory_living", term: "2025-autumn", stage: "county_approved", amountFen: 62500 },
  });
  w.fake.setLatency(40);
}, 180_000);

afterAll(async () => {
  for (const c of children) await kill(c);
  await w?.fake.stop();
});

describe("a worker killed mid-batch", () => {
  it("leaves every guardian with exactly one message after a restart, and the applications as published", async () => {
    let worker = await startWorkers();
    const res = await api(w.bureau, "POST", "/api/lists", {
      programme: "compulsory_living",
      term: "2025-autumn",
      scope: { kind: "school", schoolId: SCHOOL },
      applicationIds: kids.map((k) => k.appId!),
      publicity: { start: "2025-11-01", end: "2025-11-07" },
      objectionContact: "向阳小学资助办 0000-1234567",
    });
    expect(res.status).toBe(201);
    const listId = res.body.list.id as string;
    const guardians = kids.flatMap((k) => k.users);

    await waitFor(async () => w.fake.sends.length >= 15, 30_000, "the first sends");
    await kill(worker);
    const atKill = w.fake.sends.length;
    expect(atKill).toBeLessThan(guardians.length);
    const midway = await notificationsOf(w.tenant, listId);
    expect(midway.some((n) => n.status === "queued" || n.status === "sending")).toBe(true);

    worker = await startWorkers();
    const report = await settled(w.bureau, listId, 90_000);
    await kill(worker);

    const sends = sendsByUser(w.fake);
    expect(sends.size).toBe(guardians.length);
    for (const u of guardians) expect(sends.get(u.slice("wechat:".length))).toHaveLength(1);
    expect(report.counts).toMatchObject({
      sent: guardians.length,
      unreachable: kids.filter((k) => k.users.length === 0).length,
      failed: 0,
    });

    for (const k of kids.slice(0, 12)) {
      expect((await applications.fromId(w.tenant, k.appId!))?.stage).toBe("publicizing");
      expect((await audit.trail(w.tenant, k.appId!)).filter((r) => r.to === "publicizing")).toHaveLength(1);
    }
  }, 150_000);
});
