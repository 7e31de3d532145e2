/** Property-based tests (fast-check) of the payment file's cell parsers: amounts, dates, terms. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAmount, parseDate, parseTerm } from "../../../core/actions/payments.js";

const withCommas = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

describe("payment file cells, property-based", () => {
  it("reads every amount a bank writes as exact fen, without floating point", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom("none", "one", "two"),
        fc.boolean(),
        fc.boolean(),
        (yuan, fen, decimals, commas, unit) => {
          const whole = commas ? withCommas(yuan) : String(yuan);
          const text =
            decimals === "none"
              ? whole
              : decimals === "one"
                ? `${whole}.${Math.floor(fen / 10)}`
                : `${whole}.${String(fen).padStart(2, "0")}`;
          const expected =
            yuan * 100 + (decimals === "none" ? 0 : decimals === "one" ? Math.floor(fen / 10) * 10 : fen);
          expect(parseAmount(unit ? `${text}元` : text)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("gives any other text either no amount or a whole number of fen below 10 million yuan", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const fen = parseAmount(text);
        if (fen === undefined) return;
        expect(Number.isInteger(fen)).toBe(true);
        expect(fen).toBeGreaterThanOrEqual(0);
        expect(fen).toBeLessThan(10_000_000 * 100);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses amounts with three decimals, a sign or a second point", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 100, max: 999 }), (yuan, frac) => {
        expect(parseAmount(`${yuan}.${frac}`)).toBeUndefined();
        expect(parseAmount(`-${yuan}`)).toBeUndefined();
        expect(parseAmount(`${yuan}.5.5`)).toBeUndefined();
      }),
    );
  });

  it("reads every real date in the spellings staff use, and refuses days that do not exist", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split("-");
        for (const text of [
          iso,
          `${y}/${Number(m)}/${Number(day)}`,
          `${y}年${Number(m)}月${Number(day)}日`,
          `${y}${m}${day}`,
        ])
          expect(parseDate(text)).toBe(iso);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
        expect(parseDate(`${y}-${m}-${days + 1}`)).toBeUndefined();
        expect(parseDate(`${y}-${m + 12}-1`)).toBeUndefined();
      }),
    );
  });

  it("reads a term written in Chinese or as the code, and nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.boolean(), (y, spring) => {
        const code = `${y}-${spring ? "spring" : "autumn"}`;
        expect(parseTerm(code)).toBe(code);
        expect(parseTerm(`${y}年${spring ? "春" : "秋"}季学期`)).toBe(code);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (text) => {
        const term = parseTerm(text);
        if (term !== undefined) expect(term).toMatch(/^\d{4}-(spring|autumn)$/);
      }),
      { numRuns: 500 },
    );
  });
});
