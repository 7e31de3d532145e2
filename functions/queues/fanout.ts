/** Fan-out consumer: one page of an event's recipients per record (core/notifications/fanout.ts). */
import { processBatch } from "../../core/queue/batch.js";
// The module itself, not the notifications barrel: the staff verbs (and their spreadsheet code) stay out of this bundle.
import { FanoutJob, fanout } from "../../core/notifications/fanout.js";
import type { SqsHandler } from "./sqs-event.js";

export const handler: SqsHandler = (event) =>
  processBatch("fanout", event.Records, FanoutJob, async (job) => void (await fanout(job)));
