import { describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import { Stages } from "../../../core/applications/stages.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { DEMO_TEMPLATES, DEMO_TENANT, rng, seedDemoCounty } from "../../../core/local/seed.js";
import { missingTemplates } from "../../../core/actions/compose.js";
import * as tenants from "../../../core/tenants/index.js";
import { recounted } from "../../../core/actions/dashboard.js";
import { readTallies } from "../../../core/applications/tally-store.js";
import { batchDelete } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";

describe("the demo county seed", () => {
  it("produces the same sequence from the same seed", () => {
    const a = rng(7),
      b = rng(7);
    expect(Array.from({ length: 5 }, a.next)).toEqual(Array.from({ length: 5 }, b.next));
  });

  it("seeds schools of every kind in several townships, 300+ students and applications in every stage, once", async () => {
    const first = await seedDemoCounty();
    expect(first.seeded).toBe(true);
    expect(first.students).toBeGreaterThanOrEqual(300);

    const all = await schools.list(DEMO_TENANT);
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(new Set(all.map((s) => s.township)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(all.map((s) => s.kind))).toEqual(
      new Set(["kindergarten", "primary", "junior", "nine_year", "senior", "vocational"]),
    );

    const seen = new Set<string>();
    const guardianCounts = new Set<number>();
    let studentCount = 0;
    for (const s of all) {
      let cursor: string | undefined;
      do {
        const page = await students.bySchool(DEMO_TENANT, s.id, {}, cursor);
        for (const st of page.items) {
          studentCount++;
          guardianCounts.add(st.guardians.length);
          expect(st.guardians.every((g) => /^1380000\d{4}$/.test(g.phone))).toBe(true);
        }
        cursor = page.cursor;
      } while (cursor);
    }
    expect(studentCount).toBe(first.students);
    expect(guardianCounts).toEqual(new Set([0, 1, 2]));

    for (const programme of [
      "compulsory_living",
      "senior_grant",
      "vocational_grant",
      "preschool_aid",
      "yulu",
    ] as const) {
      for (const term of ["2025-spring", "2025-autumn"]) {
        for (const a of await applications.byProgramme(DEMO_TENANT, programme, term)) seen.add(a.stage);
      }
    }
    expect([...seen].sort()).toEqual([...Stages].sort());

    const again = await seedDemoCounty();
    expect(again.seeded).toBe(false);
  }, 120_000);

  it("gives the demo county the WeChat template ids its notices need, also when it was seeded before it had them", async () => {
    await seedDemoCounty();
    const t = (await tenants.fromId(DEMO_TENANT))!;
    expect(missingTemplates(t)).toEqual([]);
    await tenants.put({ ...t, templates: {} });
    expect(missingTemplates((await tenants.fromId(DEMO_TENANT))!)).toHaveLength(3);
    expect((await seedDemoCounty()).seeded).toBe(false);
    expect((await tenants.fromId(DEMO_TENANT))!.templates).toEqual(DEMO_TEMPLATES);
  });

  it("leaves the dashboard's counters equal to its records, and gives them to a county seeded before they existed", async () => {
    await seedDemoCounty();
    const lines = async (term: string) => {
      const t = await readTallies(DEMO_TENANT, term, "county");
      return {
        cells: t.cells.filter((c) => c.n !== 0).map((c) => `${c.schoolId} ${c.programme} ${c.stage} ${c.n} ${c.fen}`),
        paid: [...t.schoolPaid].sort(),
        county: t.countyPaid,
      };
    };
    const recount = async (term: string) => {
      const t = await recounted(DEMO_TENANT, term);
      return {
        cells: t.cells.map((c) => `${c.schoolId} ${c.programme} ${c.stage} ${c.n} ${c.fen}`),
        paid: [...t.schoolPaid].sort(),
        county: t.countyPaid,
      };
    };
    for (const term of ["2025-spring", "2025-autumn"]) {
      const stored = await lines(term);
      expect(stored.county).toBeGreaterThan(0);
      expect(stored.cells.sort()).toEqual((await recount(term)).cells.sort());
      expect(stored).toEqual({ ...(await recount(term)), cells: stored.cells });
    }
    // As if seeded before the counters: none stored for the autumn term; the next start recounts them.
    const autumn = await readTallies(DEMO_TENANT, "2025-autumn", "county");
    await batchDelete([
      ...autumn.cells.map((c) => keys.tallyCell(DEMO_TENANT, "2025-autumn", c.schoolId, c.programme, c.stage)),
      ...[...autumn.schoolPaid.keys()].map((s) => keys.tallySchoolPaid(DEMO_TENANT, "2025-autumn", s)),
      keys.tallyCountyPaid(DEMO_TENANT, "2025-autumn"),
    ]);
    expect((await readTallies(DEMO_TENANT, "2025-autumn", "county")).cells).toEqual([]);
    expect((await seedDemoCounty()).seeded).toBe(false);
    expect((await lines("2025-autumn")).cells.sort()).toEqual((await recount("2025-autumn")).cells.sort());
  });
});
