/**
 * The inbound worker against DynamoDB Local and the fake WeChat API: it sends a deferred answer exactly once,
 * never competes with a passive reply, resumes after a crash, and sorts WeChat's errors.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { randomBytes } from "node:crypto";
import type { ReplyFn } from "../../../core/channels/reply.js";
import type { InboundJob } from "../../../core/channels/wechat/answer.js";
import * as records from "../../../core/channels/wechat/dedupe.js";
import { inboundHandler } from "../../../functions/queues/inbound.js";
import type { SqsEvent } from "../../../functions/queues/sqs-event.js";
import { useFakeWechatApi, type FakeWechatApi } from "../../fakes/wechat-api.js";
import { createTenant, isolatedQueues } from "../../support/stack.js";

const APPID = "wx_inbound_test";
const SECRET = "inbound-test-secret";
const CUSTOM = "/cgi-bin/message/custom/send";

const wechat = useFakeWechatApi({ appId: APPID, secret: SECRET });
let fake: FakeWechatApi;
let tenant: string;

const scripted = (text: string) => {
  const calls: string[] = [];
  const reply: ReplyFn = async (input) => {
    calls.push(input.text);
    return { intent: "policy", replies: [{ text }] };
  };
  return { reply, calls };
};

function eventFor(job: InboundJob, receiveCount = 1): SqsEvent {
  return {
    Records: [
      {
        messageId: `m-${randomBytes(4).toString("hex")}`,
        receiptHandle: "test-receipt",
        body: JSON.stringify(job),
        attributes: { ApproximateReceiveCount: String(receiveCount) },
        messageAttributes: {},
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:local:000000000000:inbound",
        awsRegion: "local",
      },
    ],
  };
}

/** A record as the webhook leaves it when it defers: processing → deferred. */
async function deferredRecord(): Promise<InboundJob> {
  const id = records.recordId(`o-${randomBytes(6).toString("hex")}|${Date.now()}`);
  expect((await records.claim(tenant, id)).claimed).toBe(true);
  expect(await records.transition(tenant, id, { from: "processing", to: "deferred" })).toBe(true);
  return { tenant, id, openId: `o${randomBytes(8).toString("hex")}`, ask: { text: "高中助学金多少钱" } };
}

const contents = () => fake.sends.map((s) => (s.body as { text: { content: string } }).text.content);

beforeAll(async () => {
  tenant = (await createTenant()).id;
  await isolatedQueues();
  fake = wechat.api;
});

