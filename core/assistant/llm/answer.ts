/**
 * From the model's text to the reply, and the checks that decide whether it may be sent at all.
 *
 * Finishing: the model's own source line is taken off and ours put in its place, naming only entries whose
 * passages search_policy returned this turn (the ones the model cited by title; failing that, the ones holding the
 * numbers it stated; failing that, the best one); "以本县通知为准" is added when a cited entry varies locally and
 * the model did not say it — the same two rules as the offline answer.
 *
 * Reviewing (any failure → the offline answer): the answer rests on something a tool returned this turn; it is not
 * empty or essay-long; every number in it appears in what the model was shown (passages, our own status / binding
 * / handoff texts, the tenant's hotline, the emergency lines); no unmasked phone, ID number, 学籍号 or account;
 * nothing of the system prompt or the tool machinery.
 */
import { containsUnmaskedPersonalData } from "../../mask.js";
import { PLACEHOLDER } from "./redact.js";
import { extractNumbers, numbersGrounded } from "../answer-policy.js";
import type { Evidence, SeenPassage } from "../tools/index.js";
import { tools } from "../tools/index.js";
import { replies, type ReplySettings } from "../../../prompts/replies.js";

export interface Finished {
  /** The reply text: the model's body, the local note when needed, our source line. */
  text: string;
  /** The model's body alone. */
  body: string;
  citations: { id: string; title: string }[];
}

export type Rejection = "empty" | "too_long" | "no_sources" | "personal_data" | "prompt_leak" | "ungrounded_number";

/** The prompt asks for ≤ 300 characters; past this the model is not following it and the answer is not phone-sized. */
const MAX_BODY_CHARS = 600;

const SOURCE_LINE = /^\s*[【[(（]?\s*(来源|出处|依据|参考|信息来源|资料来源)\s*[】\])）]?\s*[:：]/;
const SAYS_LOCAL = /以本县|以当地|以县里|为准|各地不同/;
const VARIES = /以本县通知为准|各地|当地|地方/;

const compact = (s: string) => s.normalize("NFKC").replace(/[\s"“”'‘’《》「」]/g, "");

function cited(body: string, claimed: string, evidence: Evidence): SeenPassage[] {
  const seen = [...evidence.passages.values()];
  if (seen.length === 0) return [];
  const said = compact(`${body} ${claimed}`);
  const byTitle = seen.filter((p) => said.includes(compact(p.entry.title)) || said.includes(p.entry.id));
  if (byTitle.length > 0) return byTitle;
  const numbers = new Set(extractNumbers(body).map((n) => n.value));
  const byNumber = seen.filter((p) => extractNumbers(p.passage.text).some((n) => numbers.has(n.value)));
  if (byNumber.length > 0) return byNumber;
  return seen.slice(0, 1);
}

export function finishAnswer(modelText: string, evidence: Evidence): Finished {
  const lines = modelText
    .replace(/\r\n?/g, "\n")
    .replace(/\*\*|__|^#+\s*/gm, "")
    .split("\n");
  const claimed = lines.filter((l) => SOURCE_LINE.test(l)).join(" ");
  const body = lines
    .filter((l) => !SOURCE_LINE.test(l))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

  const used = cited(body, claimed, evidence);
  const citations: Finished["citations"] = [];
  for (const p of used)
    if (!citations.some((c) => c.id === p.entry.id)) citations.push({ id: p.entry.id, title: p.entry.title });

  const out = [body];
  const varies = used.some((p) => p.entry.varies_locally || VARIES.test(p.passage.text));
  if (varies && !SAYS_LOCAL.test(body)) out.push(replies.localNote());
  if (citations.length > 0) out.push(replies.source(citations.map((c) => c.title)));
  return { text: out.join("\n"), body, citations };
}

/**
 * For the number check only: list markers ("1. ", "二、") are not facts, and a lone 一 counting one thing ("一年",
 * "一个孩子", "一次") is how people talk, not a figure the model could have invented.
 */
function forNumberCheck(text: string): string {
  return text
    .replace(/^\s*(\d{1,2}|[一二三四五六七八九十])\s*[.．、)）]\s*/gm, "")
    .replace(
      /(?<![零〇一二两三四五六七八九十百千万\d])一(?=年|次|份|张|项|位|家|种|下|起|样|般|直|定|些|点|点儿|个(?!月|工作日))/g,
      "每",
    );
}

/** Sentences of the system prompt long enough that repeating one verbatim is leaking it. */
export function promptSentences(prompt: string): string[] {
  return prompt
    .split(/[。；！？\n]/)
    .map((s) => s.replace(/^\s*[-•]\s*/, "").trim())
    .filter((s) => [...s].length >= 18);
}

const TOOL_NAMES = new RegExp(`${tools.map((t) => t.name).join("|")}|系统提示|提示词|system prompt`, "i");

export interface ReviewOptions {
  settings: ReplySettings;
  /** promptSentences(systemPrompt) */
  prompt: readonly string[];
}

export function reviewAnswer(finished: Finished, evidence: Evidence, opts: ReviewOptions): Rejection | undefined {
  if (finished.body === "") return "empty";
  if ([...finished.body].length > MAX_BODY_CHARS) return "too_long";
  if (evidence.passages.size === 0 && evidence.facts.length === 0) return "no_sources";
  if (containsUnmaskedPersonalData(finished.text) || new RegExp(PLACEHOLDER.source).test(finished.text))
    return "personal_data";
  if (TOOL_NAMES.test(finished.text) || opts.prompt.some((s) => finished.text.includes(s))) return "prompt_leak";
  const grounding = [
    ...[...evidence.passages.values()].flatMap((p) => [p.passage.text, p.passage.heading, p.entry.title]),
    ...evidence.facts,
  ];
  const allowed = [opts.settings.hotline, replies.crisis(), replies.localNote()];
  if (!numbersGrounded(forNumberCheck(finished.text), grounding, allowed)) return "ungrounded_number";
  return undefined;
}
