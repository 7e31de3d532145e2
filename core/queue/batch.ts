/**
 * Partial-batch processing for SQS consumers (the Powertools pattern): each
 * record is parsed with zod and handled alone; failures are reported by id so
 * only they come back. Poison records (unparseable, or failing permanently, or
 * out of receives) go to the dead-letter queue at once, with their reason.
 */
import { ChangeMessageVisibilityCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { z } from "zod";
import { mapLimit } from "../concurrency.js";
import { log } from "../log.js";
import { QueueDefinitions, type QueueName } from "./definitions.js";
import { deadLetterQueueUrl, queueUrl, sqs } from "./client.js";

export interface BatchRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string };
}

/** Throw to have the record retried after `delaySeconds` (visibility-timeout backoff). */
export class RetryLater extends Error {
  override readonly name = "RetryLater";
  constructor(
    readonly delaySeconds: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Throw when retrying can never help: the record goes straight to the DLQ with this reason. */
export class PermanentFailure extends Error {
  override readonly name = "PermanentFailure";
}

async function toDeadLetter(queue: QueueName, record: BatchRecord, reason: string) {
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: deadLetterQueueUrl(queue),
      MessageBody: record.body,
      MessageAttributes: {
        reason: { DataType: "String", StringValue: reason.slice(0, 500) },
        sourceMessageId: { DataType: "String", StringValue: record.messageId },
      },
    }),
  );
}

export async function processBatch<S extends z.ZodType>(
  queue: QueueName,
  records: BatchRecord[],
  schema: S,
  handle: (job: z.output<S>, meta: { receiveCount: number; messageId: string }) => Promise<void>,
  opts: { concurrency?: number } = {},
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const failures: { itemIdentifier: string }[] = [];
  const maxReceives = QueueDefinitions[queue].maxReceiveCount;
  const qlog = log.child({ queue });
  // Records are independent (each job is idempotent and guarded by its own record's state): a consumer whose jobs
  // mostly wait on I/O handles several at once instead of one after the other. Failures are reported by id, in
  // whatever order they happen.
  await mapLimit(records, Math.max(1, opts.concurrency ?? 1), async (record) => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount || "1");
    let job: z.output<S>;
    try {
      const parsed = schema.safeParse(JSON.parse(record.body));
      if (!parsed.success) throw new PermanentFailure(`invalid job: ${parsed.error.issues[0]?.message ?? "schema"}`);
      job = parsed.data;
      await handle(job, { receiveCount, messageId: record.messageId });
    } catch (e) {
      const err = e instanceof SyntaxError ? new PermanentFailure("body is not JSON") : (e as Error);
      const permanent = err instanceof PermanentFailure || receiveCount >= maxReceives;
      if (permanent) {
        try {
          await toDeadLetter(queue, record, `${err.name}: ${err.message}`);
          qlog.warn("record sent to dead-letter queue", {
            messageId: record.messageId,
            reason: err.message,
            receiveCount,
          });
          return; // acknowledged: it now lives in the DLQ
        } catch (dlqError) {
          qlog.error("could not move record to DLQ", { messageId: record.messageId, error: dlqError });
        }
      } else if (err instanceof RetryLater) {
        await sqs()
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl(queue),
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: Math.min(43_200, Math.max(0, Math.round(err.delaySeconds))),
            }),
          )
          .catch(() => undefined);
        qlog.info("record will be retried", {
          messageId: record.messageId,
          delaySeconds: err.delaySeconds,
          reason: err.message,
        });
      } else {
        qlog.warn("record failed", { messageId: record.messageId, error: err, receiveCount });
      }
      failures.push({ itemIdentifier: record.messageId });
    }
  });
  return { batchItemFailures: failures };
}

/** Exponential backoff with jitter for retry-later errors: 5 s, 20 s, 80 s … capped at 15 min. */
export function backoffSeconds(receiveCount: number): number {
  const base = Math.min(900, 5 * 4 ** Math.max(0, receiveCount - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
