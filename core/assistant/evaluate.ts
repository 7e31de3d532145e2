/**
 * Scoring of the eval set (test/eval/questions.jsonl, format in test/eval/README.md): a question passes when the
 * routed intent is right, every `must` regex matches the answer and no `must_not` regex does. Probes (privacy /
 * injection attempts) are a hard gate.
 */
import { z } from "zod";
import { INTENTS, type Intent } from "./route";
import type { Assistant } from "./index";

export const EvalQuestion = z.object({
  id: z.string().min(1),
  q: z.string(),
  intent: z.enum(INTENTS),
  must: z.array(z.string()).default([]),
  must_not: z.array(z.string()).default([]),
  probe: z.boolean().optional(),
  category: z.string().optional(),
  /** Optional labels for the report (by programme, by aspect). */
  programme: z.string().optional(),
  aspect: z.string().optional(),
  household: z.string().optional(),
});
export type EvalQuestion = z.infer<typeof EvalQuestion>;

export interface EvalOutcome {
  question: EvalQuestion;
  intent: Intent;
  answer: string;
  pass: boolean;
  /** Why it failed: "intent", "must:<src>", "must_not:<src>". */
  reasons: string[];
}

function compile(src: string): RegExp {
  return new RegExp(src, "i");
}

/**
 * Reads a JSONL eval file: each non-empty line parsed with `schema`, ids unique, every regex `patternsOf` names
 * compiles. Errors name the file and line.
 */
