/**
 * Turns assistant output into WeChat text messages.
 *
 * WeChat shows plain text only and refuses text messages much over 2048 UTF-8 bytes, and the
 * customer-service API allows only a few messages per user message (5 in 48 h). So:
 *   1. stripMarkdown(): headings, emphasis, links, bullets, code fences, quotes, rules → plain text;
 *   2. splitForWechat(): cut at sentence ends (。！？!?；; and newlines) into chunks of at most
 *      `maxBytes` UTF-8 bytes; a single sentence that is still too long is cut between characters;
 *   3. at most `maxChunks` chunks; when text had to be dropped the last chunk ends with
 *      TRUNCATION_NOTICE.
 */

/** Appended to the last chunk when the answer had to be shortened. (Candidate for prompts/.) */
import { TRUNCATION_NOTICE } from "../../../prompts/channels.js";
export { TRUNCATION_NOTICE };

export const DEFAULT_MAX_BYTES = 1800;
export const DEFAULT_MAX_CHUNKS = 5;

export interface SplitOptions {
  /** Per-chunk limit in UTF-8 bytes. Default 1800 (WeChat's hard limit is about 2048). */
  maxBytes?: number;
  /** Maximum number of chunks. Default 5 (the customer-service quota). */
  maxChunks?: number;
  /** Text appended to the last chunk when something was dropped. Default TRUNCATION_NOTICE. */
  notice?: string;
}

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

// ---------------------------------------------------------------------------------------------
// Markdown → plain text

const FENCE = /^[ \t]*(```|~~~)[^\n]*\n([\s\S]*?)(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm;

/** Removes markdown syntax, keeping the words. Code inside fences is kept verbatim. */
export function stripMarkdown(input: string): string {
  // NUL is reserved for the code-block placeholders below; it has no business in a reply anyway.
  let s = input.replace(/\r\n?/g, "\n").replace(/\u0000/g, "");

  // Keep fenced code aside so its content is not rewritten below.
  const blocks: string[] = [];
  s = s.replace(FENCE, (_m, _fence: string, body: string) => {
    blocks.push(body.replace(/\n$/, ""));
    return `\u0000${blocks.length - 1}\u0000`;
  });

  const lines = s.split("\n").flatMap((line): string[] => {
    if (/^[ \t]*\u0000\d+\u0000[ \t]*$/.test(line)) return [line];
    let l = line;
    if (/^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/.test(l)) return [""]; // horizontal rule → paragraph break
    if (/^[\s|:-]+$/.test(l) && l.includes("|") && l.includes("---")) return []; // table separator row
    l = l.replace(/^ {0,3}#{1,6}[ \t]+/, "").replace(/[ \t]+#+[ \t]*$/, ""); // heading
    l = l.replace(/^[ \t]*(>[ \t]?)+/, ""); // block quote
    l = l.replace(/^[ \t]*[-*+•][ \t]+/, "· "); // bullet
    l = l.replace(/^[ \t]+(\d+[.)、][ \t]+)/, "$1"); // indented numbered item
    if (/^\s*\|.*\|\s*$/.test(l)) {
      l = l
        .trim()
        .replace(/^\||\|$/g, "")
        .split("|")
        .map((c) => c.trim())
        .join("  ");
    }
    return [l];
  });
  s = lines.join("\n");

  // Spans are length-bounded ({0,300}, {0,1000}) so a hostile line cannot make these quadratic.
  s = s
    .replace(/!\[([^\]\n]{0,300})\]\([^)\n]{0,1000}\)/g, "$1") // image → alt text
    .replace(/\[([^\]\n]{1,300})\]\([^)\n]{0,1000}\)/g, "$1") // link → text
    .replace(/\[\]\(([^)\s]{1,1000})[^)\n]{0,1000}\)/g, "$1") // empty link text → URL
    .replace(/<(https?:\/\/[^>\s]{1,1000})>/g, "$1") // autolink
    .replace(/`([^`\n]{1,300})`/g, "$1") // inline code
    .replace(/(\*\*|__)(?=\S)([^\n]{0,300}?\S)\1/g, "$2") // bold
    .replace(/~~(?=\S)([^\n]{0,300}?\S)~~/g, "$1") // strikethrough
    .replace(/(^|[^*\w])\*(?=[^\s*])([^*\n]{0,300}?[^\s*])\*(?!\*)/g, "$1$2"); // italic *x*

  s = s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => blocks[Number(i)] ?? "");

  return s
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Sentences

const TERMINATORS = new Set(["。", "！", "？", "!", "?", "；", ";", "…"]);
const CLOSERS = new Set(["”", "’", "」", "』", "）", ")", "】", "》", '"', "'"]);

/**
 * Yields the text cut after sentence ends, keeping every character: joining the pieces gives the
 * input back. Runs of terminators and the closing quotes/brackets after them stay with their
 * sentence; a newline ends a sentence too; an English "." ends one only when followed by
 * whitespace. (All marks involved are single UTF-16 units, so indexing by unit is safe.)
 */
function* sentences(text: string): Generator<string> {
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i++] ?? "";
    let end = c === "\n";
    if (TERMINATORS.has(c) || (c === "." && /\s/.test(text[i] ?? ""))) {
      while (i < text.length && TERMINATORS.has(text[i] ?? "")) i++;
      while (i < text.length && CLOSERS.has(text[i] ?? "")) i++;
      end = true;
    }
    if (end) {
      while (text[i] === "\n") i++; // newlines right after the sentence belong to it
      yield text.slice(start, i);
      start = i;
    }
  }
  if (start < text.length) yield text.slice(start);
}

