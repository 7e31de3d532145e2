/**
 * The tools of LLM mode: their declarations for the Chat Completions `tools` array (JSON schema from the same zod
 * schema that parses the model's arguments) and one dispatcher. Whatever goes wrong in a call — unknown tool,
 * arguments that are not JSON or do not parse, a tool called too often, a failure in core — comes back to the
 * model as `{ error }`; nothing is thrown into the conversation loop. A result that would carry unmasked personal
 * data is never sent to the model.
 */
import { z } from "zod";
import type OpenAI from "openai";
import { log } from "../../log.js";
import { containsUnmaskedPersonalData } from "../../mask.js";
import { toolText } from "../../../prompts/llm.js";
import { askForPerson } from "./ask-for-person.js";
import { getStatus } from "./get-status.js";
import { searchPolicy } from "./search-policy.js";
import { startBinding } from "./start-binding.js";
import type { Tool, ToolContext, ToolResult } from "./tool.js";

export { newEvidence, type Evidence, type SeenPassage, type ToolContext } from "./tool.js";

export const tools: readonly Tool[] = [searchPolicy, getStatus, startBinding, askForPerson];
const byName = new Map(tools.map((t) => [t.name, t] as const));

/** A tool as a Chat Completions function declaration. */
export function toolSpec(tool: Tool): OpenAI.Chat.ChatCompletionFunctionTool {
  const { $schema: _drop, ...parameters } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
  return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
}

let specs: OpenAI.Chat.ChatCompletionFunctionTool[] | undefined;

export function toolSpecs(): OpenAI.Chat.ChatCompletionFunctionTool[] {
  specs ??= tools.map(toolSpec);
  return specs;
}

const tlog = log.child({ component: "llm-tools" });

/** Runs one tool call from the model; `rawArgs` is the JSON string the model produced. */
export async function runTool(name: string, rawArgs: string, ctx: ToolContext): Promise<ToolResult> {
  const tool = byName.get(name);
  if (!tool) return { error: toolText.unknownTool(name.slice(0, 40)) };

  let json: unknown;
  try {
    json = rawArgs.trim() === "" ? {} : JSON.parse(rawArgs);
  } catch {
    return { error: toolText.badArguments("arguments 不是合法的 JSON") };
  }
  const parsed = tool.parameters.safeParse(json);
  if (!parsed.success)
    return { error: toolText.badArguments(z.prettifyError(parsed.error).replace(/\s*\n\s*/g, "；")) };

  const n = (ctx.evidence.calls.get(name) ?? 0) + 1;
  ctx.evidence.calls.set(name, n);
  if (tool.maxCalls !== undefined && n > tool.maxCalls) return { error: toolText.once(name) };

  let result: ToolResult;
  try {
    result = await tool.run(parsed.data, ctx);
  } catch (e) {
    tlog.warn("tool failed", { tool: name, tenant: ctx.chat.tenant, error: e });
    return { error: toolText.unavailable() };
  }
  if (containsUnmaskedPersonalData(JSON.stringify(result))) {
    tlog.error("tool result held unmasked personal data; withheld from the model", {
      tool: name,
      tenant: ctx.chat.tenant,
    });
    return { error: toolText.unavailable() };
  }
  return result;
}
