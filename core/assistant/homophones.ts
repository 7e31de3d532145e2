/**
 * Voice-input slips corrected through pinyin: a run of characters that sounds like a domain word
 * (prompts/understanding.ts `homophoneVocabulary`) but is written differently is replaced by the word — 身缘地 →
 * 生源地, 玉露 → 雨露, 建档里卡 → 建档立卡. Sounds are compared toneless and with the usual fuzzy pairs of
 * southern and dialect speech (zh/z, ch/c, sh/s, n/l, -ng/-n, f/h), so one rule covers what a typo list would
 * have to enumerate. Pinyin comes from `pinyin-pro` (a maintained dictionary with polyphone handling, no
 * dependencies, no install script).
 */
import { pinyin } from "pinyin-pro";
import { homophoneVocabulary, shortHomophones } from "../../prompts/understanding";

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

function syllables(text: string): string[] {
  return pinyin(text, { toneType: "none", type: "array", v: true, nonZh: "consecutive" });
}

interface Vocab {
  /** fuzzy key (syllables joined by "-") → word */
  byKey: Map<string, string>;
  lengths: number[];
  words: Set<string>;
}

let vocab: Vocab | undefined;

function build(): Vocab {
  const byKey = new Map<string, string>();
  const words = new Set<string>();
  const lengths = new Set<number>();
  const all = [...homophoneVocabulary.filter((w) => Array.from(w).length >= 3), ...shortHomophones];
  for (const w of all) {
    const chars = Array.from(w);
    const key = syllables(w).map(fuzzySyllable).join("-");
    // Two words that sound alike (none today) would make the correction ambiguous: keep the first.
    if (!byKey.has(key)) byKey.set(key, w);
    words.add(w);
    lengths.add(chars.length);
  }
  return { byKey, words, lengths: [...lengths].sort((a, b) => b - a) };
}

/** The vocabulary, built on first use (the bench counts it in the cold build). */
export function homophoneIndex(): Vocab {
  return (vocab ??= build());
}

const HAN = /^\p{Script=Han}$/u;

/**
 * The text with sound-alike slips replaced by domain words. Words already spelled right are left alone; only
 * runs of Han characters are compared; the rest of the text is kept as typed.
 */
export function correctHomophones(text: string): { text: string; corrections: { heard: string; meant: string }[] } {
  const v = homophoneIndex();
  const chars = Array.from(text);
  if (!chars.some((c) => HAN.test(c))) return { text, corrections: [] };
  // pinyin-pro returns one syllable per Han character; non-Han runs come back as one item each ("consecutive").
  const py: (string | null)[] = [];
  for (const c of chars) py.push(HAN.test(c) ? null : null);
  const hanIdx: number[] = [];
  chars.forEach((c, i) => {
    if (HAN.test(c)) hanIdx.push(i);
  });
  const hanText = hanIdx.map((i) => chars[i]).join("");
  const sy = syllables(hanText).map(fuzzySyllable);
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
