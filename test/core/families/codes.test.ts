/**
 * The storage-free half of binding codes: how a code is read and written out. Issuing and consuming (conditional
 * writes) are covered through the HTTP API in test/functions/http/api/binding-slips.int.test.ts and
 * test/core/families/binding.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { displayCode, normalizeCode } from "../../../core/families/codes.js";

describe("normalizeCode", () => {
  it("ignores the spaces and dashes of a code copied from a slip", () => {
    expect(normalizeCode("1234 5678 9012")).toBe("123456789012");
    expect(normalizeCode("1234-5678-9012")).toBe("123456789012");
    expect(normalizeCode(" 123456789012\n")).toBe("123456789012");
  });

  it("reads full-width digits and ideographic spaces typed on a phone", () => {
    expect(normalizeCode("１２３４　５６７８　９０１２")).toBe("123456789012");
  });

  it("keeps leading zeros", () => {
    expect(normalizeCode("0000 0000 0042")).toBe("000000000042");
  });

  it("refuses anything but exactly twelve digits", () => {
    expect(normalizeCode("1234 5678 901")).toBeUndefined();
    expect(normalizeCode("1234 5678 90123")).toBeUndefined();
    expect(normalizeCode("1234 5678 901a")).toBeUndefined();
    expect(normalizeCode("绑定 1234 5678 9012")).toBeUndefined();
    expect(normalizeCode("")).toBeUndefined();
  });
});

describe("displayCode", () => {
  it("groups a code in threes of four for reading aloud", () => {
    expect(displayCode("123456789012")).toBe("1234 5678 9012");
  });

  it("reads back as the same code", () => {
    expect(normalizeCode(displayCode("000012340000"))).toBe("000012340000");
  });
});
