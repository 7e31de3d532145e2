/**
 * Segmentation for retrieval that keeps policy terms whole.
 *
 * `Intl.Segmenter` splits 助学金 / 生源地 / 建档立卡 into single characters and jieba costs 130–260 ms and ~50 MiB
 * to load (bench: functions/cli/bench-assistant.ts). Here: forward maximum matching over a domain dictionary built
 * from the knowledge base's own titles, keywords and synonyms plus a small built-in list, and character bigrams +
 * unigrams underneath so a word the dictionary does not know can still match.
 */
import { domainTerms, fillers, synonyms } from "../../prompts/synonyms";
import { COMMON_WORDS } from "./common-words";
import { TRAD_TO_SIMP } from "./hanzi";

/** Token kinds: dictionary word, character bigram, character unigram, latin word or number. */
export type TokenKind = "w" | "b" | "u" | "a";
export interface Token {
  term: string;
  kind: TokenKind;
  /**
   * Whether the token carries meaning of its own: words and numbers do; a bigram does unless it straddles a word
   * boundary or holds a function character (是从, 费是 …); unigrams never. Used to measure how much of a question a
   * passage answers, not for ranking.
   */
  content: boolean;
}

export interface Dictionary {
  /** Domain words: kept whole and indexed as words. */
  readonly words: ReadonlySet<string>;
  readonly maxLen: number;
  /** For each first character, the lengths of the words starting with it, longest first (matching skips the rest). */
  readonly lengths: ReadonlyMap<string, readonly number[]>;
}

function lengthsByFirst(words: Iterable<string>): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const w of words) {
    const first = String.fromCodePoint(w.codePointAt(0)!);
    const len = Array.from(w).length;
    const list = m.get(first) ?? [];
    if (!list.includes(len)) list.push(len);
    m.set(first, list);
  }
  for (const list of m.values()) list.sort((a, b) => b - a);
  return m;
}

/** Everyday words (segmentation boundaries only, see common-words.ts). */
const COMMON: ReadonlySet<string> = new Set(COMMON_WORDS);
const COMMON_LENGTHS = lengthsByFirst(COMMON);

export function createDictionary(words: Iterable<string>): Dictionary {
  const set = new Set<string>();
  let maxLen = 1;
  for (const raw of words) {
    for (const piece of normalise(raw).split(" ")) {
      const len = Array.from(piece).length;
      // Only Han words of 2–12 characters: single characters are unigrams anyway, long phrases never repeat.
      if (len < 2 || len > 12 || !/^\p{Script=Han}+$/u.test(piece)) continue;
      set.add(piece);
      maxLen = Math.max(maxLen, len);
    }
  }
  return { words: set, maxLen, lengths: lengthsByFirst(set) };
}

/** A dictionary from words already normalised and filtered by `createDictionary` (a serialised index's words). */
export function dictionaryOf(words: readonly string[]): Dictionary {
  const set = new Set(words);
  let maxLen = 1;
  for (const w of set) maxLen = Math.max(maxLen, Array.from(w).length);
  return { words: set, maxLen, lengths: lengthsByFirst(set) };
}

/** The built-in domain words, for callers that have no knowledge base at hand. */
export const builtinDictionary: Dictionary = createDictionary(domainTerms);

const HAN = /\p{Script=Han}/u;

/**
 * Full-width → half-width (NFKC), traditional → simplified (common characters), lower case, thousands separators
 * dropped ("1,250" → "1250"), every other punctuation mark → one space.
 */
export function normalise(text: string): string {
  let s = text.normalize("NFKC").toLowerCase();
  let out = "";
  for (const ch of s) out += TRAD_TO_SIMP.get(ch) ?? ch;
  s = out.replace(/(\d)[,，](?=\d{3}\b)/g, "$1");
  s = s.replace(/[^\p{Script=Han}a-z0-9.%]+/gu, " ");
  s = s.replace(/(?<!\d)\.|\.(?!\d)/g, " ");
  return s.replace(/\s+/g, " ").trim();
}

/** Splits normalised text into runs of Han characters and runs of latin letters / digits. */
function runs(text: string): { han: boolean; text: string }[] {
  const out: { han: boolean; text: string }[] = [];
  for (const m of text.matchAll(/\p{Script=Han}+|[a-z0-9.%]+/gu)) out.push({ han: HAN.test(m[0]), text: m[0] });
  return out;
}

/**
 * Forward maximum matching. At each position the longest domain word wins; failing that the longest everyday
 * word (`known: false`, a boundary only); failing that a single character.
 */
