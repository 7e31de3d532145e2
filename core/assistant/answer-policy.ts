/**
 * The offline policy answerer: retrieve, and either say honestly that we are not sure (offer a person and the
 * hotline) or compose a phone-sized answer from the best passage(s), verbatim, with the source title and
 * "以本县通知为准" where amounts vary locally. Every number in the answer must come from the chosen passages
 * (`numbersGrounded`, reused by LLM mode).
 */
import type { KbEntry, KbPassage } from "../policy/kb";
import type { PassageHit, PolicyIndex, SearchResult } from "../policy/index";
import { replies, type ReplySettings } from "../../prompts/replies";
import { isScamReport } from "./guardrails";

export interface PolicyAnswer {
  text: string;
  citations: { id: string; title: string }[];
  /** false when the answer is the "not sure" reply. */
  confident: boolean;
  passages: { entry: KbEntry; passage: KbPassage }[];
}

export interface ComposeOptions {
  /** Minimum confidence (query coverage of the best passage) to answer; below it, the "not sure" reply. */
  threshold: number;
  /**
   * Below this confidence, when more than `unknownShare` of the question is words the KB does not know, the
   * answer is given as "the closest we have", with an offer of a person.
   */
  hedgeBelow: number;
  unknownShare: number;
  /** Characters the passages may take (the source line and local note come on top). */
  budget: number;
}

/**
 * Calibrated on test/eval/questions.jsonl (answerable questions) and test/fixtures/not-sure-questions.jsonl
 * (questions that turn on something the KB does not cover): below 0.25 no correct answer was given on the eval
 * set; above it, the hedge marks most uncovered questions as "the closest we have" without withholding the passage.
 */
export const defaultComposeOptions: ComposeOptions = {
  threshold: 0.25,
  hedgeBelow: 0.7,
  unknownShare: 0.35,
  budget: 260,
};

// ── numbers ──────────────────────────────────────────────────────────────────────────────────────────────────

const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000, 亿: 100000000 };

/** "两千三" → 2300, "二十二" → 22, "一万" → 10000, "1.5万" handled by the caller. NaN when not a number. */
export function parseChineseNumber(s: string): number {
  let total = 0;
  let section = 0;
  let digit = -1;
  let lastUnit = 0;
  let zero = false;
  for (const ch of s) {
    if (ch in CN_DIGIT) {
      digit = CN_DIGIT[ch]!;
      if (digit === 0) zero = true;
      continue;
    }
    const unit = CN_UNIT[ch];
    if (unit === undefined) return Number.NaN;
    if (unit >= 10000) {
      total += (section + Math.max(digit, 0)) * unit;
      section = 0;
    } else {
      section += (digit >= 0 ? digit : 1) * unit;
    }
    lastUnit = unit;
    digit = -1;
    zero = false;
  }
  // A trailing digit after a unit is colloquial shorthand ("两千三" = 2300, "三万五" = 35000) unless a 零 came
  // before it ("一百零五" = 105).
  if (digit > 0) section += lastUnit >= 10 && !zero ? (digit * lastUnit) / 10 : digit;
  return total + section;
}

const ARABIC = /\d+(?:\.\d+)?\s*[万千百]?/g;
const CHINESE =
  /[零〇一二两三四五六七八九十百千万亿]{2,}(?=[元块年天个月日岁名档周倍次期]|$|[^零〇一二两三四五六七八九十百千万亿])|[一二两三四五六七八九十](?=[元块天个月日岁名档周倍万千百]|年(?!级))/g;

