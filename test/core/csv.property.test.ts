/** Property-based tests (fast-check) of the one CSV reader: what a school's spreadsheet can throw at it. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../core/csv.js";
import { isAppError } from "../../core/errors.js";

/** Cell text with the characters that matter to CSV (separators, quotes, line breaks, spaces) and Chinese. */
const cell = fc.string({
  unit: fc.constantFrom("a", "Z", "0", "9", "张", "学", "籍", ",", '"', "\n", "\r\n", " ", "-", "=", "元", "."),
  maxLength: 12,
});

const quote = (f: string) => `"${f.replaceAll('"', '""')}"`;

describe("parseCsv, property-based", () => {
  it("reads back every field of every record, and the line each record starts on", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((width) =>
          fc.array(
            fc.tuple(
              // A record whose only content is blank is a blank line, skipped by design.
              cell.filter((f) => f.trim() !== ""),
              fc.array(cell, { minLength: width - 1, maxLength: width - 1 }),
            ),
            { minLength: 1, maxLength: 12 },
          ),
        ),
        fc.constantFrom("\n", "\r\n"),
        (rows, eol) => {
          const records = rows.map(([first, rest]) => [first, ...rest]);
          const text = records.map((r) => r.map(quote).join(",")).join(eol) + eol;
          const parsed = parseCsv(text);
          expect(parsed.map((p) => p.fields)).toEqual(records);
          let line = 1;
          records.forEach((r, i) => {
            expect(parsed[i]!.line).toBe(line);
            line += r.join("").split("\n").length; // the record's own line breaks, plus the one that ends it
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads plain cells without quotes the same as quoted ones", () => {
    const plain = fc.string({
      unit: fc.constantFrom("a", "张", "1", " ", ".", "-", "元"),
      minLength: 1,
      maxLength: 10,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(plain, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 10 }),
        (rows) => {
          const unquoted = parseCsv(rows.map((r) => r.join(",")).join("\n"));
          const quoted = parseCsv(rows.map((r) => r.map(quote).join(",")).join("\n"));
          expect(unquoted.map((r) => r.fields)).toEqual(quoted.map((r) => r.fields));
        },
      ),
    );
  });

  it("either parses any text or refuses it with a validation error naming a line — never another exception", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        try {
          for (const r of parseCsv(text)) expect(r.line).toBeGreaterThanOrEqual(1);
        } catch (e) {
          expect(isAppError(e)).toBe(true);
          if (isAppError(e)) expect(["csv_encoding", "csv_unclosed_quote"]).toContain(e.code);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("strips zero-width and bidi-override characters from every cell", () => {
    const invisible = fc.constantFrom("\u200B", "\u200D", "\u202E", "\u2066", "\uFEFF", "\u0007");
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom("王", "小", "明", "1"), invisible), { maxLength: 10 }), (chars) => {
        const [record] = parseCsv(`x,${chars.join("")}`);
        expect(record!.fields[1]).toBe(chars.filter((c) => /[王小明1]/.test(c)).join(""));
      }),
    );
  });
});
