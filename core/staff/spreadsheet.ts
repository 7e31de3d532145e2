/**
 * A staff upload as a table of text cells with spreadsheet line numbers: .xlsx through ExcelJS (first sheet),
 * anything else as CSV in UTF-8, UTF-8 with BOM or GB18030 (core/csv.ts decodes and parses). The console's
 * uploads and the API's CSV routes read through here, so a file means the same thing on both.
 */
import type ExcelJS from "exceljs";
import { AppError } from "../errors.js";
import { decodeUpload, parseCsv, type CsvRecord } from "../csv.js";
import { cleanText, neutraliseCell } from "../hygiene.js";

const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * ExcelJS (~400 KB with its zip and promise libraries) is loaded on the first spreadsheet, not at cold start: most
 * invocations (every webhook, every queue job) never read or write one.
 */
let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () =>
  (excel ??= import("exceljs").then(
    (m) => (m as { default?: typeof ExcelJS }).default ?? (m as unknown as typeof ExcelJS),
  ));

export function isXlsx(bytes: Uint8Array): boolean {
  return ZIP.every((b, i) => bytes[i] === b);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("text" in v) return String(v.text);
    if ("result" in v) return v.result === undefined ? "" : cellText(v.result as ExcelJS.CellValue);
    if ("error" in v) return "";
  }
  return String(v);
}

/** Records (header first), each with the line a person sees in Excel or a text editor. */
export async function readTable(bytes: Uint8Array): Promise<CsvRecord[]> {
  if (!isXlsx(bytes)) return parseCsv(decodeUpload(bytes));
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw AppError.validation(
      "xlsx_unreadable",
      "无法读取这个 Excel 文件：请用 Excel 另存为 .xlsx 或“CSV UTF-8”后再上传",
    );
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw AppError.validation("csv_empty", "文件里没有工作表：请检查文件");
  const out: CsvRecord[] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const fields: string[] = [];
    for (let c = 1; c <= width; c++) fields.push(cleanText(cellText(row.getCell(c).value)).trim());
    while (fields.length && fields[fields.length - 1] === "") fields.pop();
    if (fields.some((f) => f !== "")) out.push({ line, fields });
  });
  return out;
}

/**
 * A one-sheet workbook with a header row (and rows): the one way this product writes a spreadsheet (templates, the
 * follow-up list), so every exported cell is neutralised here — a name typed as `=cmd|…` stays text in Excel.
 */
export async function workbook(sheetName: string, header: string[], rows: string[][] = []): Promise<Uint8Array> {
  const wb = new (await loadExcel()).Workbook();
  const sheet = wb.addWorksheet(sheetName);
  sheet.addRow(header.map(neutraliseCell)).font = { bold: true };
  for (const r of rows) sheet.addRow(r.map(neutraliseCell));
  // 学籍号 and phones are text: a number format would turn them into 1.23E+17.
  sheet.columns.forEach((col) => {
    col.width = 16;
    col.numFmt = "@";
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
