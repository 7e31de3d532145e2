/**
 * LLM mode: the model composes policy and status answers with tools, inside the offline assistant's guards.
 *
 *   createAssistant routes the message; crisis, injection, privacy probes, off-topic tasks, commands and the
 *   binding flow are answered offline and never reach the model. A policy or status turn comes here with
 *   `offline()`, the answer the assistant would give without a model.
 *   → system prompt (prompts/system.md, tenant name + hotline) + remembered exchanges + the message
 *   → Chat Completions with the four tools, at most `maxRounds` rounds of calls, one deadline for the turn
 *   → the answer is finished (our source line, the local note) and reviewed (core/assistant/llm/answer.ts)
 *   → any failure — timeout, 429, 5xx, network, malformed output, a failed review — gives `offline()` instead,
 *     logged with its reason and never with a payload.
 * The exchange (the message and the reply the user saw) is remembered either way.
 */
import { config } from "../../config.js";
import { log as rootLog, type Logger } from "../../log.js";
import { systemPrompt } from "../../../prompts/llm.js";
import type { AssistantReply, ModelComposer } from "../index.js";
import { newEvidence, type ToolContext } from "../tools/index.js";
import { finishAnswer, promptSentences, reviewAnswer } from "./answer.js";
import { failureReason, modelClient, type ModelSettings } from "./client.js";
import { converse } from "./converse.js";
import { dynamoMemory, noMemory, type Memory } from "./memory.js";
import { createRedactor } from "./redact.js";

export { dynamoMemory, noMemory, type Memory } from "./memory.js";

export interface LlmOptions extends ModelSettings {
  /** Default: none (each message stands alone). */
  memory?: Memory;
  /** Rounds of tool calls before the model must answer. Default 3. */
  maxRounds?: number;
  log?: Logger;
}

/** Kept back from the channel's deadline for the offline answer, the memory write and the reply itself. */
export const RESERVE_MS = 350;
/** Less than this left: not worth starting a model request at all. */
export const MIN_MODEL_MS = 300;

/** A storage read that must not eat the model's budget: it gives up when the turn's deadline passes. */
function withinBudget<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error("deadline passed"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("deadline passed"));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

export function llmComposer(opts: LlmOptions): ModelComposer {
  const memory = opts.memory ?? noMemory;
  const maxRounds = opts.maxRounds ?? 3;
  const baseLog = (opts.log ?? rootLog).child({ component: "llm" });

  return async function composeWithModel(turn, offline) {
    const { ctx } = turn;
    const tlog = baseLog.child({ tenant: ctx.tenant, channel: ctx.channel, intent: turn.intent });
    const started = Date.now();
    // One budget for the whole turn (memory read, every round, every tool), so rounds cannot add up; never past
    // the channel's own deadline (WeChat's passive reply), less what the offline answer and the memory write need.
    const budgetMs = Math.min(opts.timeoutMs, (turn.deadlineAt ?? Number.POSITIVE_INFINITY) - started - RESERVE_MS);
    const remember = (reply: AssistantReply) =>
      memory
        .save(ctx.tenant, ctx.userKey, { user: turn.text, assistant: reply.replies.map((r) => r.text).join("\n") })
        .catch((e: unknown) => tlog.warn("conversation memory could not be saved", { error: e }));
    if (budgetMs < MIN_MODEL_MS) {
      tlog.warn("no time left for the model; offline answer given", { reason: "no_budget", budgetMs });
      const reply = await offline();
      await remember(reply);
      return reply;
    }
    const signal = AbortSignal.timeout(budgetMs);
    const deadlineAt = started + budgetMs;

    const history = await withinBudget(memory.load(ctx.tenant, ctx.userKey, turn.text), signal).catch((e: unknown) => {
      tlog.warn("conversation memory could not be read; answering without it", { error: e });
      return [];
    });
    // Nothing personal leaves for the provider: the message, the history and the tool results are redacted.
    const redactor = createRedactor();

    const prompt = systemPrompt(turn.settings);
    const evidence = newEvidence();
    const tools: ToolContext = { chat: ctx, text: turn.text, family: turn.family, search: turn.search, evidence };

    let answered: AssistantReply | undefined;
    try {
      const { text, rounds } = await converse({
        client: await modelClient(opts),
        model: opts.model,
        messages: [
          { role: "system", content: prompt },
          ...history.flatMap((x) => [
            { role: "user" as const, content: redactor.redact(x.user) },
            { role: "assistant" as const, content: redactor.redact(x.assistant) },
          ]),
          { role: "user", content: redactor.redact(turn.text) },
        ],
        tools,
        maxRounds,
        signal,
        deadlineAt,
        redactor,
      });
      const finished = finishAnswer(text, evidence);
      const rejected = reviewAnswer(finished, evidence, { settings: turn.settings, prompt: promptSentences(prompt) });
      if (rejected) {
        tlog.warn("model answer rejected; offline answer given", {
          reason: rejected,
          rounds,
          ms: Date.now() - started,
        });
      } else {
        tlog.info("model answer", { rounds, ms: Date.now() - started, citations: finished.citations.map((c) => c.id) });
        answered = {
          intent: evidence.handedOff ? "handoff" : turn.intent,
          replies: [{ text: finished.text }],
          citations: finished.citations,
        };
      }
    } catch (e) {
      const reason = failureReason(e, signal);
      const status =
        typeof (e as { status?: unknown } | null)?.status === "number" ? (e as { status: number }).status : undefined;
      // Only our own failures carry the error (a bug to fix); the endpoint's say nothing we need beyond the status.
      tlog.warn("model unavailable; offline answer given", {
        reason,
        ...(status ? { status } : {}),
        ...(reason === "internal" ? { error: e } : {}),
        ms: Date.now() - started,
      });
    }
    const reply = answered ?? (await offline());
    await remember(reply);
    return reply;
  };
}

/**
 * LLM mode when OPENAI_API_KEY and OPENAI_MODEL are set (config().llm), otherwise undefined (offline). Channels
 * remember conversations in DynamoDB; the `ask` CLI passes `noMemory`.
 */
export function llmFromConfig(opts: { memory?: Memory; log?: Logger } = {}): ModelComposer | undefined {
  const llm = config().llm;
  if (!llm) return undefined;
  return llmComposer({ ...llm, memory: opts.memory ?? dynamoMemory(), ...(opts.log ? { log: opts.log } : {}) });
}
