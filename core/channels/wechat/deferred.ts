/**
 * The inbound worker's verb: answer a push that missed the passive-reply deadline (or send the rest of a long
 * answer) through the customer-service API — exactly once, even with SQS redelivery and concurrent workers.
 *
 * The worker claims the inbound record (dedupe.ts) with a conditional write — `deferred` → `sending`, or a
 * `sending` record whose lease has lapsed — so it can never race the passive reply (which needs `processing`).
 * The answer is computed once and stored on the record before the first send; `sent` is advanced after each
 * message, so a takeover after a crash resumes where the last worker stopped rather than starting over. (A send
 * whose answer was lost in a timeout may still repeat once: the customer-service API has no idempotency key.)
 *
 * WeChat errors: outside the 48 h window / quota used (45015/45047), refused or bad openid → the record is
 * marked failed and the job ends (retrying cannot help); configuration errors likewise, and loudly, to the DLQ;
 * busy / throttled / token / network → the lease is given back and the job retried with backoff; on the last
 * receive it is recorded as failed.
 */
import { log } from "../../log.js";
import { QueueDefinitions } from "../../queue/definitions.js";
import { PermanentFailure, RetryLater, backoffSeconds } from "../../queue/batch.js";
import { channelText } from "../../../prompts/channels.js";
import type { ReplyFn } from "../reply.js";
import { composeAnswer, InboundJob } from "./answer.js";
import { wechatApi as defaultApi, WechatApiError, type WechatApi } from "./api.js";
import * as records from "./dedupe.js";

export { InboundJob } from "./answer.js";

/** Longer than one answer plus five sends; shorter than the queue's visibility timeout, so a redelivery finds it lapsed. */
export const LEASE_MS = 50_000;

export interface DeferredDeps {
  reply: ReplyFn;
  api?: (tenant: string) => WechatApi;
  now?: () => number;
}

export type DeferredOutcome = "sent" | "noop" | "failed";

export async function deliverDeferred(
  input: InboundJob,
  deps: DeferredDeps,
  meta: { receiveCount: number } = { receiveCount: 1 },
): Promise<DeferredOutcome> {
  const job = InboundJob.parse(input);
  const now = deps.now ?? Date.now;
  const api = (deps.api ?? defaultApi)(job.tenant);
  const jlog = log.child({ channel: "wechat", tenant: job.tenant, record: job.id.slice(0, 12) });
  const lastTry = meta.receiveCount >= QueueDefinitions.inbound.maxReceiveCount;

  const rec = await records.get(job.tenant, job.id);
  if (!rec) {
    jlog.warn("inbound record is gone (expired?); nothing sent");
    return "noop";
  }
  if (rec.state === "answered" || rec.state === "failed") return "noop";
  if (rec.state === "processing") throw new RetryLater(2, "the webhook has not decided yet");

  // Claim.
  const lease = now() + LEASE_MS;
  let claimed: boolean;
  if (rec.state === "deferred") {
    claimed = await records.transition(job.tenant, job.id, {
      from: "deferred",
      to: "sending",
      set: { leaseUntil: lease, sent: 0 },
    });
  } else {
    const held = rec.leaseUntil ?? 0;
    if (held > now())
      throw new RetryLater(Math.ceil((held - now()) / 1000) + 1, "another worker is sending this answer");
    claimed = await records.transition(job.tenant, job.id, {
      from: "sending",
      to: "sending",
      when: { expression: "leaseUntil = :held", values: { ":held": held } },
      set: { leaseUntil: lease },
    });
  }
  if (!claimed) throw new RetryLater(1, "the inbound record moved under us");

  const mine = { expression: "leaseUntil = :lease", values: { ":lease": lease } };
  const giveBack = () =>
    records
      .transition(job.tenant, job.id, { from: "sending", to: "sending", when: mine, set: { leaseUntil: 0 } })
      .catch(() => false);
  const fail = async (reason: string) => {
    await records.transition(job.tenant, job.id, {
      from: "sending",
      to: "failed",
      when: mine,
      set: { reason },
      remove: ["chunks"],
    });
    return "failed" as const;
  };

  let chunks = rec.chunks;
  let sent = rec.state === "sending" ? (rec.sent ?? 0) : 0;
  if (!chunks) {
    if (!job.ask) return fail("nothing_to_send");
    try {
      chunks = await composeAnswer(deps.reply, job.tenant, job.openId, job.ask, {
        modelAllowed: job.modelTried !== true,
      });
    } catch (e) {
      if (!lastTry) {
        await giveBack();
        throw e;
      }
      jlog.error("the assistant kept failing; sending an apology", { error: e });
      chunks = [channelText.failed()];
    }
    sent = 0;
    const saved = await records.transition(job.tenant, job.id, {
      from: "sending",
      to: "sending",
      when: mine,
      set: { chunks, sent },
    });
    if (!saved) throw new RetryLater(1, "lost the lease while answering");
  }

  for (let i = sent; i < chunks.length; i++) {
    try {
      await api.sendText(job.openId, chunks[i]!);
    } catch (e) {
      if (!(e instanceof WechatApiError)) {
        await giveBack();
        throw e;
      }
      if (e.kind === "window" || e.kind === "permanent") {
        jlog.warn("customer-service message refused; not retrying", { errcode: e.errcode, kind: e.kind });
        return fail(`wechat_${e.errcode}`);
      }
      if (e.kind === "config") {
        jlog.error("WeChat configuration error", { errcode: e.errcode });
        await fail(`wechat_${e.errcode}`);
        throw new PermanentFailure(`WeChat configuration error ${e.errcode}`);
      }
      if (lastTry) return fail("retries_exhausted");
      await giveBack();
      throw new RetryLater(
        e.errcode === 45011 ? 60 : backoffSeconds(meta.receiveCount),
        `WeChat ${e.errcode} (${e.kind})`,
      );
    }
    const advanced = await records.transition(job.tenant, job.id, {
      from: "sending",
      to: "sending",
      when: mine,
      set: { sent: i + 1 },
    });
    if (!advanced) {
      jlog.warn("lost the lease mid-answer; the new holder continues");
      return "noop";
    }
  }
  await records.transition(job.tenant, job.id, { from: "sending", to: "answered", when: mine, remove: ["chunks"] });
  return "sent";
}
