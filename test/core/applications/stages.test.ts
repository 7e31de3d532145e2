import { describe, expect, it } from "vitest";
import { Stages, allowedNext, checkTransition, StageLabel, type Stage } from "../../../core/applications/stages.js";

const allowed: [Stage, Stage, { direct?: boolean }?][] = [
  ["submitted", "school_approved"],
  ["submitted", "rejected"],
  ["school_approved", "township_approved"],
  ["school_approved", "county_approved", { direct: true }],
  ["school_approved", "rejected"],
  ["township_approved", "county_approved"],
  ["township_approved", "rejected"],
  ["county_approved", "publicizing"],
  ["county_approved", "rejected"],
  ["publicizing", "approved"],
  ["publicizing", "objected"],
  ["objected", "approved"],
  ["objected", "rejected"],
  ["approved", "paid"],
];

describe("the application stage machine", () => {
  it("labels every stage in Chinese as the contract says", () => {
    expect(StageLabel).toEqual({
      submitted: "已提交申请",
      school_approved: "学校审核通过",
      township_approved: "乡镇审核通过",
      county_approved: "县级审核通过",
      publicizing: "公示中",
      approved: "公示无异议",
      paid: "已发放",
      rejected: "未通过",
      objected: "异议复核中",
    });
  });

  it.each(allowed)("allows %s → %s", (from, to, opts) => {
    expect(() => checkTransition(from, to, { directlyUnderCounty: opts?.direct, reason: "原因" })).not.toThrow();
  });

  it("refuses every move that is not in the table, naming the allowed ones", () => {
    let refused = 0;
    for (const from of Stages) {
      for (const to of Stages) {
        const ok = allowed.some(([f, t]) => f === from && t === to);
        if (ok) continue;
        expect(() => checkTransition(from, to, { directlyUnderCounty: true, reason: "x" })).toThrow(/^申请不能从「/);
        refused++;
      }
    }
    expect(refused).toBe(Stages.length * Stages.length - allowed.length);
  });

  it("lets only schools directly under the county skip the township level", () => {
    expect(() => checkTransition("school_approved", "county_approved")).toThrow(
      "申请不能从「学校审核通过」(school_approved) 改为「县级审核通过」(county_approved)；下一步只能是：「乡镇审核通过」(township_approved)、「未通过」(rejected)",
    );
    expect(allowedNext("school_approved", { directlyUnderCounty: true })).toContain("county_approved");
  });

  it("requires a reason to reject or object", () => {
    expect(() => checkTransition("submitted", "rejected")).toThrow("从「已提交申请」改为「未通过」需要填写原因");
    expect(() => checkTransition("publicizing", "objected", { reason: "  " })).toThrow(
      "从「公示中」改为「异议复核中」需要填写原因",
    );
  });

  it("refuses a school-level token at the county level", () => {
    expect(() => checkTransition("township_approved", "county_approved", { level: "school" })).toThrow(
      "从「乡镇审核通过」改为「县级审核通过」需要县教育局一级的账号",
    );
    expect(() => checkTransition("submitted", "school_approved", { level: "school" })).not.toThrow();
  });

  // The lowest level that may make each move, written out here rather than read from the code's table.
  const lowest: [Stage, Stage, "school" | "township" | "bureau", { direct?: boolean }?][] = [
    ["submitted", "school_approved", "school"],
    ["submitted", "rejected", "school"],
    ["school_approved", "township_approved", "township"],
    ["school_approved", "county_approved", "bureau", { direct: true }],
    ["school_approved", "rejected", "township"],
    ["township_approved", "county_approved", "bureau"],
    ["township_approved", "rejected", "bureau"],
    ["county_approved", "publicizing", "bureau"],
    ["county_approved", "rejected", "bureau"],
    ["publicizing", "approved", "bureau"],
    ["publicizing", "objected", "school"],
    ["objected", "approved", "bureau"],
    ["objected", "rejected", "bureau"],
    ["approved", "paid", "bureau"],
  ];
  it.each(lowest)("lets %s → %s be made from the %s level up, and by no level below", (from, to, level, opts) => {
    const levels = ["school", "township", "bureau"] as const;
    for (const l of levels) {
      const check = () => checkTransition(from, to, { level: l, directlyUnderCounty: opts?.direct, reason: "原因" });
      if (levels.indexOf(l) >= levels.indexOf(level)) expect(check).not.toThrow();
      else expect(check).toThrow(/需要.*一级的账号/);
    }
  });

  it("treats paid and rejected as final", () => {
    expect(allowedNext("paid")).toEqual([]);
    expect(allowedNext("rejected")).toEqual([]);
  });
});
