/**
 * What the model reads in LLM mode: the system prompt (prompts/system.md, filled with the tenant's name and
 * hotline) and the short messages tools hand back to it when a call cannot be done. The tools' own descriptions
 * live next to their code (core/assistant/tools/*), one tool a file.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ReplySettings } from "./replies.js";

/**
 * prompts/system.md next to this file (tsx, vitest) or under `prompts/` beside a bundle (the Lambda build copies
 * the folder, as for the knowledge base).
 */
function systemFile(): string {
  const candidates = ["./system.md", "./prompts/system.md", "../prompts/system.md"].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((f) => existsSync(f)) ?? candidates[0]!;
}

let template: string | undefined;

/** The system prompt for one tenant. */
export function systemPrompt(s: ReplySettings): string {
  template ??= readFileSync(systemFile(), "utf8");
  const name = s.name.trim() || "县学生资助管理中心";
  const hotline = s.hotline.trim()
    ? `咨询电话 ${s.hotline.trim()}`
    : "县学生资助管理中心的咨询电话（号码见县教育局公告或学校通知）";
  return template.replaceAll("{{name}}", name).replaceAll("{{hotline}}", hotline).trim();
}

/** Tool results the model reads when a call could not be done (returned as `{ error }`, never thrown). */
export const toolText = {
  badArguments: (details: string) => `参数不对：${details}。请按工具说明重新调用，或直接回答用户。`,
  unknownTool: (name: string) => `没有叫 ${name} 的工具。`,
  notFromUser: (fields: string) => `${fields} 不是用户这条消息里写的内容。绑定只能用用户自己发来的信息，请先问用户。`,
  once: (name: string) => `${name} 这一轮已经调用过了，不要重复调用。`,
  tooMany: (n: number) => `一次最多调用 ${n} 个工具，这个没有执行。`,
  unavailable: () => "暂时查不到，请告诉用户稍后再试，或回复“人工”。",
  closest: () =>
    "这些段落和问题只是部分对得上：回答时先说明没有找到完全对应的规定、下面是最接近的内容，并建议对方回复“人工”确认。",
  nothingFound: () =>
    "知识库里没有找到和这个问题对得上的规定。请如实告诉用户没有找到准确依据，建议回复“人工”或拨打咨询电话，不要凭印象回答。",
} as const;
