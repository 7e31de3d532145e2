/** Delivery consumer: one notification per record, partial batch failures (core/notifications/delivery.ts). */
// The module itself, not the notifications barrel: the staff verbs (and their spreadsheet code) stay out of this bundle.
import { deliverBatch } from "../../core/notifications/delivery.js";
import type { SqsHandler } from "./sqs-event.js";

export const handler: SqsHandler = (event) => deliverBatch(event.Records);
