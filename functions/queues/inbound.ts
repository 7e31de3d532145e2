/** Inbound consumer: answers that missed WeChat's passive-reply deadline, sent via the customer-service API. */
import { processBatch } from "../../core/queue/batch.js";
import { defaultReply, type ReplyFn } from "../../core/channels/reply.js";
import { deliverDeferred, InboundJob, type DeferredDeps } from "../../core/channels/wechat/deferred.js";
import type { SqsHandler } from "./sqs-event.js";

export function inboundHandler(deps: Partial<DeferredDeps> & { reply?: ReplyFn } = {}): SqsHandler {
  const full: DeferredDeps = { ...deps, reply: deps.reply ?? defaultReply };
  return (event) =>
    processBatch(
      "inbound",
      event.Records,
      InboundJob,
      async (job, meta) => void (await deliverDeferred(job, full, meta)),
    );
}

export const handler = inboundHandler();
