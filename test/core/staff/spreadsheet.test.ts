import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { isXlsx, readTable, workbook } from "../../../core/staff/spreadsheet.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

async function xlsx(build: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet("学生"));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("isXlsx", () => {
  it("recognises a workbook by its zip signature and CSV as not one", async () => {
    expect(isXlsx(await workbook("模板", ["姓名"]))).toBe(true);
    expect(isXlsx(utf8("姓名,学籍号\n"))).toBe(false);
    expect(isXlsx(new Uint8Array([0x50, 0x4b]))).toBe(false);
  });
});

describe("readTable", () => {
  it("reads CSV with the line numbers a text editor shows", async () => {
    const out = await readTable(utf8("姓名,学籍号\n张小明,G510101200901011234\n\n李四,G510101200901015678\n"));
    expect(out).toEqual([
      { line: 1, fields: ["姓名", "学籍号"] },
      { line: 2, fields: ["张小明", "G510101200901011234"] },
      { line: 4, fields: ["李四", "G510101200901015678"] },
    ]);
  });

  it("reads the first sheet of a workbook with Excel's row numbers, skipping empty rows", async () => {
    const bytes = await xlsx((sheet) => {
      sheet.getRow(1).values = ["姓名", "学籍号", "年级"];
      sheet.getRow(2).values = ["张小明", "G510101200901011234", "五年级"];
      sheet.getRow(5).values = ["李四", "G510101200901015678", "三年级"];
    });
    expect(await readTable(bytes)).toEqual([
      { line: 1, fields: ["姓名", "学籍号", "年级"] },
      { line: 2, fields: ["张小明", "G510101200901011234", "五年级"] },
      { line: 5, fields: ["李四", "G510101200901015678", "三年级"] },
    ]);
  });

  it("turns numbers, dates, rich text and formula results into text and trims cells", async () => {
    const bytes = await xlsx((sheet) => {
      sheet.getRow(1).values = ["a", "b", "c", "d", "e"];
      const row = sheet.getRow(2);
      row.getCell(1).value = 625;
      row.getCell(2).value = new Date(Date.UTC(2025, 10, 20));
      row.getCell(3).value = { richText: [{ text: "张" }, { text: "小明" }] };
      row.getCell(4).value = { formula: "1+1", result: 2 };
      row.getCell(5).value = "  五年级  ";
      row.commit();
    });
    const [, second] = await readTable(bytes);
    expect(second?.fields).toEqual(["625", "2025-11-20", "张小明", "2", "五年级"]);
  });

  it("drops empty cells at the end of a row but keeps empty ones in the middle", async () => {
    const bytes = await xlsx((sheet) => {
      sheet.getRow(1).values = ["a", "b", "c", "d"];
      sheet.getRow(2).getCell(1).value = "x";
      sheet.getRow(2).getCell(3).value = "z";
      sheet.getRow(2).commit();
    });
    expect((await readTable(bytes))[1]?.fields).toEqual(["x", "", "z"]);
  });

  it("removes invisible characters from workbook cells", async () => {
    const bytes = await xlsx((sheet) => {
      sheet.getRow(1).values = ["姓名"];
      sheet.getRow(2).values = ["张\u200b小明\u202e"];
    });
    expect((await readTable(bytes))[1]?.fields).toEqual(["张小明"]);
  });

  it("refuses a damaged workbook with a Chinese message that says how to save it", async () => {
    const damaged = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);
    const err = await readTable(damaged).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "validation", code: "xlsx_unreadable" });
    expect((err as Error).message).toMatch(/^无法读取这个 Excel 文件：请用 Excel 另存为 \.xlsx/);
  });
});

describe("workbook", () => {
  it("writes a header and rows that read back as the same table", async () => {
    const bytes = await workbook("名单", ["姓名", "学籍号"], [["张小明", "G510101200901011234"]]);
    expect(await readTable(bytes)).toEqual([
      { line: 1, fields: ["姓名", "学籍号"] },
      { line: 2, fields: ["张小明", "G510101200901011234"] },
    ]);
  });

  it("keeps a cell typed as a formula as text, so Excel never runs it", async () => {
    const bytes = await workbook("名单", ["姓名"], [["=cmd|' /C calc'!A0"], ["+1"], ["-1"], ["@SUM(A1)"], ["张三"]]);
    const fields = (await readTable(bytes)).slice(1).map((r) => r.fields[0]);
    expect(fields).toEqual(["'=cmd|' /C calc'!A0", "'+1", "'-1", "'@SUM(A1)", "张三"]);
  });

  it("formats every column as text so a long 学籍号 or phone is not shown as 1.23E+17", async () => {
    const bytes = await workbook("名单", ["学籍号"], [["510101200901011234"]]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.name).toBe("名单");
    expect(sheet?.getCell("A2").value).toBe("510101200901011234");
    expect(sheet?.getColumn(1).numFmt).toBe("@");
    expect(sheet?.getRow(1).font?.bold).toBe(true);
  });
});
