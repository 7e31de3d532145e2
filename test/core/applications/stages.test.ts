import { describe, expect, it } from "vitest";
import { AppError } from "../../../core/errors.js";
import {
  Stages,
  allowedNext,
  checkTransition,
  LevelLabel,
  StageLabel,
  type Stage,
} from "../../../core/applications/stages.js";

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

  /** The AppError a refused move throws (kind, stable code and the Chinese message staff read). */
  function refusal(move: () => void): { kind: string; code: string; message: string } {
    try {
      move();
    } catch (e) {
      if (e instanceof AppError) return { kind: e.kind, code: e.code, message: e.message };
      throw e;
    }
    throw new Error("the move was allowed");
  }

  // Every move that needs a reason, written out (issue 10: most rejections needed none in the tests' eyes).
  const needsReason: [Stage, Stage, string][] = [
    ["submitted", "rejected", "从「已提交申请」改为「未通过」需要填写原因"],
    ["school_approved", "rejected", "从「学校审核通过」改为「未通过」需要填写原因"],
    ["township_approved", "rejected", "从「乡镇审核通过」改为「未通过」需要填写原因"],
    ["county_approved", "rejected", "从「县级审核通过」改为「未通过」需要填写原因"],
    ["publicizing", "objected", "从「公示中」改为「异议复核中」需要填写原因"],
    ["objected", "approved", "从「异议复核中」改为「公示无异议」需要填写原因"],
    ["objected", "rejected", "从「异议复核中」改为「未通过」需要填写原因"],
  ];
  it.each(needsReason)("refuses %s → %s without a reason, even from the county bureau", (from, to, message) => {
    for (const reason of [undefined, "", "   "]) {
      expect(refusal(() => checkTransition(from, to, { level: "bureau", reason }))).toEqual({
        kind: "validation",
        code: "reason_required",
        message,
      });
    }
    expect(() => checkTransition(from, to, { level: "bureau", reason: "家庭经济情况已好转" })).not.toThrow();
  });

  it("asks no reason for an approval or a payment", () => {
    const approvals: [Stage, Stage][] = [
      ["submitted", "school_approved"],
      ["school_approved", "township_approved"],
      ["township_approved", "county_approved"],
      ["county_approved", "publicizing"],
      ["publicizing", "approved"],
      ["approved", "paid"],
    ];
    for (const [from, to] of approvals) expect(() => checkTransition(from, to, { level: "bureau" })).not.toThrow();
    expect(() => checkTransition("school_approved", "county_approved", { directlyUnderCounty: true })).not.toThrow();
  });

  it("names the level a refused move needs, in the words staff use", () => {
    expect(refusal(() => checkTransition("school_approved", "township_approved", { level: "school" }))).toEqual({
      kind: "forbidden",
      code: "level_too_low",
      message: "从「学校审核通过」改为「乡镇审核通过」需要乡镇一级的账号",
    });
    // A school token rejecting at 乡镇审核通过 (issue 10).
    expect(
      refusal(() => checkTransition("township_approved", "rejected", { level: "school", reason: "材料不全" })),
    ).toEqual({
      kind: "forbidden",
      code: "level_too_low",
      message: "从「乡镇审核通过」改为「未通过」需要县教育局一级的账号",
    });
    expect(
      refusal(() => checkTransition("school_approved", "rejected", { level: "school", reason: "材料不全" })).message,
    ).toBe("从「学校审核通过」改为「未通过」需要乡镇一级的账号");
  });

  it("says a final stage has no next step, and lists the next steps joined with 、", () => {
    expect(refusal(() => checkTransition("paid", "rejected", { reason: "x" }))).toEqual({
      kind: "conflict",
      code: "invalid_transition",
      message: "申请不能从「已发放」(paid) 改为「未通过」(rejected)；下一步只能是：无（已是最终阶段）",
    });
    expect(refusal(() => checkTransition("submitted", "paid")).message).toBe(
      "申请不能从「已提交申请」(submitted) 改为「已发放」(paid)；下一步只能是：「学校审核通过」(school_approved)、「未通过」(rejected)",
    );
  });

  it("names the three staff levels as staff say them", () => {
    expect(LevelLabel).toEqual({ school: "学校", township: "乡镇", bureau: "县教育局" });
  });

  it("lets a system actor (no level) make any allowed move", () => {
    expect(() => checkTransition("approved", "paid")).not.toThrow();
    expect(() => checkTransition("objected", "rejected", { reason: "复核属实" })).not.toThrow();
  });

  it("treats paid and rejected as final", () => {
    expect(allowedNext("paid")).toEqual([]);
    expect(allowedNext("rejected")).toEqual([]);
  });
});
