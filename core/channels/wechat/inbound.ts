/**
 * The WeChat webhook verb: verify → open → dedupe → answer, within WeChat's 5-second deadline.
 *
 * Deadline (docs/design.md §3.1, docs/wechat-protocol.md §2.5–2.7): the assistant runs while a timer counts down what is left of the
 * reply budget (config().wechat.replyBudgetMs, ~4 s, measured from the start of the request). Whichever comes
 * first decides, through one conditional transition of the inbound record (dedupe.ts):
 *   - the answer: it goes back as the passive reply, and the record stays `processing` until its TTL (one write
 *     per push: the claim; nothing but this request ever moves a `processing` record);
 *   - the timer (or a failed answer): processing → deferred, a job goes on the inbound queue, WeChat gets
 *     `success` at once, and the worker answers through the customer-service API.
 * The worker only ever claims `deferred` (or a lapsed `sending`), so the passive reply and the asynchronous
 * send cannot both happen. If the job cannot be enqueued the record is deleted and the request fails, so
 * WeChat's retry starts over instead of the message being lost.
 *
 * Long answers: the first message (≤1800 bytes) is the passive reply — the user sees it at once and it costs
 * none of the customer-service quota (5 per 48 h) — and the rest, already computed, is stored on the record
 * (processing → sending, sent = 1) for the worker to send in order. Assistant answers rarely need a second one.
 *
 * Storage faults (core/channels/offline.ts): the deadline covers the whole handling, the dedupe write included.
 * When the record cannot be written or moved in time (storage paused, unreachable or throttling), or the queue
 * refuses the deferred job, the message is answered at once by the storage-free assistant — a policy answer as
 * usual, "系统繁忙，请稍后再试" for anything about the family's own children — as the passive reply. Dedupe is then
 * best effort: WeChat retries only when it got no answer, and it got one. WeChat never sees a 500 for a fault.
 * The tenant lookup is bounded too (core/channels/tenant.ts): when storage does not answer it, the last known tenant
 * stands in and the message is answered offline at once (no dedupe write to wait for); a tenant never seen gets
 * 503 系统繁忙.
 *
 * LLM mode: the model's deadline is the reply budget less PASSIVE_MARGIN_MS, so a slow model gives way to the
 * offline answer *passively*. Should the deadline still be missed (slow storage), the job says `modelTried`: the
 * worker sends the late answer if this attempt left it on the record (a long-lived process), otherwise the
 * offline answer — one message never costs two model calls. An offline assistant side effect may then run twice;
 * the family side effects are idempotent or harmless when repeated (a binding that exists is "already bound"; a
 * second handoff note).
 */
import * as chatusers from "../../chatusers/index.js";
import { config } from "../../config.js";
import { userKey } from "../../db/keys.js";
import { AppError } from "../../errors.js";
import { log } from "../../log.js";
import { sendToQueue } from "../../queue/client.js";
import type { LateOutcomes } from "../port.js";
import type { ReplyFn } from "../reply.js";
import { lookupTenant } from "../tenant.js";
import { composeAnswer, planFor, type Ask, type InboundJob, type Plan } from "./answer.js";
import { isStorageFault, offlineReply, withDeadline } from "../offline.js";
import * as records from "./dedupe.js";
import { dedupeKey, type InboundMessage } from "./messages.js";
import { recordTemplateResult } from "./template-results.js";
import { webhookSettings } from "./account.js";
import { openPush, passiveReply, verifyUrl, type OpenedPush, type Query, type WechatSettings } from "./webhook.js";

export interface WebhookDeps {
  /** The assistant (default: the real one, wired in core/channels/reply.ts). */
  reply: ReplyFn;
  /** Where TEMPLATESENDJOBFINISH results go: the notifications area (core/notifications/outcomes.ts), wired in functions/http/wechat.ts. */
  outcomes: LateOutcomes;
  /** Webhook credentials of a county; default its own (saved in the console) or the deployment's, cached 30 s. */
  settings?: (tenant: string) => WechatSettings | Promise<WechatSettings>;
  /** How long to wait for an answer before deferring it; default config().wechat.replyBudgetMs. */
  budgetMs?: () => number;
  /** Clock (ms); default Date.now. */
  now?: () => number;
}

export interface WebhookAnswer {
  /** The passive reply body (XML), or undefined for the literal `success`. */
  xml?: string;
}

const wlog = log.child({ channel: "wechat" });

