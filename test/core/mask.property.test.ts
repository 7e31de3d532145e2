/** Property-based tests (fast-check) of masking: whatever the value, the masked form never gives it away. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { containsUnmaskedPersonalData, maskName, maskStudentNo, maskTail } from "../../core/mask.js";

const hanzi = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const alnum = fc.constantFrom(..."ABCDEFGHJKLMNPQRSTUVWXYZ0123456789".split(""));
const digit = fc.constantFrom(..."0123456789".split(""));

describe("masking, property-based", () => {
  it("hides at least one character of every name, and every character but the first and last", () => {
    fc.assert(
      fc.property(fc.array(hanzi, { minLength: 1, maxLength: 6 }), (chars) => {
        const name = chars.join("");
        const masked = maskName(name);
        expect(masked).not.toBe(name);
        expect([...masked]).toHaveLength(chars.length);
        expect(masked).toContain("*");
        const shown = [...masked].filter((c) => c !== "*");
        expect(shown.length).toBeLessThanOrEqual(chars.length <= 2 ? 1 : 2);
        if (chars.length >= 2) expect(masked.startsWith(chars[0]!)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps only the first three and last four characters of a 学籍号, and the length", () => {
    fc.assert(
      fc.property(fc.array(alnum, { minLength: 8, maxLength: 24 }), (chars) => {
        const no = chars.join("");
        const masked = maskStudentNo(no);
        expect(masked).toHaveLength(no.length);
        expect(masked.slice(0, 3)).toBe(no.slice(0, 3));
        expect(masked.slice(-4)).toBe(no.slice(-4));
        expect(masked.slice(3, -4)).toMatch(/^\*+$/);
        expect(containsUnmaskedPersonalData(`学籍号 ${masked}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("shows no more than the last four digits of a phone, ID or account number, however it is spaced", () => {
    fc.assert(
      fc.property(fc.array(digit, { minLength: 11, maxLength: 19 }), fc.constantFrom("", " ", "  "), (digits, gap) => {
        const value = digits.map((d, i) => (i > 0 && i % 4 === 0 ? gap + d : d)).join("");
        const masked = maskTail(value);
        expect(masked.replace(/\*/g, "")).toBe(digits.slice(-4).join(""));
        expect(containsUnmaskedPersonalData(`卡号 ${masked}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("finds a real mobile number or ID number wherever it sits in a sentence", () => {
    const mobile = fc
      .tuple(fc.constantFrom("3", "5", "7", "8", "9"), fc.array(digit, { minLength: 9, maxLength: 9 }))
      .map(([second, rest]) => `1${second}${rest.join("")}`);
    const idNumber = fc
      .tuple(fc.array(digit, { minLength: 17, maxLength: 17 }), fc.constantFrom("X", "0", "7"))
      .map(([d, last]) => d.join("") + last);
    fc.assert(
      fc.property(
        fc.oneof(mobile, idNumber),
        fc.string({ unit: hanzi, maxLength: 8 }),
        fc.string({ unit: hanzi, maxLength: 8 }),
        (value, before, after) => {
          expect(containsUnmaskedPersonalData(`${before}${value}${after}`)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
