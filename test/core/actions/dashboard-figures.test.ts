/**
 * The dashboard's figures from stored counters, with no storage: totals, programmes, schools, townships and stages
 * add up as the page shows them, and only the caller's schools count.
 */
import { describe, expect, it } from "vitest";
import { figures } from "../../../core/actions/dashboard-figures.js";
import type { Tallies } from "../../../core/applications/tally-store.js";

const schools = [
  { id: "xy", name: "向阳小学", township: "城关镇" },
  { id: "cg", name: "城关中学", township: "城关镇" },
  { id: "hs", name: "河石乡中心小学", township: "河石乡" },
];
const tallies = (): Tallies => ({
  cells: [
    { schoolId: "xy", programme: "compulsory_living", stage: "paid", n: 3, fen: 187500 },
    { schoolId: "xy", programme: "compulsory_living", stage: "approved", n: 1, fen: 62500 },
    { schoolId: "xy", programme: "freshman_aid", stage: "paid", n: 2, fen: 40000 },
    { schoolId: "cg", programme: "compulsory_living", stage: "rejected", n: 1, fen: 62500 },
    { schoolId: "hs", programme: "compulsory_living", stage: "paid", n: 1, fen: 60000 },
    { schoolId: "hs", programme: "preschool_aid", stage: "submitted", n: 0, fen: 0 },
    { schoolId: "gone", programme: "compulsory_living", stage: "paid", n: 5, fen: 300000 },
  ],
  schoolPaid: new Map([
    ["xy", 4],
    ["hs", 1],
    ["gone", 5],
  ]),
  countyPaid: 5,
});

describe("figures", () => {
  it("adds the bureau's totals, programmes, schools, townships and stages from the cells of its schools", () => {
    const f = figures(tallies(), schools);
    // 3 + 1 + 2 + 1 + 1 applications; paid 187500 + 40000 + 60000; approved 62500; county counter: 5 students.
    expect(f.totals).toEqual({ applications: 8, paidStudents: 5, paidFen: 287500, approvedFen: 62500 });
    expect(f.byProgramme).toEqual([
      {
        programme: "compulsory_living",
        name: "义务教育家庭经济困难学生生活补助",
        applications: 6,
        paidStudents: 4,
        paidFen: 247500,
        approvedFen: 62500,
      },
      {
        programme: "freshman_aid",
        name: "新生入学资助",
        applications: 2,
        paidStudents: 2,
        paidFen: 40000,
        approvedFen: 0,
      },
    ]);
    expect(f.bySchool.map((s) => [s.schoolId, s.applications, s.paidStudents, s.paidFen])).toEqual([
      ["xy", 6, 4, 227500],
      ["hs", 1, 1, 60000],
      ["cg", 1, 0, 0],
    ]);
    expect(f.byTownship).toEqual([
      { township: "城关镇", applications: 7, paidStudents: 4, paidFen: 227500, approvedFen: 62500 },
      { township: "河石乡", applications: 1, paidStudents: 1, paidFen: 60000, approvedFen: 0 },
    ]);
    const stage = (s: string) => f.stages.find((x) => x.stage === s)?.count;
    expect([stage("paid"), stage("approved"), stage("rejected"), stage("submitted"), f.stages.length]).toEqual([
      6, 1, 1, 0, 9,
    ]);
  });

  it("for a narrower scope counts only its schools and sums their distinct paid students", () => {
    const f = figures({ ...tallies(), countyPaid: undefined }, schools.slice(0, 2));
    expect(f.totals).toEqual({ applications: 7, paidStudents: 4, paidFen: 227500, approvedFen: 62500 });
    expect(f.bySchool.map((s) => s.schoolId)).toEqual(["xy", "cg"]);
  });

  it("shows nothing for a term without counters", () => {
    const f = figures({ cells: [], schoolPaid: new Map() }, schools);
    expect(f.totals).toEqual({ applications: 0, paidStudents: 0, paidFen: 0, approvedFen: 0 });
    expect([f.byProgramme, f.bySchool, f.byTownship]).toEqual([[], [], []]);
  });
});
