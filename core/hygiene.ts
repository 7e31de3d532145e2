/**
 * Text hygiene at the boundary, in one place: what every body, upload and export goes through.
 *
 * - Bodies must be real UTF-8: a decoder that silently turns bad bytes into U+FFFD would store "张�" as a name.
 * - Invisible characters are stripped from every string a person typed (names, notices, reasons): zero-width
 *   spaces and joiners, bidi overrides/isolates (which make "gpj.exe" read as "exe.jpg"), a BOM inside text, soft
 *   hyphens and C0/C1 control characters (tab, LF and CR stay: notices have lines). Stripping rather than refusing:
 *   these come from copy-paste out of WeChat and Word, and the school officer cannot see them to fix them.
 * - Cells that a spreadsheet would run as a formula (= + - @, tab or CR first) are neutralised in every export.
 */
import { AppError } from "./errors.js";

// U+00AD soft hyphen, U+061C Arabic letter mark, U+180E Mongolian vowel separator, U+200B–U+200F zero-width and
// LRM/RLM, U+202A–U+202E bidi embeddings/overrides, U+2060–U+2064 word joiner and invisible operators,
// U+2066–U+2069 bidi isolates, U+FEFF BOM / zero-width no-break space; C0 controls except \t \n \r, DEL, C1.
const INVISIBLE =
  /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g;
const INVISIBLE_TEST = new RegExp(INVISIBLE.source);
/** The same characters written as JSON escapes (\u200b …), which a raw-text test would miss. */
const ESCAPED_INVISIBLE =
  /\\u(?:00[01][0-9a-f]|007f|00[89][0-9a-f]|00ad|061c|180e|200[b-f]|202[a-e]|206[0-46-9]|feff)/i;

export function hasInvisible(text: string): boolean {
  return INVISIBLE_TEST.test(text);
}

/** The text without invisible and control characters. */
export function cleanText(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** Every string (and key) in a parsed JSON value, cleaned. */
export function cleanDeep(value: unknown): unknown {
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanDeep);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanDeep(v)]));
  }
  return value;
}

/**
 * A JSON body's text with invisible characters removed from its strings; the text itself when it has none (the
 * common case costs one scan) or is not JSON (the route then reports invalid JSON as before).
 */
export function cleanJsonText(text: string): string {
  if (!hasInvisible(text) && !ESCAPED_INVISIBLE.test(text)) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return text;
  }
  return JSON.stringify(cleanDeep(parsed));
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

export const INVALID_UTF8_MESSAGE =
  "请求内容不是有效的 UTF-8 文本（可能是编码错误或文件损坏）：请用 UTF-8 编码重新提交";

/** Bytes as UTF-8 text, refusing (400 invalid_utf8) instead of replacing bad bytes with U+FFFD. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw AppError.validation("invalid_utf8", INVALID_UTF8_MESSAGE);
  }
}

/** Excel and WPS run a cell that starts with = + - @ (or a tab / CR) as a formula: such cells get a leading apostrophe. */
export function neutraliseCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
