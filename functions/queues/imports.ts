/** Imports consumer: one phase (check or apply) of one chunk of a long staff file per record (core/actions/payment-jobs.ts). */
import { ChunkJob, runChunk } from "../../core/actions/payment-jobs.js";
import { processBatch } from "../../core/queue/batch.js";
import type { SqsHandler } from "./sqs-event.js";

export const handler: SqsHandler = (event) => processBatch("imports", event.Records, ChunkJob, runChunk);
