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
    expect(Object.keys(StageLabel).sort()).toEqual([...Stages].sort());
    expect(StageLabel.publicizing).toBe("公示中");
    expect(StageLabel.objected).toBe("异议复核中");
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
        expect(() => checkTransition(from, to, { directlyUnderCounty: true, reason: "x" })).toThrow(/cannot move/);
        refused++;
      }
    }
    expect(refused).toBe(Stages.length * Stages.length - allowed.length);
  });

  it("lets only schools directly under the county skip the township level", () => {
    expect(() => checkTransition("school_approved", "county_approved")).toThrow(/allowed next: township_approved, rejected/);
    expect(allowedNext("school_approved", { directlyUnderCounty: true })).toContain("county_approved");
  });

  it("requires a reason to reject or object", () => {
    expect(() => checkTransition("submitted", "rejected")).toThrow(/needs a reason/);
    expect(() => checkTransition("publicizing", "objected", { reason: "  " })).toThrow(/needs a reason/);
  });

  it("refuses a school-level token at the county level", () => {
    expect(() => checkTransition("township_approved", "county_approved", { level: "school" })).toThrow(/bureau-level/);
    expect(() => checkTransition("submitted", "school_approved", { level: "school" })).not.toThrow();
  });

  it("treats paid and rejected as final", () => {
    expect(allowedNext("paid")).toEqual([]);
    expect(allowedNext("rejected")).toEqual([]);
  });
});
