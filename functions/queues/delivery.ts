/** Delivery consumer: one notification per record, partial batch failures (core/notifications/delivery.ts). */
import { processBatch } from "../../core/queue/batch.js";
import { DeliveryJob, deliver } from "../../core/notifications/index.js";
import type { SqsHandler } from "./sqs-event.js";

export const handler: SqsHandler = (event) =>
  processBatch("delivery", event.Records, DeliveryJob, async (job, meta) => void (await deliver(job, meta)));
