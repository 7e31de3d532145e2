/** Property-based tests (fast-check) of normalizeCode (core/families/codes.ts): what a parent types as a binding code. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeCode } from "../../../core/families/codes.js";

const digit = fc.constantFrom(..."0123456789");
const separator = fc.constantFrom("", " ", "-", "　", "\t");

describe("normalizeCode, property-based", () => {
  it("never throws, and what it returns is exactly 12 ASCII digits", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 })), (raw) => {
        const code = normalizeCode(raw);
        if (code !== undefined) expect(code).toMatch(/^[0-9]{12}$/);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads 12 digits back whatever the spaces, dashes or full-width digits between them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(digit, separator), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        (cells, wide) => {
          const plain = cells.map(([d]) => d).join("");
          const typed = cells.map(([d, sep]) => (wide ? String.fromCharCode(0xff10 + Number(d)) : d) + sep).join("");
          expect(normalizeCode(typed)).toBe(plain);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("refuses any other number of digits, and any letter among them", () => {
    fc.assert(
      fc.property(
        fc
          .nat(24)
          .filter((n) => n !== 12)
          .chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`))),
        fc.stringMatching(/^\d{12}$/),
        fc.nat(11),
        fc.constantFrom("O", "l", "a", "。", "."),
        (wrong, twelve, at, letter) => {
          expect(normalizeCode(wrong)).toBeUndefined();
          expect(normalizeCode(twelve.slice(0, at) + letter + twelve.slice(at))).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
