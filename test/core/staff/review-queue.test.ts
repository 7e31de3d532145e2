/**
 * Which applications wait for which level. Building the queue (reads) is covered through the HTTP API in
 * test/functions/http/api/console-routes.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { ApplicationInfo, Stage } from "../../../core/applications/index.js";
import type { SchoolInfo } from "../../../core/schools/index.js";
import { waitsFor } from "../../../core/staff/review-queue.js";
import type { Staff } from "../../../core/staff/scope.js";

const school: Staff = { tokenId: "t1", tenant: "demo", role: "school", schoolId: "s01" };
const township: Staff = { tokenId: "t2", tenant: "demo", role: "township", township: "城关镇" };
const bureau: Staff = { tokenId: "t3", tenant: "demo", role: "bureau" };

const ordinary: SchoolInfo = {
  id: "s01",
  name: "城关小学",
  kind: "primary",
  township: "城关镇",
  directlyUnderCounty: false,
  tenant: "demo",
  createdAt: "2025-09-01T00:00:00.000Z",
};
const countyRun: SchoolInfo = { ...ordinary, id: "s09", name: "县实验小学", directlyUnderCounty: true };

const at = (stage: Stage) => ({ stage }) as ApplicationInfo;

/** The stages on which each level acts, at an ordinary school and at one directly under the county. */
function stagesFor(staff: Staff, s: SchoolInfo): Stage[] {
  const all: Stage[] = [
    "submitted",
    "school_approved",
    "township_approved",
    "county_approved",
    "publicizing",
    "approved",
    "paid",
    "rejected",
    "objected",
  ];
  return all.filter((stage) => waitsFor(staff, at(stage), s));
}

describe("waitsFor", () => {
  it("gives a school the applications just submitted", () => {
    expect(stagesFor(school, ordinary)).toEqual(["submitted"]);
    expect(stagesFor(school, countyRun)).toEqual(["submitted"]);
  });

  it("gives a township what its schools approved, except at schools directly under the county", () => {
    expect(stagesFor(township, ordinary)).toEqual(["school_approved"]);
    expect(stagesFor(township, countyRun)).toEqual([]);
  });

  it("gives the bureau what townships approved, and what county-run schools approved directly", () => {
    expect(stagesFor(bureau, ordinary)).toEqual(["township_approved"]);
    expect(stagesFor(bureau, countyRun)).toEqual(["school_approved", "township_approved"]);
  });
});