/** The numbers a text states: arabic (thousands separators and 万 resolved) and Chinese numerals with a unit. */
export function extractNumbers(text: string): { raw: string; value: number }[] {
  const s = text.normalize("NFKC").replace(/(\d)[,，](?=\d{3}(?!\d))/g, "$1");
  const out: { raw: string; value: number }[] = [];
  for (const m of s.matchAll(ARABIC)) {
    const raw = m[0].replace(/\s+/g, "");
    const unit = raw.slice(-1);
    const n = Number.parseFloat(raw);
    const mult = unit === "万" ? 10000 : unit === "千" ? 1000 : unit === "百" ? 100 : 1;
    out.push({ raw: raw.replace(/[万千百]$/, ""), value: n * mult });
  }
  for (const m of s.matchAll(CHINESE)) {
    // Idioms that only look like numbers.
    if (/^(一一|一些|一下|一般|一起|一致|一样)$/.test(m[0])) continue;
    const value = parseChineseNumber(m[0]);
    if (!Number.isNaN(value)) out.push({ raw: m[0], value });
  }
  return out;
}

/** Numbers in `answer` that appear in none of `passages` (by value or verbatim) nor in `allowed` texts. */
export function ungroundedNumbers(
  answer: string,
  passages: readonly (string | { text: string })[],
  allowed: readonly string[] = [],
): string[] {
  const sources = [...passages.map((p) => (typeof p === "string" ? p : p.text)), ...allowed];
  const known = new Set<number>();
  const raws = new Set<string>();
  for (const src of sources) {
    for (const n of extractNumbers(src)) {
      known.add(n.value);
      raws.add(n.raw);
    }
  }
  return extractNumbers(answer)
    .filter((n) => !known.has(n.value) && !raws.has(n.raw))
    .map((n) => n.raw);
}

/** True when every number the answer states is found in the passages it was composed from (or in `allowed`). */
export function numbersGrounded(
  answer: string,
  passages: readonly (string | { text: string })[],
  allowed: readonly string[] = [],
): boolean {
  return ungroundedNumbers(answer, passages, allowed).length === 0;
}

// ── composing ───────────────────────────────────────────────────────────────────────────────────────────────

/** An answer that already says amounts or rules vary locally needs no "以本县通知为准" line after it. */
export const SAYS_LOCAL = /以本县|以当地|为准|本县具体|各地不同/;
const VARIES = /各地|各省|省里|省定|当地|地方|本县/;

function gain(hit: PassageHit, covered: ReadonlySet<string>, result: SearchResult): number {
  let g = 0;
  for (const t of hit.matched) {
    if (covered.has(t)) continue;
    const q = result.terms.get(t);
    if (q?.content) g += q.weight * q.idf;
  }
  return g;
}

function totalWeight(result: SearchResult): number {
  let s = 0;
  for (const [, q] of result.terms) if (q.content) s += q.weight * q.idf;
  return s;
}

/** A passage's bigrams, kept: every answer compares the same passages again (bounded for tenants' own texts). */
const bigramMemo = new Map<string, ReadonlySet<string>>();

