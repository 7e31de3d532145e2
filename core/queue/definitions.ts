/**
 * The queues, declared once: sst.config.ts and the local stack both build from
 * this list (a test checks they agree). All standard queues: every consumer is
 * idempotent, so ordering and at-least-once delivery are fine.
 */
export const QueueDefinitions = {
  inbound: {
    resource: "InboundQueue",
    /** Answers that missed WeChat's passive-reply deadline; an LLM answer may take ~30 s. */
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 4,
    batchSize: 5,
    handler: "functions/queues/inbound.handler",
  },
  fanout: {
    resource: "FanoutQueue",
    /** One chunk of recipients per message; each invocation pages a bounded slice. */
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    batchSize: 1,
    handler: "functions/queues/fanout.handler",
  },
  delivery: {
    resource: "DeliveryQueue",
    /** Retry-later WeChat errors back off by changing this per message. */
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 6,
    batchSize: 10,
    handler: "functions/queues/delivery.handler",
  },
  imports: {
    resource: "ImportQueue",
    /**
     * One chunk of a long staff file per message (a payment file past what one API request may apply in Lambda's
     * 20 s): a few hundred rows in transactions of 100 items. Chunks are idempotent, so a redelivery changes nothing.
     */
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    batchSize: 1,
    handler: "functions/queues/imports.handler",
  },
} as const;

export type QueueName = keyof typeof QueueDefinitions;
export const queueNames = Object.keys(QueueDefinitions) as QueueName[];

/** Dead-letter queues keep failed messages for two weeks (the SQS maximum) for inspection. */
export const DeadLetterRetentionSeconds = 1_209_600;

export function physicalQueueName(prefix: string, name: QueueName, dlq = false): string {
  return `${prefix}-${name}${dlq ? "-dlq" : ""}`;
}
