/** Delivery consumer: one notification per record, partial batch failures (core/notifications/delivery.ts). */
import { processBatch } from "../../core/queue/batch.js";
// The module itself, not the notifications barrel: the staff verbs (and their spreadsheet code) stay out of this bundle.
import { DeliveryJob, deliver } from "../../core/notifications/delivery.js";
import type { SqsHandler } from "./sqs-event.js";

export const handler: SqsHandler = (event) =>
  processBatch("delivery", event.Records, DeliveryJob, async (job, meta) => void (await deliver(job, meta)));