/** splitSentences("一。二") → ["一。", "二"]; see sentences() for the rules. */
export function splitSentences(text: string): string[] {
  return Array.from(sentences(text));
}

// ---------------------------------------------------------------------------------------------
// Packing

const graphemeSegmenter = new Intl.Segmenter("zh", { granularity: "grapheme" });
const SEGMENT_WINDOW = 2048;

/**
 * Grapheme clusters of `s`, segmented in bounded windows: V8's Intl.Segmenter becomes dramatically
 * slower than linear on very long strings. The last cluster of each window may have been cut by
 * the window edge, so it is re-read as the start of the next window.
 */
function* graphemes(s: string): Generator<string> {
  let start = 0;
  while (start < s.length) {
    const end = Math.min(s.length, start + SEGMENT_WINDOW);
    const segs = Array.from(graphemeSegmenter.segment(s.slice(start, end)), (x) => x.segment);
    if (end < s.length && segs.length > 1) segs.pop();
    for (const g of segs) {
      yield g;
      start += g.length;
    }
  }
}
const SOFT_BREAK = /[，、,：:\s]/;

/** Cuts one over-long piece between graphemes, preferring a comma/space in the second half. */
function* hardSplit(piece: string, maxBytes: number): Generator<string> {
  let cur = "";
  let curBytes = 0;
  let lastSoft = -1; // length of `cur` (UTF-16 units) just after its last soft break
  for (const segment of graphemes(piece)) {
    // A pathological grapheme (endless combining marks) larger than a chunk is cut by code point.
    const units = utf8Bytes(segment) <= maxBytes ? [segment] : Array.from(segment);
    for (const unit of units) {
      const b = utf8Bytes(unit);
      if (curBytes + b > maxBytes && cur !== "") {
        if (lastSoft > cur.length / 2) {
          yield cur.slice(0, lastSoft);
          cur = cur.slice(lastSoft);
          curBytes = utf8Bytes(cur);
        }
        if (curBytes + b > maxBytes) {
          yield cur;
          cur = "";
          curBytes = 0;
        }
        lastSoft = -1;
      }
      cur += unit;
      curBytes += b;
      if (SOFT_BREAK.test(unit)) lastSoft = cur.length;
    }
  }
  if (cur !== "") yield cur;
}

/** Greedy packing of sentences into trimmed, non-empty chunks of at most maxBytes. Lazy. */
function* pack(pieces: Iterable<string>, maxBytes: number): Generator<string> {
  let cur = "";
  for (const s of pieces) {
    if (utf8Bytes(cur) + utf8Bytes(s) <= maxBytes) {
      cur += s;
      continue;
    }
    if (cur.trim() !== "") yield cur.trim();
    cur = "";
    if (utf8Bytes(s) <= maxBytes) {
      cur = s;
      continue;
    }
    // One sentence longer than a chunk: emit its parts, keep the last one open for what follows.
    for (const part of hardSplit(s, maxBytes)) {
      if (cur.trim() !== "") yield cur.trim();
      cur = part;
    }
  }
  if (cur.trim() !== "") yield cur.trim();
}

/** The longest prefix of `text`, cut at a sentence end if possible, that fits in `budget` bytes. */
function fitPrefix(text: string, budget: number): string {
  if (budget <= 0) return "";
  let out = "";
  for (const s of splitSentences(text)) {
    if (utf8Bytes(out + s) > budget) {
      if (out.trim() === "") out = hardSplit(s, budget).next().value ?? "";
      break;
    }
    out += s;
  }
  return out.trim();
}

/**
 * Splits plain text into WeChat-sized chunks (see module comment). Returns [] for blank input.
 * Every chunk is at most `maxBytes` UTF-8 bytes, including the truncation notice.
 */
export function splitForWechat(text: string, options: SplitOptions = {}): string[] {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxChunks = options.maxChunks ?? DEFAULT_MAX_CHUNKS;
  const notice = options.notice ?? TRUNCATION_NOTICE;
  const noticeBytes = utf8Bytes(`\n${notice}`);
  if (!Number.isInteger(maxChunks) || maxChunks < 1) throw new RangeError("maxChunks must be a positive integer");
  if (!Number.isInteger(maxBytes) || maxBytes < noticeBytes + 16) {
    throw new RangeError("maxBytes is too small to hold the truncation notice");
  }

  // Packing is lazy: stop as soon as we know the text does not fit in maxChunks.
  const chunks: string[] = [];
  for (const chunk of pack(sentences(text.replace(/\r\n?/g, "\n")), maxBytes)) {
    chunks.push(chunk);
    if (chunks.length > maxChunks) break;
  }
  if (chunks.length <= maxChunks) return chunks;

  const kept = chunks.slice(0, maxChunks - 1);
  const last = fitPrefix(chunks[maxChunks - 1] ?? "", maxBytes - noticeBytes);
  kept.push(last === "" ? notice : `${last}\n${notice}`);
  return kept;
}

/** stripMarkdown() then splitForWechat(): what the sender should call on assistant output. */
export function prepareWechatText(text: string, options: SplitOptions = {}): string[] {
  return splitForWechat(stripMarkdown(text), options);
}
