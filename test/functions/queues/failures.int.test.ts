import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatusers from "../../../core/chatusers/index.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { FAKE_WECHAT_PATHS } from "../../fakes/wechat-api.js";
import {
  SCHOOL,
  addKids,
  api,
  notificationsOf,
  sendsByUser,
  settled,
  setupWorld,
  type Kid,
  type World,
} from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
let kids: Kid[];
const sqs = () =>
  new SQSClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.SQS_ENDPOINT,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

beforeAll(async () => {
  w = await setupWorld();
  kids = await addKids(w.tenant, 8, { guardians: () => 1, grade: () => "6", klass: () => "1" });
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
});

const templateCalls = (errcode: number) =>
  w.fake.calls.filter((c) => c.path === FAKE_WECHAT_PATHS.templateSend && c.errcode === errcode).length;

describe("delivery when WeChat fails", () => {
  it("retries busy errors later until they succeed, and records permanent failures without retrying", async () => {
    w.fake.failNext(FAKE_WECHAT_PATHS.templateSend, -1, 2);
    w.fake.failNext(FAKE_WECHAT_PATHS.templateSend, 43004, 1);
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "6", class: "1" },
      text: "家长会改期。",
      urgent: true,
    });
    expect(res.status).toBe(201);
    const report = await settled(w.schoolToken, res.body.broadcast.id, 60_000);
    expect(report.counts).toMatchObject({ sent: 7, failed: 1, queued: 0 });
    expect(templateCalls(-1)).toBe(2);
    expect(templateCalls(43004)).toBe(1);
    expect(templateCalls(0)).toBe(7);
    const sends = sendsByUser(w.fake);
    expect(sends.size).toBe(7);
    for (const list of sends.values()) expect(list).toHaveLength(1);
    const failed = (await notificationsOf(w.tenant, res.body.broadcast.id)).filter((n) => n.status === "failed");
    expect(failed.map((n) => n.reason)).toEqual(["wechat_43004"]);
    // 43004 is WeChat's "not following": the teacher reads 已取消关注, not a bare 发送失败.
    expect(report.unreached.students).toEqual([
      expect.objectContaining({ reason: "unfollowed", reasonLabel: "已取消关注" }),
    ]);
  }, 90_000);

  it("does not call WeChat for a user who no longer follows the account", async () => {
    const kid = kids[3]!;
    await chatusers.setFollowing(w.tenant, kid.users[0]!, false);
    const calls = w.fake.calls.length;
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "6", class: "1" },
      text: "放假通知。",
      urgent: true,
    });
    const report = await settled(w.schoolToken, res.body.broadcast.id);
    expect(report.counts).toMatchObject({ sent: 7, failed: 1 });
    expect(w.fake.calls.length - calls).toBe(7);
    await chatusers.setFollowing(w.tenant, kid.users[0]!, true);
  });

  it("moves poison messages to the dead-letter queue with their reason", async () => {
    await sqs().send(new SendMessageCommand({ QueueUrl: w.queues.delivery.url, MessageBody: "not json at all" }));
    await sqs().send(
      new SendMessageCommand({
        QueueUrl: w.queues.delivery.url,
        MessageBody: JSON.stringify({
          tenant: w.tenant,
          eventId: "evt_0000000000000000",
          notificationId: "ntf_0000000000000000",
        }),
      }),
    );
    await runner.idle();
    const reasons: string[] = [];
    for (let i = 0; i < 5 && reasons.length < 2; i++) {
      const out = await sqs().send(
        new ReceiveMessageCommand({
          QueueUrl: w.queues.delivery.dlqUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ["All"],
          WaitTimeSeconds: 1,
        }),
      );
      for (const m of out.Messages ?? []) reasons.push(m.MessageAttributes?.reason?.StringValue ?? "");
    }
    expect(reasons.sort()).toEqual([
      expect.stringMatching(/body is not JSON/),
      expect.stringMatching(/notification .* not found/),
    ]);
  });
});
