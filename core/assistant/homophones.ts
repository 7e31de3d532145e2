/**
 * Voice-input slips corrected through pinyin: a run of characters that sounds like a domain word
 * (prompts/understanding.ts `homophoneVocabulary`) but is written differently is replaced by the word — 身缘地 →
 * 生源地, 玉露 → 雨露, 建档里卡 → 建档立卡. Sounds are compared toneless and with the usual fuzzy pairs of
 * southern and dialect speech (zh/z, ch/c, sh/s, n/l, -ng/-n, f/h), so one rule covers what a typo list would
 * have to enumerate. Pinyin comes from `pinyin-pro` (a maintained dictionary with polyphone handling, no
 * dependencies, no install script).
 *
 * pinyin-pro costs ~50–60 ms to import and 20–70 ms more to build its word matcher on first use, so it is loaded
 * only for a message that may hold a slip. The table built ahead of time into prompts/homophones.index.json
 * (`npm run kb:index`, beside the retrieval index) holds the domain words' sound keys and, for every common
 * character, the fuzzy syllables any of its readings (alone or inside one of pinyin-pro's words) has among the
 * domain words' syllables. A message none of whose runs could sound like a domain word is returned as typed
 * without pinyin-pro; any other message (or one with a character outside the table) is read with pinyin-pro
 * exactly as before, so the table changes which messages pay for pinyin, never a correction.
 * test/core/assistant/homophones.test.ts fails when the table is not what a fresh build gives.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { homophoneVocabulary, shortHomophones } from "../../prompts/understanding";
import { defaultKbDir } from "../policy/kb";
import { writeArtefact } from "../policy/prebuilt";

/** One syllable reduced to its fuzzy class. */
export function fuzzySyllable(s: string): string {
  let x = s.toLowerCase().replace(/ü/g, "v");
  x = x
    .replace(/^zh/, "z")
    .replace(/^ch/, "c")
    .replace(/^sh/, "s")
    .replace(/^n(?=[aeiouv])/, "l")
    .replace(/^f/, "h");
  x = x.replace(/ng$/, "n");
  return x;
}

type PinyinFn = typeof import("pinyin-pro").pinyin;
let pinyinFn: PinyinFn | undefined;

/** pinyin-pro, imported on first need (the import is what a cold start avoids). */
async function loadPinyin(): Promise<PinyinFn> {
  return (pinyinFn ??= (await import("pinyin-pro")).pinyin);
}

function syllablesWith(pinyin: PinyinFn, text: string): string[] {
  return pinyin(text, { toneType: "none", type: "array", v: true, nonZh: "consecutive" });
}

interface Vocab {
  /** fuzzy key (syllables joined by "-") → word */
  byKey: Map<string, string>;
  lengths: number[];
  words: Set<string>;
}

/** The words corrected to (three characters or more, and the listed two-character ones). */
function vocabularyWords(): string[] {
  return [...homophoneVocabulary.filter((w) => Array.from(w).length >= 3), ...shortHomophones];
}

function buildVocab(pinyin: PinyinFn): Vocab {
  const byKey = new Map<string, string>();
  const words = new Set<string>();
  const lengths = new Set<number>();
  for (const w of vocabularyWords()) {
    const chars = Array.from(w);
    const key = syllablesWith(pinyin, w).map(fuzzySyllable).join("-");
    // Two words that sound alike (none today) would make the correction ambiguous: keep the first.
    if (!byKey.has(key)) byKey.set(key, w);
    words.add(w);
    lengths.add(chars.length);
  }
  return { byKey, words, lengths: [...lengths].sort((a, b) => b - a) };
}

// ── the table built ahead of time ────────────────────────────────────────────────────────────────────────────

/** Bumped when the table's shape or the way it is computed changes. */
export const HOMOPHONE_FORMAT = 1;
/** The characters the table describes (CJK Unified Ideographs); any other Han character sends a message to pinyin-pro. */
const FIRST = 0x4e00;
const LAST = 0x9fff;

export interface HomophoneTable {
  format: number;
  /** Of the vocabulary and the format: a table for other words is not used. */
  fingerprint: string;
  /** The sound keys in vocabulary order: [fuzzy key, word]. */
  keys: [string, string][];
  /** Per fuzzy syllable of a key, every character one of whose readings has it. */
  bySyllable: Record<string, string>;
  /** Characters of FIRST…LAST that pinyin-pro does not know (their pinyin is the character itself). */
  unknown: string;
}

