import { describe, expect, it } from "vitest";
import { AmountYuan } from "../../../core/staff/applications.js";

describe("AmountYuan", () => {
  it("turns yuan strings and numbers into exact fen", () => {
    expect(AmountYuan.parse("625")).toBe(62500);
    expect(AmountYuan.parse("625.5")).toBe(62550);
    expect(AmountYuan.parse("0.29")).toBe(29);
    expect(AmountYuan.parse(1150.1)).toBe(115010);
    expect(AmountYuan.parse("2,500元")).toBe(250000);
    expect(AmountYuan.parse(19.99)).toBe(1999);
  });

  it("refuses more than two decimals, negatives and words", () => {
    for (const bad of ["1.234", "-5", "abc", "", 1e21, "1e3"])
      expect(AmountYuan.safeParse(bad).success, String(bad)).toBe(false);
  });
});
