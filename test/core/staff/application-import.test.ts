/**
 * The storage-free part of entering applications from a file: reading the term as schools write it. The preview
 * (matching 学籍号 in scope, eligibility and amount checks per line) is covered through the HTTP API in
 * test/functions/http/api/console-routes.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parseTerm } from "../../../core/staff/application-import.js";

describe("parseTerm", () => {
  it.each([
    ["2025-autumn", "2025-autumn"],
    ["2026-spring", "2026-spring"],
    ["2025年秋季学期", "2025-autumn"],
    ["2025年秋季", "2025-autumn"],
    ["2025秋", "2025-autumn"],
    ["2026 年 春季", "2026-spring"],
    ["2026年春学期", "2026-spring"],
  ])("reads %j as %s", (raw, term) => {
    expect(parseTerm(raw)).toBe(term);
  });

  it.each(["2025", "2025-summer", "25年秋季", "2025年夏季", "秋季学期", "2025-Autumn", ""])(
    "does not guess %j",
    (raw) => {
      expect(parseTerm(raw)).toBeUndefined();
    },
  );
});