/** Kept from the reply budget for the record transition and the passive reply after the answer is ready. */
export const PASSIVE_MARGIN_MS = 300;

/**
 * WeChat waits 5 s. Whatever the reply budget (tests use 100 ms), the bookkeeping around an answer — the dedupe
 * write, the hand-over to the queue — may run until config().wechat.hardDeadlineMs (4.6 s) after the request
 * arrived; a dedupe write that has not come back 400 ms before that is given up, leaving time for the offline
 * answer.
 */
const hardMs = () => config().wechat.hardDeadlineMs;
const claimMs = () => hardMs() - 400;

/**
 * The tenant, under the webhook's deadline (core/channels/tenant.ts): the last known one when storage does not
 * answer (`stale`: the message is then answered from the storage-free assistant at once), 503 系统繁忙 for a
 * tenant this process never saw, 404 for one that does not exist.
 */
async function tenantOrThrow(id: string, startedAt: number): Promise<{ name: string; stale: boolean }> {
  const { tenant, stale } = await lookupTenant(id, { deadlineAt: startedAt + claimMs() });
  if (!tenant) throw AppError.notFound("tenant");
  return { name: tenant.name, stale };
}

export function wechatWebhook(deps: WebhookDeps) {
  const settings = deps.settings ?? webhookSettings;
  const now = deps.now ?? Date.now;
  const budget = deps.budgetMs ?? (() => config().wechat.replyBudgetMs);
  const seconds = () => Math.floor(now() / 1000);

  /** Races the assistant against the budget; returns the passive reply text, or undefined for `success`. */
  async function answer(
    tenant: string,
    msg: InboundMessage,
    id: string,
    ask: Ask,
    deadline: number,
    hardDeadline: number,
  ): Promise<string | undefined> {
    const openId = msg.FromUserName;
    // The model must be done in time for the passive reply: its deadline is ours less the time to send it.
    const work = composeAnswer(deps.reply, tenant, openId, ask, { deadlineAt: deadline - PASSIVE_MARGIN_MS }).then(
      (chunks) => ({ ok: true as const, chunks }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">(
      (r) => (timer = setTimeout(() => r("timeout"), Math.max(0, deadline - now()))),
    );
    const first = await Promise.race([work, timeout]);
    clearTimeout(timer);

    if (first !== "timeout" && first.ok) {
      const [head, ...rest] = first.chunks;
      // The answer is ready: a record that cannot be closed (storage fault) must not cost the user the answer.
      const keepAnswer = (e: unknown) => {
        if (isStorageFault(e)) return true;
        throw e;
      };
      // One message: it goes back passively and the record stays `processing` until its TTL (see dedupe.ts) —
      // nothing else ever moves a `processing` record, and a retry of the push is a duplicate either way.
      if (head !== undefined && rest.length === 0) return head;
      if (head === undefined) {
        return (await withDeadline(
          records.transition(tenant, id, { from: "processing", to: "answered" }),
          hardDeadline - now(),
        ).catch(keepAnswer))
          ? head
          : undefined;
      }
      const moved = await withDeadline(
        records.transition(tenant, id, {
          from: "processing",
          to: "sending",
          set: { chunks: first.chunks, sent: 1, leaseUntil: 0, ttlSeconds: records.DEFERRED_TTL_SECONDS },
        }),
        hardDeadline - now(),
      ).catch(keepAnswer);
      if (!moved) return undefined;
      const job: InboundJob = { tenant, id, openId };
      await sendToQueue("inbound", job).catch((e: unknown) =>
        wlog.error("could not queue the rest of a long answer", { tenant, error: e }),
      );
      return head;
    }

    if (first !== "timeout") {
      if (isStorageFault(first.error)) return offline(tenant, msg, ask, "answer");
      wlog.warn("answer failed in the webhook; handing it to the inbound queue", { tenant, error: first.error });
    }
    const handover = hardDeadline - now();
    try {
      const deferred = await withDeadline(
        records.transition(tenant, id, {
          from: "processing",
          to: "deferred",
          set: { ttlSeconds: records.DEFERRED_TTL_SECONDS },
        }),
        handover,
      );
      if (!deferred) return undefined;
    } catch (e) {
      if (!isStorageFault(e)) throw e;
      return offline(tenant, msg, ask, "defer");
    }
    // The model was (perhaps) asked already: the worker never asks it again. If this attempt still finishes,
    // its answer is left on the record for the worker to send instead of the offline one.
    const job: InboundJob = { tenant, id, openId, ask, modelTried: true };
    try {
      await withDeadline(sendToQueue("inbound", job), hardDeadline - now());
    } catch (e) {
      await records.release(tenant, id, "deferred").catch(() => undefined);
      if (!isStorageFault(e)) throw e;
      return offline(tenant, msg, ask, "queue");
    }
    if (first === "timeout") {
      void work.then((late) =>
        late.ok && late.chunks.length > 0
          ? records
              .transition(tenant, id, { from: "deferred", to: "deferred", set: { chunks: late.chunks } })
              .catch(() => false)
          : false,
      );
    }
    wlog.info("answer deferred to the customer-service API", { tenant, late: first === "timeout" });
    return undefined;
  }

  /** The storage-free answer, sent as the passive reply (see the module comment). */
  async function offline(tenant: string, msg: InboundMessage, ask: Ask, where: string): Promise<string | undefined> {
    wlog.warn("storage unavailable: answering offline", { tenant, where });
    const [head] = await composeAnswer(offlineReply, tenant, msg.FromUserName, ask);
    return head;
  }

  /** Without a dedupe record: what a plan says when storage cannot be used. */
  function withoutStorage(
    tenant: string,
    msg: InboundMessage,
    plan: Exclude<Plan, { kind: "templateResult" }>,
    where: string,
  ): Promise<string | undefined> {
    switch (plan.kind) {
      case "ack":
        return Promise.resolve(undefined);
      case "say":
        return Promise.resolve(plan.text);
      case "ask":
        return offline(tenant, msg, plan.ask, where);
    }
  }

  async function handle(
    tenant: string,
    name: string,
    msg: InboundMessage,
    startedAt: number,
    storageDown: boolean,
  ): Promise<string | undefined> {
    const plan = planFor(msg, { name });
    if (plan.kind === "templateResult") {
      // Idempotent by itself (first result wins) and sent in bursts: no inbound record needed.
      await recordTemplateResult(deps.outcomes, tenant, plan.msgid, plan.status);
      return undefined;
    }
    // Storage just failed to answer the tenant lookup: no dedupe write to wait for (best effort while it is down).
    if (storageDown) return withoutStorage(tenant, msg, plan, "tenant");
    const id = records.recordId(dedupeKey(msg));
    let claim: Awaited<ReturnType<typeof records.claim>>;
    try {
      claim = await withDeadline(records.claim(tenant, id), startedAt + Math.max(budget(), claimMs()) - now());
    } catch (e) {
      if (!isStorageFault(e)) throw e;
      return withoutStorage(tenant, msg, plan, "dedupe");
    }
    if (!claim.claimed) {
      wlog.info("duplicate push ignored", { tenant, state: claim.state });
      return undefined;
    }
    try {
      if ("follow" in plan && plan.follow !== undefined)
        await chatusers.setFollowing(tenant, userKey("wechat", msg.FromUserName), plan.follow);
    } catch (e) {
      await records.release(tenant, id, "processing").catch(() => undefined);
      if (!isStorageFault(e)) throw e;
      return withoutStorage(tenant, msg, plan, "follow");
    }
    switch (plan.kind) {
      // Answered passively (or nothing to say): the claimed record is the whole dedupe, no second write.
      case "ack":
        return undefined;
      case "say":
        return plan.text;
      case "ask":
        return answer(tenant, msg, id, plan.ask, startedAt + budget(), startedAt + Math.max(budget() + 600, hardMs()));
    }
  }

  return {
    /** GET: URL verification → the echostr to send back. */
    async verify(tenant: string, query: Query): Promise<string> {
      const echo = verifyUrl(await settings(tenant), query, seconds());
      await tenantOrThrow(tenant, now());
      return echo;
    },

    /** POST: a push → the passive reply (or `success`). `startedAt` is when the request arrived (ms). */
    async receive(tenant: string, query: Query, body: string, startedAt = now()): Promise<WebhookAnswer> {
      const s = await settings(tenant);
      const opened: OpenedPush = openPush(s, query, body, seconds());
      const t = await tenantOrThrow(tenant, startedAt);
      if (!opened.msg) return {}; // well-formed, but a kind we do not handle: `success`
      const text = await handle(tenant, t.name, opened.msg, startedAt, t.stale);
      return text === undefined ? {} : { xml: passiveReply(s, opened, opened.msg, text, seconds()) };
    },
  };
}

export type WechatWebhook = ReturnType<typeof wechatWebhook>;
