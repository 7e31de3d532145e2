/**
 * A scripted, local OpenAI-compatible Chat Completions server for tests: node:http on 127.0.0.1, port 0.
 *
 *   POST /v1/chat/completions → the next scripted step, or what the responder makes of the request
 *
 * Steps: a tool call (one or several), a final message, an HTTP error (429, 500 …) with an OpenAI-style error
 * body, or a raw body (malformed output). Any step can be delayed. Every request is recorded as received (parsed
 * body + authorization header), so tests can check what the model was sent: the tools, the system prompt, the
 * remembered turns, the tool results.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ToolCallSpec {
  name: string;
  /** An object (serialised for you) or the raw arguments string, e.g. invalid JSON. */
  arguments: unknown;
  id?: string;
}

export type Step = { delayMs?: number } & (
  | { content: string; finishReason?: string }
  | { toolCalls: ToolCallSpec[]; content?: string }
  | { status: number; error?: { message: string; type?: string; code?: string } }
  | { raw: string; status?: number }
);

export interface ReceivedMessage {
  role: string;
  content?: string | null;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface Received {
  body: {
    model?: string;
    messages: ReceivedMessage[];
    tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
    tool_choice?: unknown;
  } & Record<string, unknown>;
  authorization: string | undefined;
  at: number;
}

export type Responder = (req: Received) => Step;

export interface FakeOpenAi {
  /** Base URL for the client (`…/v1`). */
  url: string;
  /** Every request, in order (live array). */
  received: Received[];
  /** Queue steps, answered in order before the responder is asked. */
  script(...steps: Step[]): void;
  /** What to answer when the script is empty (default: a 500 saying the script ran out). */
  respondWith(responder: Responder | undefined): void;
  /** Forgets requests, the script and the responder. */
  reset(): void;
  stop(): Promise<void>;
}

// ── step builders ────────────────────────────────────────────────────────────────────────────────────────────

export const toolCall = (name: string, args: unknown = {}, delayMs?: number): Step => ({
  toolCalls: [{ name, arguments: args }],
  ...(delayMs ? { delayMs } : {}),
});
export const answer = (content: string, delayMs?: number): Step => ({ content, ...(delayMs ? { delayMs } : {}) });
export const failure = (status: number, delayMs?: number): Step => ({ status, ...(delayMs ? { delayMs } : {}) });

/** The tool results the model was given in a request (parsed), by tool name via the assistant message before them. */
export function toolResults(req: Received): { name: string; result: Record<string, unknown> }[] {
  const names = new Map<string, string>();
  for (const m of req.body.messages) for (const c of m.tool_calls ?? []) names.set(c.id, c.function.name);
  return req.body.messages
    .filter((m) => m.role === "tool")
    .map((m) => ({
      name: names.get(m.tool_call_id ?? "") ?? "?",
      result: JSON.parse(m.content ?? "{}") as Record<string, unknown>,
    }));
}

/** True when the last message of the request is a tool result (the model is being asked to go on). */
export const afterTools = (req: Received): boolean => req.body.messages[req.body.messages.length - 1]?.role === "tool";

// ── server ───────────────────────────────────────────────────────────────────────────────────────────────────

export async function startFakeOpenAi(opts: { apiKey?: string } = {}): Promise<FakeOpenAi> {
  const received: Received[] = [];
  const queue: Step[] = [];
  let responder: Responder | undefined;
  let seq = 0;
  /** Bumped by reset(): a request that arrived before it belongs to an earlier test and is not recorded. */
  let generation = 0;

  const send = (res: ServerResponse, status: number, body: string) => {
    if (res.destroyed || res.writableEnded) return; // the client gave up (timeout / abort)
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };

  const completion = (req: Received, message: Record<string, unknown>, finishReason: string) =>
    JSON.stringify({
      id: `chatcmpl-fake-${++seq}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: req.body.model ?? "fake-model",
      choices: [
        {
          index: 0,
          message: { role: "assistant", refusal: null, ...message },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const parts: Buffer[] = [];
      req.on("data", (c: Buffer) => parts.push(c));
      req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
      req.on("error", reject);
    });

  const server = createServer((req, res) => {
    const born = generation;
    void (async () => {
      const path = new URL(req.url ?? "/", "http://fake.local").pathname;
      const raw = await readBody(req);
      if (req.method !== "POST" || path !== "/v1/chat/completions") {
        return send(
          res,
          404,
          JSON.stringify({ error: { message: "fake openai: unknown route", type: "invalid_request_error" } }),
        );
      }
      const authorization = req.headers.authorization;
      if (opts.apiKey && authorization !== `Bearer ${opts.apiKey}`) {
        return send(
          res,
          401,
          JSON.stringify({
            error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" },
          }),
        );
      }
      if (born !== generation)
        return send(res, 500, JSON.stringify({ error: { message: "fake openai: request from before reset()" } }));
      const got: Received = { body: JSON.parse(raw) as Received["body"], authorization, at: Date.now() };
      received.push(got);
      const step: Step = queue.shift() ??
        responder?.(got) ?? { status: 500, error: { message: "fake openai: the script ran out" } };
      if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));

      if ("raw" in step) return send(res, step.status ?? 200, step.raw);
      if ("status" in step) {
        return send(
          res,
          step.status,
          JSON.stringify({
            error: {
              type: "server_error",
              code: null,
              param: null,
              ...(step.error ?? { message: `fake ${step.status}` }),
            },
          }),
        );
      }
      if ("toolCalls" in step) {
        const tool_calls = step.toolCalls.map((c) => ({
          id: c.id ?? `call_${++seq}`,
          type: "function",
          function: {
            name: c.name,
            arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
          },
        }));
        return send(res, 200, completion(got, { content: step.content ?? null, tool_calls }, "tool_calls"));
      }
      return send(res, 200, completion(got, { content: step.content }, step.finishReason ?? "stop"));
    })().catch(() => send(res, 500, JSON.stringify({ error: { message: "fake openai: internal error" } })));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    script: (...steps) => void queue.push(...steps),
    respondWith: (r) => void (responder = r),
    reset() {
      generation++;
      received.length = 0;
      queue.length = 0;
      responder = undefined;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
