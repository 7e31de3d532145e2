import { describe, expect, it } from "vitest";
import { parseCsv } from "../../core/csv.js";

describe("parseCsv", () => {
  it("keeps the line each record starts on across quoted line breaks, CRLF and blank lines", () => {
    const rows = parseCsv('\uFEFFa,b\r\n1,"x\ny"\r\n\r\n2,"say ""hi"", ok"\n');
    expect(rows).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "x\ny"] },
      { line: 5, fields: ["2", 'say "hi", ok'] },
    ]);
  });

  it("reads a last line without a newline", () => {
    expect(parseCsv("a,b\n1,2")).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
    ]);
  });

  it("names the line of a quote that is never closed, in Chinese", () => {
    let caught: unknown;
    try {
      parseCsv('a\n"open\nstill open');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({
      code: "csv_unclosed_quote",
      message: expect.stringMatching(/^第 2 行：引号没有闭合/),
      details: [{ line: 2, message: expect.stringMatching(/^引号没有闭合/) }],
    });
    expect((caught as Error).message.replace(/Excel|CSV/g, "")).not.toMatch(/[a-z]{3,}/i);
  });

  it("refuses text that was not UTF-8, in Chinese", () => {
    expect(() => parseCsv("a,b\n\uFFFD\uFFFD,1")).toThrow(/^文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8”/);
  });
});
