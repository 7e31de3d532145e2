import { describe, expect, it } from "vitest";
import { canonicalClass, canonicalGrade, classRank, gradeRank } from "../../../core/students/grades.js";

describe("grades and classes are stored in one spelling", () => {
  it("reads the ways a primary school writes its fifth year as 五年级", () => {
    for (const g of ["5", "05", "５", "5年级", "五年级", "五 年级", "小五", "小学五年级", "五"])
      expect(canonicalGrade(g, "primary"), g).toBe("五年级");
  });

  it("reads 初一 and 七年级 alike, and a bare 1 at an 初中 as 七年级", () => {
    expect(canonicalGrade("初一")).toBe("七年级");
    expect(canonicalGrade("初中三年级")).toBe("九年级");
    expect(canonicalGrade("7")).toBe("七年级");
    expect(canonicalGrade("1", "junior")).toBe("七年级");
    expect(canonicalGrade("8", "junior")).toBe("八年级");
    expect(canonicalGrade("七年级", "junior")).toBe("七年级");
  });

  it("reads a bare number at a 普通高中 as 高一 … 高三, and 10–12 年级 too", () => {
    expect(canonicalGrade("1", "senior")).toBe("高一");
    expect(canonicalGrade("3", "senior")).toBe("高三");
    expect(canonicalGrade("高中二年级")).toBe("高二");
    expect(canonicalGrade("11", "senior")).toBe("高二");
  });

  it("keeps kindergarten classes and named grades as the school wrote them", () => {
    expect(canonicalGrade("大班", "kindergarten")).toBe("大班");
    expect(canonicalGrade(" 中班 ")).toBe("中班");
    expect(canonicalGrade("幼小衔接")).toBe("幼小衔接");
    expect(canonicalGrade("12")).toBe("12");
  });

  it("is idempotent, so a stored grade read again stays the same", () => {
    for (const kind of ["primary", "junior", "senior", "nine_year"] as const) {
      for (const g of ["1", "3", "6", "9", "初二", "高一", "大班"]) {
        const once = canonicalGrade(g, kind);
        expect(canonicalGrade(once, kind), `${kind} ${g}`).toBe(once);
        expect(canonicalGrade(once), `${kind} ${g} without kind`).toBe(once);
      }
    }
  });

  it("writes numbered classes as N班 and keeps named classes", () => {
    for (const c of ["2", "02", "2班", "(2)班", "（2）班", "2 班", "二班", "二"])
      expect(canonicalClass(c), c).toBe("2班");
    expect(canonicalClass("十二班")).toBe("12班");
    expect(canonicalClass("火箭班")).toBe("火箭班");
    expect(canonicalClass("实验1班")).toBe("实验1班");
  });

  it("sorts kindergarten first, then the years, then senior years, then named grades", () => {
    const sorted = ["高一", "幼小衔接", "七年级", "大班", "二年级", "小班"].sort((a, b) => gradeRank(a) - gradeRank(b));
    expect(sorted).toEqual(["小班", "大班", "二年级", "七年级", "高一", "幼小衔接"]);
    expect(["10班", "2班", "火箭班", "1班"].sort((a, b) => classRank(a) - classRank(b))).toEqual([
      "1班",
      "2班",
      "10班",
      "火箭班",
    ]);
  });
});
