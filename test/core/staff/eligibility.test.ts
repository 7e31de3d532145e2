import { describe, expect, it } from "vitest";
import { Programmes, type Programme } from "../../../core/applications/index.js";
import {
  AmountRangeYuan,
  amountOutOfRange,
  gradeOf,
  ineligible,
  programmesForKinds,
  standardAmounts,
} from "../../../core/staff/eligibility.js";

const primary = { kind: "primary", name: "城关小学" } as const;
const junior = { kind: "junior", name: "城关中学" } as const;
const senior = { kind: "senior", name: "县一中" } as const;
const vocational = { kind: "vocational", name: "县职校" } as const;
const nineYear = { kind: "nine_year", name: "河口九年一贯制学校" } as const;
const kindergarten = { kind: "kindergarten", name: "中心幼儿园" } as const;

describe("amountOutOfRange", () => {
  it("accepts both ends of every programme's range", () => {
    for (const [programme, [min, max]] of Object.entries(AmountRangeYuan) as [Programme, [number, number]][]) {
      expect(amountOutOfRange(programme, min * 100)).toBeUndefined();
      expect(amountOutOfRange(programme, max * 100)).toBeUndefined();
    }
  });

  it("refuses one fen outside either end", () => {
    expect(amountOutOfRange("senior_grant", 500 * 100 - 1)).toBeDefined();
    expect(amountOutOfRange("senior_grant", 3500 * 100 + 1)).toBeDefined();
  });

  it("says in Chinese what the amount is, the programme, the range and the likely slip", () => {
    expect(amountOutOfRange("compulsory_living", 625_000)).toBe(
      `金额 6250 元不在${Programmes.compulsory_living}的合理范围（100–2500 元）内：请核对金额（是否多写或少写了一位）`,
    );
  });

  it("writes an amount with fen to two decimals", () => {
    expect(amountOutOfRange("freshman_aid", 12_345)).toMatch(/^金额 123\.45 元不在/);
  });

  it("has a range with min below max for every programme", () => {
    expect(Object.keys(AmountRangeYuan).sort()).toEqual(Object.keys(Programmes).sort());
    for (const [min, max] of Object.values(AmountRangeYuan)) expect(min).toBeLessThan(max);
  });
});

describe("gradeOf", () => {
  it.each([
    ["3", { year: 3 }],
    ["三年级", { year: 3 }],
    ["七年级", { level: "junior", year: 1 }],
    ["9", { level: "junior", year: 3 }],
    ["初二", { level: "junior", year: 2 }],
    ["高一", { level: "senior", year: 1 }],
    ["高3", { level: "senior", year: 3 }],
    ["小六", { level: "primary", year: 6 }],
    [" 高二 ", { level: "senior", year: 2 }],
    ["大班", { year: undefined }],
  ])("reads %j as %j", (grade, expected) => {
    expect(gradeOf(grade)).toEqual(expected);
  });
});

describe("ineligible", () => {
  it("refuses a programme for another kind of school, naming the kinds it is for", () => {
    expect(ineligible("senior_grant", primary, "五年级")).toBe(
      `${Programmes.senior_grant}只面向普通高中学生，城关小学是小学：请核对项目`,
    );
    expect(ineligible("student_loan", junior, "八年级")).toBe(
      `${Programmes.student_loan}只面向普通高中、中职学校学生，城关中学是初中：请核对项目`,
    );
  });

  it("accepts each programme at a school of its kind with a fitting grade", () => {
    expect(ineligible("compulsory_living", primary, "五年级")).toBeUndefined();
    expect(ineligible("compulsory_living", junior, "八年级")).toBeUndefined();
    expect(ineligible("compulsory_living", junior, "初三")).toBeUndefined();
    expect(ineligible("senior_grant", senior, "高二")).toBeUndefined();
    expect(ineligible("vocational_grant", vocational, "2")).toBeUndefined();
    expect(ineligible("preschool_aid", kindergarten, "大班")).toBeUndefined();
  });

  it("refuses a senior grade at a school without senior years", () => {
    expect(ineligible("compulsory_living", primary, "高一")).toBe("年级“高一”是高中年级，与小学不符：请核对年级");
    expect(ineligible("compulsory_living", nineYear, "高一")).toBe(
      "年级“高一”是高中年级，与九年一贯制学校不符：请核对年级",
    );
  });

  it("refuses a year the school does not have", () => {
    expect(ineligible("compulsory_living", primary, "13")).toBe("年级“13”不是小学的年级：请核对年级");
    expect(ineligible("senior_grant", senior, "高五")).toBe("年级“高五”不是普通高中的年级：请核对年级");
    expect(ineligible("vocational_grant", vocational, "0")).toBe("年级“0”不是中职学校的年级：请核对年级");
  });

  it("refuses a junior grade at a primary school and a primary grade at a junior school", () => {
    expect(ineligible("compulsory_living", primary, "七年级")).toBe("年级“七年级”不是小学的年级：请核对年级");
    expect(ineligible("compulsory_living", primary, "初二")).toBe("年级“初二”不是小学的年级：请核对年级");
    expect(ineligible("compulsory_living", junior, "小三")).toBe("年级“小三”不是初中的年级：请核对年级");
  });

  it("accepts every compulsory year at a nine-year school", () => {
    for (const grade of ["一年级", "六年级", "七年级", "九年级"])
      expect(ineligible("compulsory_living", nineYear, grade)).toBeUndefined();
  });

  it("lets a grade it cannot read pass, leaving it to the reviewers", () => {
    expect(ineligible("compulsory_living", primary, "实验班")).toBeUndefined();
  });
});

describe("programmesForKinds", () => {
  it("offers a primary school only the 义务教育 programme, and a county with a 中职 its programmes too", () => {
    expect(programmesForKinds(["primary"])).toEqual(["compulsory_living"]);
    const county = programmesForKinds(["primary", "vocational"]);
    expect(county).toContain("vocational_grant");
    expect(county).toContain("yulu");
    expect(county).not.toContain("senior_grant");
    expect(programmesForKinds(["kindergarten"])).toEqual(["preschool_aid"]);
  });
});

describe("standardAmounts", () => {
  it("suggests the 两免一补 term amounts by school stage, boarders first", () => {
    expect(standardAmounts("compulsory_living", primary, "三年级").map((s) => s.yuan)).toEqual([625, 312.5]);
    expect(standardAmounts("compulsory_living", junior, "初二").map((s) => s.yuan)).toEqual([750, 375]);
    expect(standardAmounts("compulsory_living", nineYear, "八年级").map((s) => s.yuan)).toEqual([750, 375]);
  });
  it("suggests nothing for a programme paid by local fees, and every suggestion is inside the plausible range", () => {
    expect(standardAmounts("senior_fee_waiver", senior, "高一")).toEqual([]);
    for (const p of Object.keys(Programmes) as Programme[])
      for (const s of standardAmounts(p, vocational, "一年级"))
        expect(amountOutOfRange(p, s.yuan * 100)).toBeUndefined();
  });
});