function bigrams(s: string): ReadonlySet<string> {
  const hit = bigramMemo.get(s);
  if (hit) return hit;
  const chars = Array.from(s.replace(/[\s，。、；：（）"“”！？,.;:()]/g, ""));
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  if (bigramMemo.size >= 4096) bigramMemo.clear();
  bigramMemo.set(s, out);
  return out;
}

/** Share of the shorter text's character bigrams found in the other. */
function overlap(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  if (small.size === 0) return 0;
  let n = 0;
  for (const g of small) if (large.has(g)) n += 1;
  return n / small.size;
}

/** Picks the passages to say: the best, plus one or two more that add what the question asked and fit. */
export function choosePassages(result: SearchResult, budget: number): PassageHit[] {
  const best = result.hits[0];
  if (!best) return [];
  const chosen = [best];
  const covered = new Set(best.matched);
  let used = render(best.passage).length;
  const total = totalWeight(result) || 1;
  // The question asks how much / when / where and the best passage does not say it ("中职免学费免多少" → 按当地标准):
  // the passage that states it must come along.
  const needType = result.wantsType && !best.answersType;
  // Likewise a same-topic passage whose heading asks the sub-question asked ("要回村里报还是在学校报" → 去哪申请).
  const needAspect = result.asksAspect && !best.answersAspect;
  while (chosen.length < 2) {
    let pick: { hit: PassageHit; value: number } | undefined;
    for (const cand of result.hits.slice(1)) {
      if (chosen.includes(cand) || cand.otherVariant || used + render(cand.passage).length + 1 > budget) continue;
      // Two passages that say the same thing in other words (发放方式 / 发不发现金) are said once.
      if (chosen.some((c) => overlap(c.passage.text, cand.passage.text) > 0.6)) continue;
      const g = gain(cand, covered, result) / total;
      const same = cand.entry.id === best.entry.id;
      const ratio = cand.score / best.score;
      // Same topic: a close second, or one that answers more of the question; another topic: only when it
      // answers a part of the question the first passage does not ("老大读大学 老二住校"). Prefer what adds most.
      let ok = same ? ratio >= 0.8 || (ratio >= 0.6 && g >= 0.04) : ratio >= 0.55 && g >= 0.12;
      let value = ratio + 3 * g;
      if (needType && cand.answersType && ratio >= 0.5 && (same || g >= 0.04)) {
        ok = true;
        value += 1;
      }
      if (needAspect && same && cand.answersAspect && ratio >= 0.5) {
        ok = true;
        value += 1;
      }
      // Once the best passage states the fact asked for, a same-topic passage that adds no word of the question is
      // noise ("雨露计划一年几个钱" needs the amount, not who is excluded).
      if (same && result.wantsType && best.answersType && g === 0 && !cand.answersAspect) ok = false;
      if (ok && (!pick || value > pick.value)) pick = { hit: cand, value };
    }
    if (!pick) break;
    chosen.push(pick.hit);
    for (const t of pick.hit.matched) covered.add(t);
    used += render(pick.hit.passage).length + 1;
  }
  return chosen;
}

/** A passage that opens with a bare yes/no ("要交。", "不能。") is said after its heading, so the yes/no has its question. */
const BARE_ANSWER = /^[^，。？！,.?!]{1,6}[。！!]/;

function render(p: KbPassage): string {
  return BARE_ANSWER.test(p.text) ? `${p.heading.replace(/[？?]$/, "")}？${p.text}` : p.text;
}

export function answerPolicy(
  index: PolicyIndex,
  question: string,
  settings: ReplySettings,
  opts: ComposeOptions = defaultComposeOptions,
  searched?: SearchResult,
): PolicyAnswer {
  const result = searched ?? index.search(question);
  const notSure: PolicyAnswer = { text: replies.notSure(settings), citations: [], confident: false, passages: [] };
  if (!result.hits.length || result.confidence < opts.threshold) return notSure;

  // A scam report turns on details the knowledge base cannot know (who called, how much); the warning answers it.
  const scam = isScamReport(question) && /诈骗/.test(result.hits[0]!.passage.text);
  const hedge = !scam && result.confidence < opts.hedgeBelow && result.unknown > opts.unknownShare;

  const chosen = choosePassages(result, opts.budget - (hedge ? 40 : 0));
  const body = chosen.map((h) => render(h.passage)).join("\n");
  const lines = hedge ? [replies.closest(), body] : [body];
  const needsNote = chosen.some((h) => h.entry.varies_locally || VARIES.test(h.passage.text));
  if (needsNote && !SAYS_LOCAL.test(body)) lines.push(replies.localNote());
  const citations: { id: string; title: string }[] = [];
  for (const h of chosen)
    if (!citations.some((c) => c.id === h.entry.id)) citations.push({ id: h.entry.id, title: h.entry.title });
  if (hedge) lines.push(replies.confirmWithPerson());
  lines.push(replies.source(citations.map((c) => c.title)));
  const text = lines.join("\n");

  // Verbatim composition cannot invent a number; the check stays so a future template change cannot either.
  const grounding = [
    ...chosen.map((h) => h.passage.text),
    ...chosen.map((h) => h.passage.heading),
    ...citations.map((c) => c.title),
  ];
  if (!numbersGrounded(text, grounding)) return notSure;
  return { text, citations, confident: true, passages: chosen.map((h) => ({ entry: h.entry, passage: h.passage })) };
}
