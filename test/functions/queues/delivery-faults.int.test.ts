/**
 * Faults on the delivery path, injected over the wire (issue 10): the SQS emulator redelivering one message many
 * times at once, and the fake WeChat API answering 45047 (customer-service/window quota) and 45009 (daily quota).
 * Every outcome is recorded on the notification; nothing is sent twice and nothing is retried forever.
 */
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryAll, withoutKeys } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import { deliver } from "../../../core/notifications/delivery.js";
import { NotificationInfo } from "../../../core/notifications/records.js";
import { QueueDefinitions } from "../../../core/queue/definitions.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import type { SqsRecord } from "../../../functions/queues/sqs-event.js";
import { FAKE_WECHAT_PATHS } from "../../fakes/wechat-api.js";
import { SCHOOL, addKids, api, settled, setupWorld, waitFor, type World } from "./support.js";

let w: Omit<World, "kids">;
const runners: Runner[] = [];
const sqs = () =>
  new SQSClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.SQS_ENDPOINT,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

beforeAll(async () => {
  w = await setupWorld();
}, 120_000);

afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
});

afterAll(async () => {
  await w?.fake.stop();
});

const templateCalls = (errcode: number) =>
  w.fake.calls.filter((c) => c.path === FAKE_WECHAT_PATHS.templateSend && c.errcode === errcode).length;

/** Every notification of an event, whole (ids, errcodes), read consistently. */
async function notificationsOf(tenant: string, eventId: string): Promise<NotificationInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": keys.notificationsOfEventPk(tenant, eventId), ":p": "NTF#" },
    ConsistentRead: true,
  });
  return items.map((i) => NotificationInfo.parse(withoutKeys(i)));
}

/** A class of `n` students with one WeChat guardian each, and an urgent broadcast to it (fanned out, not delivered). */
async function broadcastTo(klass: string, n: number) {
  await addKids(w.tenant, n, { guardians: () => 1, grade: () => "5", klass: () => klass });
  const fanoutOnly = startQueueRunner({ handlers: { fanout }, concurrency: 1 });
  runners.push(fanoutOnly);
  const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
    audience: { schoolId: SCHOOL, grade: "5", class: klass },
    text: "明天上午九点开家长会。",
    urgent: true,
  });
  expect(res.status).toBe(201);
  const eventId = res.body.broadcast.id as string;
  const notes = await waitFor(async () => {
    const list = await notificationsOf(w.tenant, eventId);
    return list.length === n ? list : undefined;
  });
  await fanoutOnly.idle();
  return { eventId, notes };
}

describe("delivery under faults", () => {
  it("sends one message per guardian when every delivery message arrives twenty times at once", async () => {
    const { eventId, notes } = await broadcastTo("31", 3);
    const before = templateCalls(0);
    // The storm: 20 more copies of each job, on top of the ones fan-out queued, handled by four pollers at once.
    const jobs = notes.map((n) => JSON.stringify({ tenant: w.tenant, eventId, notificationId: n.id }));
    const copies = jobs.flatMap((body) => Array.from({ length: 20 }, () => body));
    for (let i = 0; i < copies.length; i += 10)
      await sqs().send(
        new SendMessageBatchCommand({
          QueueUrl: w.queues.delivery.url,
          Entries: copies.slice(i, i + 10).map((MessageBody, j) => ({ Id: `m${i + j}`, MessageBody })),
        }),
      );
    const runner = startQueueRunner({ handlers: { delivery }, concurrency: 4 });
    runners.push(runner);
    const report = await settled(w.schoolToken, eventId, 90_000);
    await runner.idle();
    expect(report.counts).toMatchObject({ sent: 3, failed: 0, queued: 0 });

    // And once more, straight into the Lambda handler: ten invocations of the same record in parallel.
    const record = (i: number): SqsRecord => ({
      messageId: `storm-${i}`,
      receiptHandle: `storm-${i}`,
      body: jobs[0]!,
      attributes: { ApproximateReceiveCount: "1" },
      messageAttributes: {},
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:local:000000000000:delivery",
      awsRegion: "local",
    });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => delivery({ Records: [record(i)] })));
    expect(answers.flatMap((a) => a.batchItemFailures)).toEqual([]);

    // Counted at WeChat's door (every request, not only the ones the fake's own client_msg_id dedupe kept).
    expect(templateCalls(0) - before).toBe(3);
    const after = await notificationsOf(w.tenant, eventId);
    expect(after.map((n) => n.status)).toEqual(["sent", "sent", "sent"]);
  }, 120_000);

  it("records WeChat's 45047 (quota of the window used up) as failed and does not try again", async () => {
    const { eventId } = await broadcastTo("32", 2);
    const before = templateCalls(45047);
    w.fake.failNext(FAKE_WECHAT_PATHS.templateSend, 45047, 1);
    const runner = startQueueRunner({ handlers: { delivery }, concurrency: 2 });
    runners.push(runner);
    const report = await settled(w.schoolToken, eventId, 60_000);
    await runner.idle();
    expect(report.counts).toMatchObject({ sent: 1, failed: 1, queued: 0 });
    expect(templateCalls(45047) - before).toBe(1);
    const failed = (await notificationsOf(w.tenant, eventId)).filter((n) => n.status === "failed");
    expect(failed.map((n) => n.reason)).toEqual(["wechat_45047"]);
  }, 90_000);

  it("puts a 45009 (daily quota) notice back for later, and records it failed on the queue's last try", async () => {
    const { eventId, notes } = await broadcastTo("33", 1);
    const before = templateCalls(45009);
    w.fake.failNext(FAKE_WECHAT_PATHS.templateSend, 45009, 2);
    const runner = startQueueRunner({ handlers: { delivery }, concurrency: 1 });
    runners.push(runner);
    await waitFor(async () => templateCalls(45009) - before === 1 || undefined);
    await runner.idle();
    // Put back with the reason (the queue holds the message for an hour: the quota resets at midnight).
    const waiting = await waitFor(async () => {
      const [n] = await notificationsOf(w.tenant, eventId);
      return n?.status === "queued" && n.reason === "wechat_45009" ? n : undefined;
    });
    expect(waiting.errcode).toBe(45009);
    expect(templateCalls(45009) - before).toBe(1);

    // The queue's last receive: still over quota → failed, recorded, not thrown back to the queue.
    const job = { tenant: w.tenant, eventId, notificationId: notes[0]!.id };
    const last = await deliver(job, { receiveCount: QueueDefinitions.delivery.maxReceiveCount });
    expect(last).toBe("failed");
    const [n] = await notificationsOf(w.tenant, eventId);
    expect(n).toMatchObject({ status: "failed", reason: "retries_exhausted", errcode: 45009 });
    expect(templateCalls(45009) - before).toBe(2);
  }, 90_000);
});