export function maxMatch(run: string, dict: Dictionary): { word: string; known: boolean }[] {
  // Han runs are BMP characters in practice; fall back to code-point arrays when one is not.
  const chars: string[] | string = /[\uD800-\uDFFF]/.test(run) ? Array.from(run) : run;
  const at = (i: number, len: number) =>
    typeof chars === "string" ? chars.slice(i, i + len) : chars.slice(i, i + len).join("");
  const n = chars.length;
  const out: { word: string; known: boolean }[] = [];
  let i = 0;
  while (i < n) {
    const first = typeof chars === "string" ? chars[i]! : chars[i]!;
    let domain = 0;
    for (const len of dict.lengths.get(first) ?? []) {
      if (len <= n - i && dict.words.has(at(i, len))) {
        domain = len;
        break;
      }
    }
    let common = 0;
    if (!domain) {
      for (const len of COMMON_LENGTHS.get(first) ?? []) {
        if (len <= n - i && COMMON.has(at(i, len))) {
          common = len;
          break;
        }
      }
    }
    const len = domain || common || 1;
    out.push({ word: at(i, len), known: domain > 0 });
    i += len;
  }
  return out;
}

/** Words as a reader would see them (dictionary words whole, the rest char by char). For tests and the bench. */
export function segmentWords(text: string, dict: Dictionary = builtinDictionary): string[] {
  const out: string[] = [];
  for (const r of runs(normalise(text))) {
    if (!r.han) out.push(r.text);
    else for (const p of maxMatch(r.text, dict)) out.push(p.word);
  }
  return out;
}

/** Characters that carry no meaning as unigrams (they still take part in bigrams). */
const STOP_UNIGRAMS = new Set(
  Array.from(
    "的了吗呢吧啊是在和与及或也都就还要会能可以这那哪我你他她它们个么什怎多少有没不吧把被给让对为从到去来上下里中几块",
  ),
);

/**
 * Index/query tokens for a text: dictionary words (plus dictionary words nested in them), character bigrams over
 * each Han run, unigrams outside a small stop set, and latin words / numbers.
 * `words` lets a caller swap the word step (the jieba comparison in the bench does).
 */
export function tokenize(text: string, dict: Dictionary, words?: (run: string) => string[]): Token[] {
  const out: Token[] = [];
  emitTokens(text, dict, words, (kind, term, content) => out.push({ term, kind, content }));
  return out;
}

/** Index keys (`kind:term`) of a text, without building Token objects (the index build is allocation-bound). */
export function tokenKeys(text: string, dict: Dictionary, words?: (run: string) => string[]): string[] {
  const out: string[] = [];
  emitTokens(text, dict, words, (kind, term) => out.push(`${kind}:${term}`));
  return out;
}

function emitTokens(
  text: string,
  dict: Dictionary,
  words: ((run: string) => string[]) | undefined,
  emit: (kind: TokenKind, term: string, content: boolean) => void,
): void {
  for (const r of runs(normalise(text))) {
    if (!r.han) {
      emit("a", r.text, true);
      continue;
    }
    const segments = words
      ? words(r.text).map((w) => ({ word: w, known: Array.from(w).length >= 2 }))
      : maxMatch(r.text, dict);
    const chars = Array.from(r.text);
    const segOf = new Int32Array(chars.length);
    const segLen: number[] = [];
    let at = 0;
    segments.forEach((seg, si) => {
      const n = seg.word.length === 1 ? 1 : Array.from(seg.word).length;
      segLen.push(n);
      for (let k = 0; k < n && at < chars.length; k++) segOf[at++] = si;
      if (n < 2) return;
      if (seg.known) emit("w", seg.word, true);
      if (n >= 3) for (const sub of nestedWords(seg.word, dict)) emit("w", sub, true);
    });
    for (let i = 0; i + 1 < chars.length; i++) {
      const a = segOf[i]!;
      const b = segOf[i + 1]!;
      const cross = a !== b && ((segLen[a] ?? 1) >= 2 || (segLen[b] ?? 1) >= 2);
      const fn = STOP_UNIGRAMS.has(chars[i]!) || STOP_UNIGRAMS.has(chars[i + 1]!);
      emit("b", chars[i]! + chars[i + 1]!, !cross && !fn);
    }
    for (const c of chars) if (!STOP_UNIGRAMS.has(c)) emit("u", c, false);
  }
}

/** Dictionary words strictly inside `word` (助学贷款 → 助学, 贷款), so a shorter query word still matches. */
function nestedWords(word: string, dict: Dictionary): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  if (chars.length < 3) return out;
  for (let i = 0; i < chars.length; i++) {
    const starts = dict.lengths.get(chars[i]!);
    if (!starts) continue;
    for (const len of starts) {
      if (len >= chars.length || i + len > chars.length) continue;
      const w = chars.slice(i, i + len).join("");
      if (dict.words.has(w)) out.push(w);
    }
  }
  return out;
}

