/**
 * The model endpoint: any OpenAI-compatible Chat Completions server (OpenAI, Qwen / DashScope, DeepSeek, a local
 * server) through the `openai` package. No retries — when the model is slow or failing we give the offline answer
 * instead, which is instant and always correct — and one deadline per turn, so three tool rounds cannot add up to
 * three timeouts.
 */
import type OpenAI from "openai";
import { z } from "zod";

export interface ModelSettings {
  apiKey: string;
  /** Default: the `openai` package's own (api.openai.com, or OPENAI_BASE_URL). */
  baseURL?: string | undefined;
  model: string;
  /** The whole turn's budget, all rounds included. */
  timeoutMs: number;
}

const clients = new Map<string, OpenAI>();

/**
 * The `openai` package is loaded the first time a model is asked, never at cold start: without OPENAI_* (the
 * default) no process pays for it, and its error classes can only be met once it is loaded.
 */
let sdk: typeof import("openai") | undefined;

export async function modelClient(s: ModelSettings): Promise<OpenAI> {
  const key = `${s.baseURL ?? ""}|${s.apiKey}|${s.timeoutMs}`;
  let client = clients.get(key);
  if (!client) {
    sdk ??= await import("openai");
    if (clients.size > 8) clients.clear();
    client = new sdk.OpenAI({
      apiKey: s.apiKey,
      ...(s.baseURL ? { baseURL: s.baseURL } : {}),
      timeout: s.timeoutMs,
      maxRetries: 0,
    });
    clients.set(key, client);
  }
  return client;
}

/** The model answered, but not with something we can use (shape, empty, truncated, tools after the last round). */
export class ModelOutputError extends Error {
  override readonly name = "ModelOutputError";
}

/** Why a turn fell back to the offline answer, for logs (never the payload). */
export type FailureReason =
  | "timeout"
  | "rate_limited"
  | "server_error"
  | "auth"
  | "rejected"
  | "network"
  | "malformed"
  | "internal";

export function failureReason(e: unknown, deadline?: AbortSignal): FailureReason {
  if (e instanceof ModelOutputError) return "malformed";
  if (deadline?.aborted || (sdk && (e instanceof sdk.APIConnectionTimeoutError || e instanceof sdk.APIUserAbortError)))
    return "timeout";
  if (sdk && e instanceof sdk.APIConnectionError) return "network";
  if (sdk && e instanceof sdk.APIError) {
    const status = e.status ?? 0;
    if (status === 429) return "rate_limited";
    if (status >= 500) return "server_error";
    if (status === 401 || status === 403) return "auth";
    if (status >= 400) return "rejected";
    // A 2xx whose body the SDK could not read.
    return "malformed";
  }
  if (e instanceof SyntaxError) return "malformed";
  return "internal";
}

/** What we read from a completion; anything else about it is ignored, anything missing is malformed output. */
export const Completion = z.object({
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullish(),
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                // Some compatible servers leave these out; an id is made up for them (the reply must carry one).
                id: z.string().optional(),
                type: z.literal("function").optional(),
                function: z.object({ name: z.string(), arguments: z.string().default("{}") }),
              }),
            )
            .nullish(),
        }),
      }),
    )
    .min(1),
});
export type Completion = z.infer<typeof Completion>;
