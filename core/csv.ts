/**
 * A small RFC 4180 CSV reader that remembers the line each record starts on, so every error can name the line a
 * school officer sees in their spreadsheet. Handles a UTF-8 BOM, CRLF, quoted fields with commas, quotes and
 * line breaks. Uploads arrive as bytes: decodeUpload reads Excel's GB18030 exports as well as UTF-8.
 */
import { AppError } from "./errors.js";
import { cleanText } from "./hygiene.js";

export interface CsvRecord {
  /** 1-based line the record starts on (the header is line 1). */
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRecord[] {
  if (text.includes("\uFFFD")) {
    throw AppError.validation("csv_encoding", "文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8”或 .xlsx 后再上传");
  }
  // Invisible and control characters (zero-width, bidi overrides, a BOM inside a cell) go before parsing.
  const src = cleanText(text);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    // Blank lines (a lone empty field) are skipped, not reported: spreadsheets leave them at the end.
    if (!(fields.length === 1 && fields[0]!.trim() === "")) records.push({ line: start, fields });
    fields = [];
    field = "";
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\r" && src[i + 1] === "\n") {
      // handled by the \n on the next step
    } else if (ch === "\n" || ch === "\r") {
      endRecord();
      line++;
      start = line;
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted)
    throw AppError.validation(
      "csv_unclosed_quote",
      `第 ${start} 行：引号没有闭合——从这一行的一个双引号（"）起到文件末尾都没有结束的引号。请在 Excel 里检查这一行，删去多余的双引号后另存为 CSV 再上传`,
      [{ line: start, message: `引号没有闭合：请检查这一行里多出来的双引号（"）` }],
    );
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

/**
 * Files saved by Excel on Chinese Windows are often GB18030 rather than UTF-8. Decode as UTF-8 strictly first and
 * fall back to GB18030. Some GB18030 bytes are also valid UTF-8 — 元 is D4 AA, which UTF-8 reads as the Armenian
 * letter Ԫ — so a strict UTF-8 success that yields letters no Chinese spreadsheet contains (U+0080–U+2FFF except
 * common punctuation), while the same bytes read as GB18030 give clean Chinese, is taken as GB18030.
 */
export function decodeUpload(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    if (unlikelyInChinese(text) > 0) {
      const gb = new TextDecoder("gb18030").decode(bytes);
      if (!gb.includes("\uFFFD") && unlikelyInChinese(gb) < unlikelyInChinese(text)) text = gb;
    }
  } catch {
    text = new TextDecoder("gb18030").decode(bytes);
  }
  return text.replace(/^\uFEFF/, "");
}

/** Characters a Chinese school or bank file does not contain: Latin-1 letters, Greek, Cyrillic, Armenian, Hebrew … */
function unlikelyInChinese(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 && cp < 0x3000 && !COMMON.has(ch)) n++;
  }
  return n;
}
const COMMON = new Set([..."·×÷°±—–‘’“”…‰※→←↑↓①②③④⑤⑥⑦⑧⑨⑩€£¥§©®"]);
