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

  it("names the line of a quote that is never closed", () => {
    expect(() => parseCsv('a\n"open\nstill open')).toThrow(/line 2/);
  });

  it("refuses text that was not UTF-8", () => {
    expect(() => parseCsv("a,b\n\uFFFD\uFFFD,1")).toThrow(/UTF-8/);
  });
});
