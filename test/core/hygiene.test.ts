import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import {
  cleanDeep,
  cleanJsonText,
  cleanText,
  decodeUtf8Strict,
  hasInvisible,
  neutraliseCell,
} from "../../core/hygiene.js";
import { parseCsv } from "../../core/csv.js";
import { readTable, workbook } from "../../core/staff/spreadsheet.js";
import { AppError } from "../../core/errors.js";

describe("cleanText", () => {
  it("strips zero-width characters, bidi overrides and isolates, a BOM inside text and control characters", () => {
    expect(cleanText("张\u200B三")).toBe("张三");
    expect(cleanText("李\u200C\u200D\u200E\u200F四")).toBe("李四");
    expect(cleanText("\u202Egpj.exe\u202C")).toBe("gpj.exe");
    for (const ch of [
      "\u202A",
      "\u202B",
      "\u202D",
      "\u2066",
      "\u2067",
      "\u2068",
      "\u2069",
      "\uFEFF",
      "\u0000",
      "\u0007",
      "\u001B",
      "\u007F",
      "\u0085",
      "\u00AD",
      "\u2060",
    ]) {
      expect(cleanText(`王${ch}五`)).toBe("王五");
    }
  });

  it("keeps tabs, line breaks and ordinary Chinese punctuation", () => {
    expect(cleanText("第一行\r\n第二行\t完")).toBe("第一行\r\n第二行\t完");
    expect(cleanText("欧阳·娜娜（母亲），“好”……")).toBe("欧阳·娜娜（母亲），“好”……");
    expect(hasInvisible("张三")).toBe(false);
    expect(hasInvisible("张\u200B三")).toBe(true);
  });

  it("cleans every string and key of a JSON value, leaving numbers and booleans", () => {
    expect(cleanDeep({ "na\u200Bme": ["a\u202Eb", 3, true, null, { x: "\uFEFFy" }] })).toEqual({
      name: ["ab", 3, true, null, { x: "y" }],
    });
  });

  it("cleans characters written as JSON escapes too, and leaves clean or broken JSON text alone", () => {
    expect(JSON.parse(cleanJsonText('{"name":"\\u5f20\\u200b\\u4e09\\u202E"}'))).toEqual({ name: "张三" });
    expect(JSON.parse(cleanJsonText('{"name":"张\u200B三"}'))).toEqual({ name: "张三" });
    const clean = '{"name": "张三"}';
    expect(cleanJsonText(clean)).toBe(clean);
    const broken = '{"name": "张\u200B三"';
    expect(cleanJsonText(broken)).toBe(broken);
  });
});

describe("decodeUtf8Strict", () => {
  it("refuses invalid UTF-8 with a Chinese 400 instead of turning it into U+FFFD", () => {
    const bytes = new Uint8Array([...Buffer.from('{"name":"张'), 0xff, 0xfe, ...Buffer.from('"}')]);
    let caught: unknown;
    try {
      decodeUtf8Strict(bytes);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).kind).toBe("validation");
    expect((caught as AppError).code).toBe("invalid_utf8");
    expect((caught as AppError).message).toMatch(/不是有效的 UTF-8/);
  });

  it("refuses a truncated multi-byte character and an overlong encoding", () => {
    expect(() => decodeUtf8Strict(new Uint8Array([0xe5, 0xbc]))).toThrow(AppError);
    expect(() => decodeUtf8Strict(new Uint8Array([0xc0, 0xaf]))).toThrow(AppError);
    expect(decodeUtf8Strict(new Uint8Array(Buffer.from("张三")))).toBe("张三");
  });
});

describe("neutraliseCell", () => {
  it("puts an apostrophe before every cell a spreadsheet would run as a formula", () => {
    expect(["=cmd|' /C calc'!A0", "+86 138", "-1+1", "@SUM(A1)", "\tx", "\rx"].map(neutraliseCell)).toEqual([
      "'=cmd|' /C calc'!A0",
      "'+86 138",
      "'-1+1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
    ]);
  });

  it("leaves ordinary cells, and cells already neutralised, as they are", () => {
    expect(["张三", "13800001234", "a=b", "'=x", ""].map(neutraliseCell)).toEqual([
      "张三",
      "13800001234",
      "a=b",
      "'=x",
      "",
    ]);
  });
});

describe("spreadsheets in and out", () => {
  it("neutralises formula-like cells in every workbook the product writes, header included", async () => {
    const bytes = await workbook(
      "名单",
      ["姓名", "=备注"],
      [
        ['=HYPERLINK("http://x","点我")', "@A1"],
        ["张三", "-5"],
      ],
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as never);
    const sheet = wb.worksheets[0]!;
    const cells: unknown[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value)));
    expect(cells).toEqual(["姓名", "'=备注", '\'=HYPERLINK("http://x","点我")', "'@A1", "张三", "'-5"]);
    expect(cells.every((v) => typeof v === "string")).toBe(true);
  });

  it("strips invisible characters from CSV cells and from .xlsx cells", async () => {
    const records = parseCsv("姓名,班级\r\n张\u200B三\u202E,2\u200D\r\n");
    expect(records[1]!.fields).toEqual(["张三", "2"]);
    const bytes = await workbook("名单", ["姓名", "班级"], [["李\u2066四\u2069", "\uFEFF3"]]);
    const rows = await readTable(bytes);
    expect(rows[1]!.fields).toEqual(["李四", "3"]);
  });
});
