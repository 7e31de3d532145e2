/**
 * Dev stand-in for Lambda's SQS event source mapping: long-polls each local
 * queue and calls the same handler the Lambda uses, with an SQS-shaped event.
 * Records not listed in batchItemFailures are deleted; failed ones become
 * visible again after their visibility timeout, and the emulator's redrive
 * moves them to the DLQ after maxReceiveCount.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { QueueDefinitions, type QueueName } from "../../core/queue/definitions.js";
import { queueUrl, sqs } from "../../core/queue/client.js";
import { log } from "../../core/log.js";
import type { SqsEvent, SqsHandler } from "../queues/sqs-event.js";

export interface RunnerOptions {
  handlers: Partial<Record<QueueName, SqsHandler>>;
  waitSeconds?: number;
  /** Parallel pollers per queue. */
  concurrency?: number;
}

export interface Runner {
  stop(): Promise<void>;
  /** Resolves when every queue has been seen empty and no batch is in flight. */
  idle(timeoutMs?: number): Promise<void>;
}

export function startQueueRunner(opts: RunnerOptions): Runner {
  let running = true;
  let inFlight = 0;
  const lastEmpty = new Map<string, number>();
  let lastBatchEnd = 0;
  const loops: Promise<void>[] = [];

  const poll = async (name: QueueName, handler: SqsHandler, slot: number) => {
    const def = QueueDefinitions[name];
    const url = queueUrl(name);
    while (running) {
      try {
        const out = await sqs().send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: def.batchSize,
            WaitTimeSeconds: opts.waitSeconds ?? 1,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
          // A long poll holds the request open: give it the poll time on top of the client's timeout.
          { requestTimeout: ((opts.waitSeconds ?? 1) + 5) * 1000 },
        );
        const messages = out.Messages ?? [];
        if (messages.length === 0) {
          lastEmpty.set(`${name}#${slot}`, Date.now());
          continue;
        }
        lastEmpty.delete(`${name}#${slot}`);
        inFlight++;
        try {
          const event: SqsEvent = {
            Records: messages.map((m) => ({
              messageId: m.MessageId!,
              receiptHandle: m.ReceiptHandle!,
              body: m.Body ?? "",
              attributes: {
                ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? "1",
                SentTimestamp: m.Attributes?.SentTimestamp,
              },
              messageAttributes: Object.fromEntries(
                Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
                  k,
                  { stringValue: v.StringValue, dataType: v.DataType ?? "String" },
                ]),
              ),
              eventSource: "aws:sqs",
              eventSourceARN: `arn:aws:sqs:local:000000000000:${name}`,
              awsRegion: "local",
            })),
          };
          let failed = new Set<string>();
          try {
            const res = await handler(event);
            failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
          } catch (e) {
            // A throwing handler fails the whole batch, as on Lambda.
            failed = new Set(event.Records.map((r) => r.messageId));
            log.error("queue handler threw", { queue: name, error: e });
          }
          const done = messages.filter((m) => !failed.has(m.MessageId!));
          if (done.length > 0) {
            await sqs().send(
              new DeleteMessageBatchCommand({
                QueueUrl: url,
                Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
              }),
            );
          }
        } finally {
          inFlight--;
          lastBatchEnd = Date.now();
        }
      } catch (e) {
        if (running) {
          log.warn("queue poll failed", { queue: name, error: e });
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  };

  for (const [name, handler] of Object.entries(opts.handlers) as [QueueName, SqsHandler][]) {
    for (let slot = 0; slot < (opts.concurrency ?? 1); slot++) loops.push(poll(name, handler, slot));
  }
  const slots = loops.length;

  return {
    async stop() {
      running = false;
      await Promise.allSettled(loops);
    },
    async idle(timeoutMs = 30_000) {
      const start = Date.now();
      while (Date.now() - start < timeoutMs) {
        if (inFlight === 0 && lastEmpty.size === slots) {
          const oldest = Math.min(...lastEmpty.values());
          if (oldest > Math.max(start, lastBatchEnd)) return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("queues did not drain in time");
    },
  };
}
