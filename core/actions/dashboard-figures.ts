/**
 * The dashboard's figures from a term's stored counters (core/applications/tallies.ts): totals, by programme, by
 * school, by township, per stage. Pure, so every sum is unit-tested without storage.
 *
 * 资助人数 of a programme counts its paid applications (a student paid once per programme); of a school, the
 * distinct students it paid; of a township, the sum of its schools; of the county, the distinct students paid
 * anywhere (its own counter). A narrower scope sums its schools (a student paid by two schools of one township in
 * one term — a transfer — counts at each).
 */
import { Programmes, type Programme } from "../applications/programmes.js";
import { Stages } from "../applications/stages.js";
import type { Tallies } from "../applications/tally-store.js";
import type { Dashboard } from "./dashboard.js";

type Totals = Dashboard["totals"];

const zero = (): Totals => ({ applications: 0, paidStudents: 0, paidFen: 0, approvedFen: 0 });

export interface SchoolRef {
  id: string;
  name: string;
  township: string;
}

export function figures(
  tallies: Tallies,
  schools: readonly SchoolRef[],
): Pick<Dashboard, "totals" | "byProgramme" | "byTownship" | "bySchool" | "stages"> {
  const schoolById = new Map(schools.map((s) => [s.id, s] as const));
  const totals = zero();
  const programmes = new Map<string, Totals>();
  const bySchool = new Map<string, Totals>();
  const stages = new Map<string, number>(Stages.map((s) => [s, 0]));
  for (const c of tallies.cells) {
    // Cells of schools outside the scope are not the caller's; emptied cells stay stored at zero.
    if (!schoolById.has(c.schoolId) || (c.n === 0 && c.fen === 0)) continue;
    const p = programmes.get(c.programme) ?? zero();
    programmes.set(c.programme, p);
    const s = bySchool.get(c.schoolId) ?? zero();
    bySchool.set(c.schoolId, s);
    stages.set(c.stage, (stages.get(c.stage) ?? 0) + c.n);
    for (const x of [p, s, totals]) x.applications += c.n;
    if (c.stage === "paid") {
      p.paidStudents += c.n;
      for (const x of [p, s, totals]) x.paidFen += c.fen;
    } else if (c.stage === "approved") {
      for (const x of [p, s, totals]) x.approvedFen += c.fen;
    }
  }

  const byProgramme: Dashboard["byProgramme"] = (Object.keys(Programmes) as Programme[]).flatMap((programme) => {
    const t = programmes.get(programme);
    return t && t.applications > 0 ? [{ programme, name: Programmes[programme], ...t }] : [];
  });

  const schoolRows: Dashboard["bySchool"] = [...bySchool.entries()].map(([schoolId, t]) => {
    const s = schoolById.get(schoolId)!;
    return { schoolId, name: s.name, township: s.township, ...t, paidStudents: tallies.schoolPaid.get(schoolId) ?? 0 };
  });
  schoolRows.sort((a, b) => b.paidFen - a.paidFen || a.name.localeCompare(b.name, "zh"));

  const towns = new Map<string, Totals>();
  for (const s of schoolRows) {
    const t = towns.get(s.township) ?? zero();
    t.applications += s.applications;
    t.paidStudents += s.paidStudents;
    t.paidFen += s.paidFen;
    t.approvedFen += s.approvedFen;
    towns.set(s.township, t);
  }
  totals.paidStudents = tallies.countyPaid ?? schoolRows.reduce((n, s) => n + s.paidStudents, 0);

  return {
    totals,
    byProgramme,
    byTownship: [...towns.entries()].map(([township, t]) => ({ township, ...t })).sort((a, b) => b.paidFen - a.paidFen),
    bySchool: schoolRows,
    stages: [...stages.entries()].map(([stage, count]) => ({ stage, count })),
  };
}