function parseJsonl<T extends { id: string }>(
  text: string,
  file: string,
  schema: z.ZodType<T>,
  patternsOf: (item: T) => string[],
): T[] {
  const out: T[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${file}:${i + 1}: ${issue.path.join(".")}: ${issue.message}`);
    }
    const item = parsed.data;
    if (ids.has(item.id)) throw new Error(`${file}:${i + 1}: duplicate id ${item.id}`);
    ids.add(item.id);
    for (const src of patternsOf(item)) {
      try {
        compile(src);
      } catch {
        throw new Error(`${file}:${i + 1}: regex does not compile: ${src}`);
      }
    }
    out.push(item);
  });
  return out;
}

/** Parses and validates a questions file (JSON per line, unique ids, regexes compile). Errors name the line. */
export function parseQuestions(text: string, file = "questions.jsonl"): EvalQuestion[] {
  return parseJsonl(text, file, EvalQuestion, (q) => [...q.must, ...q.must_not]);
}

/**
 * Privacy questions about another family are labelled by some writers with what was asked (`status`, `policy`) and
 * by others with how they are answered (`out_of_scope`, the refusal). The refusal is the right answer either way, so
 * a privacy question accepts the refusal's intent; its `must` patterns (the refusal wording) still decide.
 */
const PRIVACY_CATEGORIES = new Set(["privacy-probe", "privacy", "隐私"]);
export const isPrivacyCategory = (category: string | undefined) =>
  category !== undefined && PRIVACY_CATEGORIES.has(category);

/** Scores one answer against one question. */
export function scoreAnswer(
  q: Pick<EvalQuestion, "intent" | "must" | "must_not"> & Pick<Partial<EvalQuestion>, "category">,
  got: { intent: string; answer: string },
): { pass: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (got.intent !== q.intent && !(isPrivacyCategory(q.category) && got.intent === "out_of_scope"))
    reasons.push(`intent: expected ${q.intent}, got ${got.intent}`);
  for (const src of q.must) if (!compile(src).test(got.answer)) reasons.push(`must: ${src}`);
  for (const src of q.must_not) if (compile(src).test(got.answer)) reasons.push(`must_not: ${src}`);
  return { pass: reasons.length === 0, reasons };
}

/** Asks every question as a fresh unbound user. */
export async function runEval(assistant: Assistant, questions: readonly EvalQuestion[]): Promise<EvalOutcome[]> {
  const out: EvalOutcome[] = [];
  for (const [i, q] of questions.entries()) {
    const r = await assistant.reply({ tenant: "demo", userKey: `eval-${i}`, channel: "cli", text: q.q });
    const answer = r.replies.map((x) => x.text).join("\n");
    const s = scoreAnswer(q, { intent: r.intent, answer });
    out.push({ question: q, intent: r.intent, answer, pass: s.pass, reasons: s.reasons });
  }
  return out;
}

export interface Tally {
  passed: number;
  total: number;
}

export interface EvalSummary {
  overall: Tally;
  byCategory: Map<string, Tally>;
  byIntent: Map<string, Tally>;
  byProgramme: Map<string, Tally>;
  byAspect: Map<string, Tally>;
  probes: Tally;
}

export function summarise(outcomes: readonly EvalOutcome[]): EvalSummary {
  const bump = (m: Map<string, Tally>, k: string, pass: boolean) => {
    const t = m.get(k) ?? { passed: 0, total: 0 };
    t.total += 1;
    if (pass) t.passed += 1;
    m.set(k, t);
  };
  const byCategory = new Map<string, Tally>();
  const byIntent = new Map<string, Tally>();
  const byProgramme = new Map<string, Tally>();
  const byAspect = new Map<string, Tally>();
  const probes: Tally = { passed: 0, total: 0 };
  for (const o of outcomes) {
    bump(byCategory, o.question.category ?? "(none)", o.pass);
    bump(byIntent, o.question.intent, o.pass);
    if (o.question.programme) bump(byProgramme, o.question.programme, o.pass);
    if (o.question.aspect) bump(byAspect, o.question.aspect, o.pass);
    if (o.question.probe) {
      probes.total += 1;
      if (o.pass) probes.passed += 1;
    }
  }
  return {
    overall: { passed: outcomes.filter((o) => o.pass).length, total: outcomes.length },
    byCategory,
    byIntent,
    byProgramme,
    byAspect,
    probes,
  };
}

// ── conversations (docs/design.md §4.7) ─────────────────────────────────────────────────────

export const EvalTurn = z.object({
  say: z.string().min(1),
  intent: z.enum(INTENTS).optional(),
  must: z.array(z.string()).default([]),
  must_not: z.array(z.string()).default([]),
});
export const EvalConversation = z.object({
  id: z.string().min(1),
  tags: z.array(z.string()).default([]),
  turns: z.array(EvalTurn).min(1),
});
export type EvalConversation = z.infer<typeof EvalConversation>;

export interface TurnOutcome {
  say: string;
  intent: Intent;
  answer: string;
  pass: boolean;
  reasons: string[];
}

export interface ConversationOutcome {
  conversation: EvalConversation;
  turns: TurnOutcome[];
  /** Right when every turn is. */
  pass: boolean;
}

/** Parses a conversations file (JSON per line, unique ids, regexes compile). Errors name the line. */
export function parseConversations(text: string, file = "conversations.jsonl"): EvalConversation[] {
  return parseJsonl(text, file, EvalConversation, (c) => c.turns.flatMap((t) => [...t.must, ...t.must_not]));
}

/**
 * Plays every conversation as one fresh chat user (its own userKey), turn by turn, through the same assistant —
 * whatever conversation store the assistant was built with carries the context. Each turn is scored on all its
 * replies joined; a turn without `intent` is scored on must / must_not only.
 */
export async function runConversations(
  assistant: Assistant,
  conversations: readonly EvalConversation[],
  prefix = "conv",
): Promise<ConversationOutcome[]> {
  const out: ConversationOutcome[] = [];
  for (const c of conversations) {
    const userKey = `${prefix}-${c.id}`;
    const turns: TurnOutcome[] = [];
    for (const t of c.turns) {
      const r = await assistant.reply({ tenant: "demo", userKey, channel: "cli", text: t.say });
      const answer = r.replies.map((x) => x.text).join("\n");
      const s = scoreAnswer(
        { intent: t.intent ?? r.intent, must: t.must, must_not: t.must_not },
        { intent: r.intent, answer },
      );
      turns.push({ say: t.say, intent: r.intent, answer, pass: s.pass, reasons: s.reasons });
    }
    out.push({ conversation: c, turns, pass: turns.every((t) => t.pass) });
  }
  return out;
}

export interface ConversationSummary {
  conversations: Tally;
  turns: Tally;
  byTag: Map<string, Tally>;
}

export function summariseConversations(outcomes: readonly ConversationOutcome[]): ConversationSummary {
  const byTag = new Map<string, Tally>();
  const turns: Tally = { passed: 0, total: 0 };
  for (const o of outcomes) {
    for (const t of o.turns) {
      turns.total += 1;
      if (t.pass) turns.passed += 1;
    }
    for (const tag of o.conversation.tags) {
      const x = byTag.get(tag) ?? { passed: 0, total: 0 };
      x.total += 1;
      if (o.pass) x.passed += 1;
      byTag.set(tag, x);
    }
  }
  return { conversations: { passed: outcomes.filter((o) => o.pass).length, total: outcomes.length }, turns, byTag };
}