describe("inbound worker", () => {
  test("sends a deferred answer through the customer-service API once and marks it answered", async () => {
    const { reply, calls } = scripted("高中国家助学金平均每生每年 2300 元。");
    const job = await deferredRecord();
    const handler = inboundHandler({ reply });
    expect(await handler(eventFor(job))).toEqual({ batchItemFailures: [] });
    expect(fake.sends).toHaveLength(1);
    expect(fake.sends[0]).toMatchObject({ path: CUSTOM, body: { touser: job.openId, msgtype: "text" } });
    expect(contents()).toEqual(["高中国家助学金平均每生每年 2300 元。"]);
    expect((await records.get(tenant, job.id))?.state).toBe("answered");

    // SQS redelivers the same job: nothing more is sent.
    expect(await handler(eventFor(job, 2))).toEqual({ batchItemFailures: [] });
    expect(fake.sends).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  test("two workers given the same job at once send one answer", async () => {
    const { reply } = scripted("一条回答");
    const job = await deferredRecord();
    await Promise.all([inboundHandler({ reply })(eventFor(job)), inboundHandler({ reply })(eventFor(job))]);
    expect(fake.sends).toHaveLength(1);
  });

  test("sends nothing when the passive reply already won", async () => {
    const { reply, calls } = scripted("不该发出");
    const id = records.recordId(`o-passive|${Date.now()}`);
    await records.claim(tenant, id);
    await records.transition(tenant, id, { from: "processing", to: "answered" });
    const out = await inboundHandler({ reply })(eventFor({ tenant, id, openId: "o-passive", ask: { text: "x" } }));
    expect(out.batchItemFailures).toEqual([]);
    expect(fake.sends).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  test("waits while the webhook has not decided (the record is still processing)", async () => {
    const id = records.recordId(`o-undecided|${Date.now()}`);
    await records.claim(tenant, id);
    const out = await inboundHandler(scripted("x"))(
      eventFor({ tenant, id, openId: "o-undecided", ask: { text: "x" } }),
    );
    expect(out.batchItemFailures).toHaveLength(1);
    expect(fake.sends).toHaveLength(0);
    expect((await records.get(tenant, id))?.state).toBe("processing");
  });

  test("resumes after a crash mid-answer: only the messages not yet sent go out", async () => {
    const id = records.recordId(`o-resume|${Date.now()}`);
    await records.claim(tenant, id);
    await records.transition(tenant, id, {
      from: "processing",
      to: "sending",
      set: { chunks: ["第一段", "第二段", "第三段"], sent: 1, leaseUntil: Date.now() - 1 }, // the holder's lease lapsed
    });
    const { reply, calls } = scripted("不该重新回答");
    await inboundHandler({ reply })(eventFor({ tenant, id, openId: "o-resume" }));
    expect(contents()).toEqual(["第二段", "第三段"]);
    expect(calls).toHaveLength(0);
    expect((await records.get(tenant, id))?.state).toBe("answered");
  });

  test("leaves a record alone while another worker's lease is live", async () => {
    const id = records.recordId(`o-leased|${Date.now()}`);
    await records.claim(tenant, id);
    await records.transition(tenant, id, {
      from: "processing",
      to: "sending",
      set: { chunks: ["一"], sent: 0, leaseUntil: Date.now() + 30_000 },
    });
    const out = await inboundHandler(scripted("x"))(eventFor({ tenant, id, openId: "o-leased" }));
    expect(out.batchItemFailures).toHaveLength(1);
    expect(fake.sends).toHaveLength(0);
  });

  test("outside the 48-hour window (45015) the answer is recorded as failed and not retried", async () => {
    const job = await deferredRecord();
    fake.failNext(CUSTOM, 45015);
    const out = await inboundHandler(scripted("x"))(eventFor(job));
    expect(out.batchItemFailures).toEqual([]);
    const rec = await records.get(tenant, job.id);
    expect(rec).toMatchObject({ state: "failed", reason: "wechat_45015" });
  });

  test("a busy WeChat (-1) is retried later, and the retry sends the stored answer", async () => {
    const { reply, calls } = scripted("稍后送达");
    const job = await deferredRecord();
    fake.failNext(CUSTOM, -1);
    const first = await inboundHandler({ reply })(eventFor(job));
    expect(first.batchItemFailures).toHaveLength(1);
    expect(fake.sends).toHaveLength(0);
    const second = await inboundHandler({ reply })(eventFor(job, 2));
    expect(second.batchItemFailures).toEqual([]);
    expect(contents()).toEqual(["稍后送达"]);
    expect(calls).toHaveLength(1); // the answer was kept, not recomputed
  });

  test("an assistant that keeps failing gets the user an apology on the last try", async () => {
    const job = await deferredRecord();
    const broken: ReplyFn = async () => {
      throw new Error("assistant down");
    };
    expect((await inboundHandler({ reply: broken })(eventFor(job, 1))).batchItemFailures).toHaveLength(1);
    expect(fake.sends).toHaveLength(0);
    expect((await inboundHandler({ reply: broken })(eventFor(job, 4))).batchItemFailures).toEqual([]);
    expect(contents()).toHaveLength(1);
    expect(contents()[0]).toContain("不好意思");
  });

  test("a job that is not an inbound job goes to the dead-letter queue", async () => {
    const out = await inboundHandler(scripted("x"))(
      eventFor({ tenant: "Bad Tenant!", id: "x", openId: "" } as unknown as InboundJob),
    );
    expect(out.batchItemFailures).toEqual([]); // acknowledged: it now lives in the DLQ
    expect(fake.sends).toHaveLength(0);
  });
});