export function defaultHomophoneFile(): string {
  return join(dirname(defaultKbDir().replace(/[\\/]+$/, "")), "homophones.index.json");
}

export function homophoneFingerprint(): string {
  return createHash("sha256")
    .update(JSON.stringify({ format: HOMOPHONE_FORMAT, words: vocabularyWords() }))
    .digest("hex");
}

/**
 * Builds the table with pinyin-pro: each character's readings as pinyin-pro lists them, and the reading each
 * character has inside every word of pinyin-pro's own word list (what it reads in context), so that the syllables
 * of a character in any message are among its listed ones.
 */
export async function buildHomophoneTable(): Promise<HomophoneTable> {
  const pinyin = await loadPinyin();
  const vocab = buildVocab(pinyin);
  const wanted = new Set([...vocab.byKey.keys()].flatMap((k) => k.split("-")));
  const chars = new Map<string, Set<string>>();
  const add = (c: string, reading: string) => {
    const s = fuzzySyllable(reading);
    if (!wanted.has(s)) return;
    let set = chars.get(s);
    if (!set) chars.set(s, (set = new Set()));
    set.add(c);
  };
  let unknown = "";
  for (let cp = FIRST; cp <= LAST; cp++) {
    const c = String.fromCodePoint(cp);
    const readings = pinyin(c, { toneType: "none", type: "array", v: true, multiple: true });
    if (readings.length === 0 || (readings.length === 1 && readings[0] === c)) unknown += c;
    else for (const r of readings) add(c, r);
  }
  // pinyin-pro's word list (the words its matcher reads as a whole) is not part of its typed API: the specifiers
  // are variables so no bundle ever includes this step.
  const patternsModule = "pinyin-pro/dist/esm/data/patterns.mjs";
  const handleModule = "pinyin-pro/dist/esm/core/pinyin/handle.mjs";
  const { PatternsNormal } = (await import(patternsModule)) as { PatternsNormal: { zh: string; pinyin: string }[] };
  const { getPinyinWithoutTone } = (await import(handleModule)) as { getPinyinWithoutTone: (p: string) => string };
  for (const p of PatternsNormal) {
    const readings = p.pinyin.split(" ");
    Array.from(p.zh).forEach((c, i) => {
      const r = readings[i];
      if (r) add(c, getPinyinWithoutTone(r).replace(/ü/g, "v"));
    });
  }
  const bySyllable: Record<string, string> = {};
  for (const s of [...chars.keys()].sort()) bySyllable[s] = [...chars.get(s)!].sort().join("");
  return {
    format: HOMOPHONE_FORMAT,
    fingerprint: homophoneFingerprint(),
    keys: [...vocab.byKey],
    bySyllable,
    unknown,
  };
}

export async function writeHomophoneTable(file = defaultHomophoneFile()): Promise<HomophoneTable> {
  const table = await buildHomophoneTable();
  writeArtefact(file, `${JSON.stringify(table)}\n`);
  return table;
}

/** The prebuilt table read for use: the vocabulary, and a trie of the keys over each character's syllables. */
interface Prebuilt {
  vocab: Vocab;
  /** Per character, the fuzzy syllables (of the keys) it may be read as. */
  syllablesOf: Map<string, string[]>;
  unknown: Set<string>;
  trie: TrieNode;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** A key ends here. */
  end: boolean;
}

function readTable(file: string): Prebuilt | undefined {
  let table: HomophoneTable;
  try {
    if (!existsSync(file)) return undefined;
    table = JSON.parse(readFileSync(file, "utf8")) as HomophoneTable;
  } catch {
    return undefined; // unreadable: built with pinyin-pro as before
  }
  if (table.format !== HOMOPHONE_FORMAT || table.fingerprint !== homophoneFingerprint()) return undefined;
  const byKey = new Map(table.keys);
  const words = new Set(byKey.values());
  const lengths = new Set<number>();
  for (const w of vocabularyWords()) {
    words.add(w);
    lengths.add(Array.from(w).length);
  }
  const syllablesOf = new Map<string, string[]>();
  for (const [s, cs] of Object.entries(table.bySyllable))
    for (const c of cs) {
      const list = syllablesOf.get(c);
      if (list) list.push(s);
      else syllablesOf.set(c, [s]);
    }
  const trie: TrieNode = { next: new Map(), end: false };
  for (const key of byKey.keys()) {
    let node = trie;
    for (const s of key.split("-")) {
      let n = node.next.get(s);
      if (!n) node.next.set(s, (n = { next: new Map(), end: false }));
      node = n;
    }
    node.end = true;
  }
  return {
    vocab: { byKey, words, lengths: [...lengths].sort((a, b) => b - a) },
    syllablesOf,
    unknown: new Set(table.unknown),
    trie,
  };
}

