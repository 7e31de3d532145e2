/**
 * SQS access: one client, typed sends to the queues declared in definitions.ts.
 */
import { SQSClient, SendMessageBatchCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { config, required } from "../config.js";
import type { QueueName } from "./definitions.js";

let client: SQSClient | undefined;
let clientFor: string | undefined;
let clientConfig: object | undefined;

export function sqs(): SQSClient {
  const c = config();
  // The common case, on every call of every request: the same parsed config object as last time.
  if (client && clientConfig === c) return client;
  const signature = `${c.region}|${c.sqsEndpoint ?? ""}|${c.storage.timeoutMs}|${c.storage.maxAttempts}`;
  if (!client || clientFor !== signature) {
    client = new SQSClient({
      region: c.region,
      ...(c.sqsEndpoint
        ? { endpoint: c.sqsEndpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
        : {}),
      // Bounded like DynamoDB (core/db/client.ts). Long polls (ReceiveMessage WaitTimeSeconds ≤ 20 s) pass their
      // own, longer timeout where they are made.
      maxAttempts: c.storage.maxAttempts,
      requestHandler: {
        connectionTimeout: Math.min(1000, c.storage.timeoutMs),
        requestTimeout: c.storage.timeoutMs,
        throwOnRequestTimeout: true,
      },
    });
    clientFor = signature;
  }
  clientConfig = c;
  return client;
}

export function queueUrl(name: QueueName): string {
  const url = config().queues[name];
  return required(url, `${name.toUpperCase()}_QUEUE_URL`);
}

export function deadLetterQueueUrl(name: QueueName): string {
  return required(config().deadLetterQueues[name], `${name.toUpperCase()}_DLQ_URL`);
}

export async function sendToQueue(name: QueueName, body: unknown, delaySeconds?: number): Promise<void> {
  await sqs().send(
    new SendMessageCommand({ QueueUrl: queueUrl(name), MessageBody: JSON.stringify(body), DelaySeconds: delaySeconds }),
  );
}

/** Sends in batches of 10 (the SQS limit); fails loudly if any entry was refused so the caller's retry covers it. */
export async function sendManyToQueue(name: QueueName, bodies: unknown[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const chunk = bodies.slice(i, i + 10);
    const out = await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl(name),
        Entries: chunk.map((b, j) => ({ Id: String(j), MessageBody: JSON.stringify(b) })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) {
      throw new Error(`SQS refused ${out.Failed.length} of ${chunk.length} messages to ${name}`);
    }
  }
}