// ── queries ──────────────────────────────────────────────────────────────────────────────────────────────────

interface Rewriter {
  /** Longest-match replacement table: misheard / dialect form → standard form ("" removes a filler). */
  readonly replace: ReadonlyMap<string, string>;
  readonly maxLen: number;
  /** For each first character, the lengths of the table's keys starting with it, longest first. */
  readonly lengths: ReadonlyMap<string, readonly number[]>;
}

function createRewriter(dropFillers: boolean): Rewriter {
  const replace = new Map<string, string>();
  // Standard forms map to themselves first, so a longer standard word is never broken by a shorter rule
  // ("孩子" must not hit the rule "孩" → "孩子"; "有没有" must not hit "有没").
  for (const rule of synonyms)
    if (rule.mode === "replace") for (const to of rule.to) for (const w of normalise(to).split(" ")) replace.set(w, w);
  if (dropFillers) for (const f of fillers) replace.set(normalise(f), "");
  for (const rule of synonyms) {
    if (rule.mode !== "replace") continue;
    rule.from.forEach((from, i) => {
      const to = rule.to.length === rule.from.length ? rule.to[i]! : rule.to[0]!;
      replace.set(normalise(from), normalise(to));
    });
  }
  replace.delete("");
  let maxLen = 1;
  const lengths = new Map<string, number[]>();
  for (const k of replace.keys()) {
    const chars = Array.from(k);
    maxLen = Math.max(maxLen, chars.length);
    const list = lengths.get(chars[0]!) ?? [];
    if (!list.includes(chars.length)) list.push(chars.length);
    lengths.set(chars[0]!, list);
  }
  for (const list of lengths.values()) list.sort((a, b) => b - a);
  return { replace, maxLen, lengths };
}

const queryRewriter = createRewriter(true);
const canonicalRewriter = createRewriter(false);

function applyRewriter(normalised: string, rw: Rewriter): string {
  const chars = Array.from(normalised);
  let out = "";
  let i = 0;
  while (i < chars.length) {
    let done = false;
    // Only the key lengths that start with this character are tried (the table has thousands of keys).
    for (const len of rw.lengths.get(chars[i]!) ?? []) {
      if (i + len > chars.length) continue;
      const piece = len === 1 ? chars[i]! : chars.slice(i, i + len).join("");
      const to = rw.replace.get(piece);
      if (to !== undefined) {
        out += to === "" ? " " : to;
        i += len;
        done = true;
        break;
      }
    }
    if (!done) {
      out += chars[i]!;
      i += 1;
    }
  }
  return out.replace(/\s+/g, " ").trim();
}

/** Applies the replace rules and drops fillers (single pass, longest match first). Input must be normalised. */
export function rewrite(normalised: string): string {
  return applyRewriter(normalised, queryRewriter);
}

/**
 * A message in standard form for routing: normalised (full-width, traditional, case, punctuation → space) and
 * typos / dialect replaced, fillers kept (routing reads particles like 吗 and 没).
 */
export function canonical(text: string): string {
  const hit = canonicalMemo.get(text);
  if (hit !== undefined) return hit;
  const out = applyRewriter(normalise(text), canonicalRewriter);
  // One message is read in canonical form by several steps (safety, routing, understanding): keep the last few.
  if (canonicalMemo.size >= 256) canonicalMemo.delete(canonicalMemo.keys().next().value!);
  canonicalMemo.set(text, out);
  return out;
}
const canonicalMemo = new Map<string, string>();

export interface PreparedQuery {
  /** The query after normalisation, rewriting and filler removal. */
  text: string;
  /** Extra terms from `expand` rules, each with its weight and the words of the question that triggered it. */
  expansions: { text: string; weight: number; source: string }[];
}

/** The expand rules with their `from` words normalised once (not on every query). */
let expandCache: { from: string[]; to: readonly string[]; weight?: number }[] | undefined;
function expandRules() {
  expandCache ??= synonyms
    .filter((r) => r.mode === "expand")
    .map((r) => ({
      from: r.from.map((f) => normalise(f).replace(/ /g, "")),
      to: r.to,
      ...(r.weight !== undefined ? { weight: r.weight } : {}),
    }));
  return expandCache;
}

/** Normalise → rewrite (typos, dialect) → drop fillers → collect expansions. */
export function prepareQuery(query: string): PreparedQuery {
  const text = rewrite(normalise(query));
  const compact = text.replace(/ /g, "");
  const expansions: { text: string; weight: number; source: string }[] = [];
  for (const rule of expandRules()) {
    const source = rule.from.find((f) => compact.includes(f));
    if (source === undefined) continue;
    for (const to of rule.to) expansions.push({ text: to, weight: rule.weight ?? 0.8, source });
  }
  return { text, expansions };
}