let prebuilt: { table: Prebuilt | undefined } | undefined;

/** The prebuilt table, read once per process (every message asks for it). */
function prebuiltTable(): Prebuilt | undefined {
  return (prebuilt ??= { table: readTable(defaultHomophoneFile()) }).table;
}

let builtVocab: Vocab | undefined;

/**
 * The vocabulary: from the prebuilt table when it is fresh, else built with pinyin-pro (once per process). The
 * bench counts it in the cold build.
 */
export async function homophoneIndex(): Promise<Vocab> {
  const pre = prebuiltTable();
  if (pre) return pre.vocab;
  return (builtVocab ??= buildVocab(await loadPinyin()));
}

const HAN = /^\p{Script=Han}$/u;

/**
 * Whether some run of the message might be read as a domain word it is not spelled as: false only when, by the
 * table, no run of its characters can sound like a key (so pinyin-pro would find nothing to correct).
 */
function maySoundLikeDomainWord(chars: readonly string[], pre: Prebuilt): boolean {
  for (const c of chars) {
    if (!HAN.test(c)) continue;
    const cp = c.codePointAt(0)!;
    if (cp < FIRST || cp > LAST || pre.unknown.has(c)) return true;
  }
  for (let i = 0; i < chars.length; i++) {
    let nodes: TrieNode[] = [pre.trie];
    for (let k = i; k < chars.length && nodes.length > 0; k++) {
      const syllables = pre.syllablesOf.get(chars[k]!);
      if (!syllables) break;
      const next: TrieNode[] = [];
      for (const node of nodes)
        for (const s of syllables) {
          const n = node.next.get(s);
          if (n) next.push(n);
        }
      nodes = next;
      if (nodes.some((n) => n.end) && !pre.vocab.words.has(chars.slice(i, k + 1).join(""))) return true;
    }
  }
  return false;
}

/**
 * Whether the message has to be read with pinyin-pro: true when the prebuilt table is missing or stale, or says
 * some run of the message might sound like a domain word it is not spelled as.
 */
export function needsPinyin(text: string): boolean {
  const pre = prebuiltTable();
  return pre === undefined || maySoundLikeDomainWord(Array.from(text), pre);
}

/**
 * The text with sound-alike slips replaced by domain words. Words already spelled right are left alone; only
 * runs of Han characters are compared; the rest of the text is kept as typed. `prebuilt: false` reads every
 * message with pinyin-pro (what the table must agree with).
 */
export async function correctHomophones(
  text: string,
  opts: { prebuilt?: boolean } = {},
): Promise<{ text: string; corrections: { heard: string; meant: string }[] }> {
  const chars = Array.from(text);
  if (!chars.some((c) => HAN.test(c))) return { text, corrections: [] };
  if (opts.prebuilt !== false && !needsPinyin(text)) return { text, corrections: [] };
  const v = await homophoneIndex();
  const pinyin = await loadPinyin();
  // pinyin-pro returns one syllable per Han character; non-Han runs come back as one item each ("consecutive").
  const py: (string | null)[] = [];
  for (const c of chars) py.push(HAN.test(c) ? null : null);
  const hanIdx: number[] = [];
  chars.forEach((c, i) => {
    if (HAN.test(c)) hanIdx.push(i);
  });
  const hanText = hanIdx.map((i) => chars[i]).join("");
  const sy = syllablesWith(pinyin, hanText).map(fuzzySyllable);
  hanIdx.forEach((ci, k) => (py[ci] = sy[k] ?? null));
  const out: string[] = [];
  const corrections: { heard: string; meant: string }[] = [];
  let i = 0;
  while (i < chars.length) {
    let done = false;
    for (const len of v.lengths) {
      if (i + len > chars.length) continue;
      const run = chars.slice(i, i + len);
      if (!run.every((c) => HAN.test(c))) continue;
      const s = run.join("");
      if (v.words.has(s)) {
        out.push(s);
        i += len;
        done = true;
        break;
      }
      const meant = v.byKey.get(py.slice(i, i + len).join("-"));
      if (meant && meant !== s) {
        out.push(meant);
        corrections.push({ heard: s, meant });
        i += len;
        done = true;
        break;
      }
    }
    if (!done) {
      out.push(chars[i]!);
      i += 1;
    }
  }
  return { text: out.join(""), corrections };
}
