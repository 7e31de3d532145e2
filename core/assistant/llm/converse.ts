/**
 * One turn with the model: ask, run the tools it calls, give it the results, ask again — at most `maxRounds`
 * rounds of tool calls; then one last request with tools switched off, so the model must answer. Every tool call
 * gets exactly one tool message back (Chat Completions requires it), `{ error }` included.
 */
import type OpenAI from "openai";
import { runTool, toolSpecs, type ToolContext } from "../tools/index.js";
import { toolText } from "../../../prompts/llm.js";
import { Completion, ModelOutputError } from "./client.js";
import type { Redactor } from "./redact.js";

/** A model that asks for more than this many tools at once is told to slow down (the rest get `{ error }`). */
const MAX_CALLS_PER_ROUND = 4;

export interface ConverseInput {
  client: OpenAI;
  model: string;
  /** System prompt, remembered turns, the user's message; the loop appends to it. */
  messages: OpenAI.Chat.ChatCompletionMessageParam[];
  tools: ToolContext;
  maxRounds: number;
  /** The turn's deadline. */
  signal: AbortSignal;
  /** When the deadline ends (ms since epoch), for each request's own timeout. */
  deadlineAt: number;
  /** Tool arguments are restored before a tool runs; tool results are redacted before the model sees them. */
  redactor?: Redactor;
}

export interface Conversed {
  /** The model's final text (not yet checked). */
  text: string;
  /** Rounds of tool calls it took. */
  rounds: number;
}

export async function converse(input: ConverseInput): Promise<Conversed> {
  const { client, messages, tools } = input;
  for (let round = 0; ; round++) {
    const last = round >= input.maxRounds;
    const raw: unknown = await client.chat.completions.create(
      { model: input.model, messages, tools: toolSpecs(), tool_choice: last ? "none" : "auto" },
      { signal: input.signal, timeout: Math.max(1, input.deadlineAt - Date.now()), maxRetries: 0 },
    );
    const parsed = Completion.safeParse(raw);
    if (!parsed.success) throw new ModelOutputError("the completion does not have the expected shape");
    const choice = parsed.data.choices[0]!;
    const calls = (choice.message.tool_calls ?? []).map((c, i) => ({ ...c, id: c.id || `call_${round}_${i}` }));

    if (calls.length === 0) {
      if (choice.finish_reason === "length") throw new ModelOutputError("the answer was cut off");
      const text = choice.message.content?.trim() ?? "";
      if (text === "") throw new ModelOutputError("the answer is empty");
      return { text, rounds: round };
    }
    if (last) throw new ModelOutputError("the model still called tools after the last round");

    messages.push({
      role: "assistant",
      content: choice.message.content ?? null,
      tool_calls: calls.map((c) => ({
        id: c.id,
        type: "function" as const,
        function: { name: c.function.name, arguments: c.function.arguments },
      })),
    });
    for (const [i, call] of calls.entries()) {
      const args = input.redactor ? input.redactor.restore(call.function.arguments) : call.function.arguments;
      const result =
        i < MAX_CALLS_PER_ROUND
          ? await runTool(call.function.name, args, tools)
          : { error: toolText.tooMany(MAX_CALLS_PER_ROUND) };
      const content = JSON.stringify(result);
      messages.push({
        role: "tool",
        tool_call_id: call.id,
        content: input.redactor ? input.redactor.redact(content) : content,
      });
    }
  }
}
