/**
 * The dashboard's stored counters over a whole term, through the staff API as officers use it: applications are
 * created, one withdrawn, approved at school, township and county level (many at once, one double-clicked),
 * published, objected to and resolved, rejected, paid in two batches (one uploaded twice at the same moment, one
 * uploaded again later). After every step that matters the counters must equal a recount of the records; at the
 * end they must equal the exact figures this file works out by hand from the story below. A rebuild repairs
 * counters that were damaged and finds nothing to correct in counters that were not.
 */
import { beforeAll, describe, expect, test, vi } from "vitest";
import { dashboard } from "../../../core/actions/dashboard.js";
import * as applications from "../../../core/applications/index.js";
import { countersFromRecords, storedCounters } from "../../support/counters.js";
import { batchDelete, batchPut } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import * as staff from "../../../core/staff/index.js";
import {
  OTHER_SCHOOL,
  SCHOOL,
  addKids,
  api,
  setupWorld,
  type Kid,
  type World,
} from "../../functions/queues/support.js";

/** When set, the next read of paid markers answers "not paid yet" for everyone: a read that a parallel batch outran. */
const stale = vi.hoisted(() => ({ once: false }));
vi.mock("../../../core/applications/tally-store.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../core/applications/tally-store.js")>();
  return {
    ...real,
    paidMarkersOf: async (...args: Parameters<typeof real.paidMarkersOf>) => {
      const found = await real.paidMarkersOf(...args);
      if (stale.once) {
        stale.once = false;
        for (const k of found.keys()) found.set(k, null);
      }
      return found;
    },
  };
});

const term = "2025-autumn";
const HEADER = "batch_id,student_no,programme,term,amount,paid_date,account_last4";
const publicity = { start: "2025-11-01", end: "2025-11-07" };

let w: Omit<World, "kids">;
let cgTownship: string;
let hsTownship: string;
/** 向阳小学 (城关镇): A0…A7; 河石乡中心小学 (河石乡): B0…B3. */
let A: Kid[];
let B: Kid[];
/** Application ids: `A0`, `A0f` (A0's 新生入学资助), … */
const app: Record<string, string> = {};

const ok = (res: { status: number; body: unknown }, status = 200) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as any;
};

const stored = () => storedCounters(w.tenant, term);
const fromRecords = () => countersFromRecords(w.tenant, term);

async function expectCountersMatchRecords() {
  expect(await stored()).toEqual(await fromRecords());
}

const csv = (batch: string, rows: [Kid, string, string][]) =>
  [
    HEADER,
    ...rows.map(([k, programme, amount]) =>
      [batch, k.studentNo, programme, term, amount, "2025-11-18", "0042"].join(","),
    ),
  ].join("\n");

beforeAll(async () => {
  w = await setupWorld();
  cgTownship = (await staff.issue(w.tenant, { role: "township", township: "城关镇", label: "城关镇中心校" }, "test"))
    .token;
  hsTownship = (await staff.issue(w.tenant, { role: "township", township: "河石乡", label: "河石乡中心校" }, "test"))
    .token;
  A = await addKids(w.tenant, 8, { guardians: () => 0 });
  B = await addKids(w.tenant, 4, { guardians: () => 0, schoolId: OTHER_SCHOOL });
}, 120_000);

describe("the dashboard's counters through a term", () => {
  test("creating and withdrawing applications counts each once, a repeated POST or withdrawal changes nothing", async () => {
    const create = async (token: string, k: Kid, programme: string, amount: string) =>
      ok(await api(token, "POST", "/api/applications", { studentId: k.id, programme, term, amount }), 201).application
        .id as string;
    for (const [i, k] of A.entries()) app[`A${i}`] = await create(w.schoolToken, k, "compulsory_living", "625");
    for (const [i, k] of B.entries()) app[`B${i}`] = await create(w.otherSchoolToken, k, "compulsory_living", "600");
    app.A0f = await create(w.schoolToken, A[0]!, "freshman_aid", "800");
    app.B0f = await create(w.otherSchoolToken, B[0]!, "freshman_aid", "800");
    // The same POST again (a retry) answers with the application and counts nothing.
    const again = await api(w.schoolToken, "POST", "/api/applications", {
      studentId: A[1]!.id,
      programme: "compulsory_living",
      term,
      amount: "625",
    });
    expect(again.status).toBeLessThan(300);

    ok(await api(w.schoolToken, "POST", `/api/applications/${app.A7}/withdraw`, { reason: "录入错误，重复申请" }));
    expect(
      (await api(w.schoolToken, "POST", `/api/applications/${app.A7}/withdraw`, { reason: "再点一次" })).status,
    ).not.toBe(200);

    expect(await stored()).toEqual({
      cells: [
        `${OTHER_SCHOOL} compulsory_living submitted 4 240000`,
        `${OTHER_SCHOOL} freshman_aid submitted 1 80000`,
        `${SCHOOL} compulsory_living submitted 7 437500`,
        `${SCHOOL} freshman_aid submitted 1 80000`,
      ].sort(),
      schoolPaid: {},
      countyPaid: 0,
    });
    await expectCountersMatchRecords();
  });

  test("approvals at three levels, many at once and one double-clicked, move each application once", async () => {
    ok(
      await api(w.schoolToken, "POST", `/api/applications/${app.A6}/reject`, {
        from: "submitted",
        reason: "家庭经济状况不符合认定条件",
      }),
    );
    const approve = (token: string, id: string, from: string) =>
      api(token, "POST", `/api/applications/${id}/approve`, { from });
    // School level: every application of both schools at once, and A1 clicked twice.
    const school = await Promise.all([
      ...["A0", "A0f", "A1", "A2", "A3", "A4", "A5", "A1"].map((k) => approve(w.schoolToken, app[k]!, "submitted")),
      ...["B0", "B0f", "B1", "B2", "B3"].map((k) => approve(w.otherSchoolToken, app[k]!, "submitted")),
    ]);
    expect(school.map((r) => r.status).sort()).toEqual([...Array(12).fill(200), 409]);
    // Township level, each township its own schools, at once.
    const township = await Promise.all([
      ...["A0", "A0f", "A1", "A2", "A3", "A4", "A5"].map((k) => approve(cgTownship, app[k]!, "school_approved")),
      ...["B0", "B0f", "B1", "B2", "B3"].map((k) => approve(hsTownship, app[k]!, "school_approved")),
    ]);
    expect(township.map((r) => r.status)).toEqual(Array(12).fill(200));
    // County level: all but A5, which stays with the township's approval.
    const county = await Promise.all(
      ["A0", "A0f", "A1", "A2", "A3", "A4", "B0", "B0f", "B1", "B2", "B3"].map((k) =>
        approve(w.bureau, app[k]!, "township_approved"),
      ),
    );
    expect(county.map((r) => r.status)).toEqual(Array(11).fill(200));
    // A stale click (the officer still sees 已提交) changes nothing.
    expect((await approve(w.schoolToken, app.A0!, "submitted")).status).toBe(409);

    expect(await stored()).toEqual({
      cells: [
        `${OTHER_SCHOOL} compulsory_living county_approved 4 240000`,
        `${OTHER_SCHOOL} freshman_aid county_approved 1 80000`,
        `${SCHOOL} compulsory_living county_approved 5 312500`,
        `${SCHOOL} compulsory_living rejected 1 62500`,
        `${SCHOOL} compulsory_living township_approved 1 62500`,
        `${SCHOOL} freshman_aid county_approved 1 80000`,
      ].sort(),
      schoolPaid: {},
      countyPaid: 0,
    });
    await expectCountersMatchRecords();
  });

  test("publicity, an objection that holds and one that does not, and closing the lists", async () => {
    const lists: string[] = [];
    for (const [schoolId, programme, ids] of [
      [SCHOOL, "compulsory_living", ["A0", "A1", "A2", "A3", "A4"]],
      [SCHOOL, "freshman_aid", ["A0f"]],
      [OTHER_SCHOOL, "compulsory_living", ["B0", "B1", "B2", "B3"]],
      [OTHER_SCHOOL, "freshman_aid", ["B0f"]],
    ] as const) {
      const res = ok(
        await api(w.bureau, "POST", "/api/lists", {
          programme,
          term,
          scope: { kind: "school", schoolId },
          applicationIds: ids.map((k) => app[k]),
          publicity,
          objectionContact: "县学生资助管理中心 0000-6612345",
        }),
        201,
      );
      expect(res.moved).toBe(ids.length);
      lists.push(res.list.id);
    }
    ok(
      await api(w.schoolToken, "POST", `/api/applications/${app.A4}/objections`, {
        from: "publicizing",
        reason: "实名举报家庭有营运车辆",
      }),
    );
    ok(
      await api(w.otherSchoolToken, "POST", `/api/applications/${app.B3}/objections`, {
        from: "publicizing",
        reason: "邻居反映情况有变",
      }),
    );
    await expectCountersMatchRecords();
    ok(
      await api(w.bureau, "POST", `/api/applications/${app.A4}/objections/resolve`, {
        from: "objected",
        result: "rejected",
        reason: "经核实异议成立",
      }),
    );
    ok(
      await api(w.bureau, "POST", `/api/applications/${app.B3}/objections/resolve`, {
        from: "objected",
        result: "approved",
        reason: "经核实异议不成立",
      }),
    );
    for (const id of lists) ok(await api(w.bureau, "POST", `/api/lists/${id}/close`));
    // Closing again moves nothing more.
    ok(await api(w.bureau, "POST", `/api/lists/${lists[0]}/close`));

    expect(await stored()).toEqual({
      cells: [
        `${OTHER_SCHOOL} compulsory_living approved 4 240000`,
        `${OTHER_SCHOOL} freshman_aid approved 1 80000`,
        `${SCHOOL} compulsory_living approved 4 250000`,
        `${SCHOOL} compulsory_living rejected 2 125000`,
        `${SCHOOL} compulsory_living township_approved 1 62500`,
        `${SCHOOL} freshman_aid approved 1 80000`,
      ].sort(),
      schoolPaid: {},
      countyPaid: 0,
    });
    await expectCountersMatchRecords();
  });

  test("payments count each paid student once per school and county, however often the batch is uploaded", async () => {
    // Batch 1 pays A0 twice (two programmes, one student), A1 and B0; uploaded again later it changes nothing.
    const one = csv("B-1", [
      [A[0]!, "compulsory_living", "625.00"],
      [A[0]!, "freshman_aid", "800.00"],
      [A[1]!, "compulsory_living", "625.00"],
      [B[0]!, "compulsory_living", "600.00"],
    ]);
    expect(ok(await api(w.bureau, "POST", "/api/payments", one), 201).duplicate).toBe(false);
    expect(ok(await api(w.bureau, "POST", "/api/payments", one), 200).duplicate).toBe(true);
    // Batch 2 pays B0 again (another programme: no new student), A2 and B1 — sent twice at the same moment.
    const two = csv("B-2", [
      [B[0]!, "freshman_aid", "800.00"],
      [A[2]!, "compulsory_living", "625.00"],
      [B[1]!, "compulsory_living", "600.00"],
    ]);
    const both = await Promise.all([
      api(w.bureau, "POST", "/api/payments", two),
      api(w.bureau, "POST", "/api/payments", two),
    ]);
    expect(
      both.map((r) => r.status),
      JSON.stringify(both.map((r) => r.body)),
    ).toEqual([201, 201]);

    // The story's end, by hand: 向阳小学 A0 paid 625 + 800, A1 and A2 paid 625, A3 approved 625, A4 (objection
    // held) and A6 rejected, A5 at the township, A7 withdrawn; 河石乡 B0 paid 600 + 800, B1 paid 600, B2 and B3
    // (objection did not hold) approved 600.
    expect(await stored()).toEqual({
      cells: [
        `${OTHER_SCHOOL} compulsory_living approved 2 120000`,
        `${OTHER_SCHOOL} compulsory_living paid 2 120000`,
        `${OTHER_SCHOOL} freshman_aid paid 1 80000`,
        `${SCHOOL} compulsory_living approved 1 62500`,
        `${SCHOOL} compulsory_living paid 3 187500`,
        `${SCHOOL} compulsory_living rejected 2 125000`,
        `${SCHOOL} compulsory_living township_approved 1 62500`,
        `${SCHOOL} freshman_aid paid 1 80000`,
      ].sort(),
      schoolPaid: { [SCHOOL]: 3, [OTHER_SCHOOL]: 2 },
      countyPaid: 5,
    });
    await expectCountersMatchRecords();
  });

  test("the dashboard reads the counters: the bureau's county, a township's and a school's own figures", async () => {
    const county = ok(await api(w.bureau, "GET", `/api/dashboard?term=${term}`));
    expect(county.totals).toEqual({ applications: 13, paidStudents: 5, paidFen: 467500, approvedFen: 182500 });
    expect(
      county.byProgramme.map((p: any) => [p.programme, p.applications, p.paidStudents, p.paidFen, p.approvedFen]),
    ).toEqual([
      ["compulsory_living", 11, 5, 307500, 182500],
      ["freshman_aid", 2, 2, 160000, 0],
    ]);
    expect(county.byTownship).toEqual([
      { township: "城关镇", applications: 8, paidStudents: 3, paidFen: 267500, approvedFen: 62500 },
      { township: "河石乡", applications: 5, paidStudents: 2, paidFen: 200000, approvedFen: 120000 },
    ]);
    const stage = (s: string) => county.stages.find((x: any) => x.stage === s).count;
    expect(["paid", "approved", "rejected", "township_approved", "submitted"].map(stage)).toEqual([7, 3, 2, 1, 0]);

    const township = ok(await api(hsTownship, "GET", `/api/dashboard?term=${term}`));
    expect(township.totals).toEqual({ applications: 5, paidStudents: 2, paidFen: 200000, approvedFen: 120000 });
    expect(township.bySchool.map((s: any) => s.schoolId)).toEqual([OTHER_SCHOOL]);
    const school = ok(await api(w.schoolToken, "GET", `/api/dashboard?term=${term}`));
    expect(school.totals).toEqual({ applications: 8, paidStudents: 3, paidFen: 267500, approvedFen: 62500 });

    // The page's figures from counters equal the same page recounted from the records, for every scope.
    for (const token of [w.bureau, hsTownship, w.schoolToken]) {
      const who = (await staff.resolve(token))!;
      const [a, b] = await Promise.all([dashboard(who, term, "counters"), dashboard(who, term, "records")]);
      expect({ ...a, computedAt: "" }).toEqual({ ...b, computedAt: "" });
    }
  });

  test("a rebuild finds nothing to correct in kept counters, and repairs damaged ones from the records", async () => {
    const clean = ok(await api(w.bureau, "POST", "/api/dashboard/rebuild", { term }));
    expect(clean).toMatchObject({ term, applications: 13, corrected: 0, paidStudents: 5 });
    const before = await stored();

    // Damage: one cell lost, one paid-student count wrong, one stray cell.
    await batchDelete([keys.tallyCell(w.tenant, term, SCHOOL, "compulsory_living", "paid")]);
    await batchPut([
      {
        ...keys.tallySchoolPaid(w.tenant, term, OTHER_SCHOOL),
        type: "tally",
        kind: "schoolPaid",
        schoolId: OTHER_SCHOOL,
        students: 9,
      },
      {
        ...keys.tallyCell(w.tenant, term, SCHOOL, "yulu", "submitted"),
        type: "tally",
        kind: "cell",
        schoolId: SCHOOL,
        programme: "yulu",
        stage: "submitted",
        n: 4,
        fen: 1,
      },
    ]);
    expect(await stored()).not.toEqual(before);
    expect((await api(w.schoolToken, "POST", "/api/dashboard/rebuild", { term })).status).toBe(403);
    expect(ok(await api(w.bureau, "POST", "/api/dashboard/rebuild", { term })).corrected).toBe(3);
    expect(await stored()).toEqual(before);
  });

  test("four batches paying one student's four programmes at the same moment all succeed and count the student once", async () => {
    const [c] = await addKids(w.tenant, 1, {
      guardians: () => 0,
      application: { programme: "compulsory_living", term, stage: "approved", amountFen: 62500 },
    });
    const steps = ["school_approved", "township_approved", "county_approved", "publicizing", "approved"] as const;
    const more = [
      ["freshman_aid", 80000],
      ["yulu", 150000],
      ["preschool_aid", 50000],
    ] as const;
    for (const [programme, amountFen] of more)
      await applications.createWithHistory(
        w.tenant,
        { studentId: c!.id, schoolId: SCHOOL, programme, term, amountFen },
        { id: "test", role: "system" },
        steps.map((to) => ({
          to,
          publicity:
            to === "publicizing"
              ? {
                  listId: "evt_fixture000000000",
                  start: "2025-11-01",
                  end: "2025-11-07",
                  objectionContact: "学校资助办",
                }
              : undefined,
        })),
      );
    const before = await stored();
    const files = [
      csv("B-W", [[c!, "compulsory_living", "625.00"]]),
      ...more.map(([programme, fen], i) => csv(`B-${"XYZ"[i]}`, [[c!, programme, (fen / 100).toFixed(2)]])),
    ];
    const all = await Promise.all(files.map((f) => api(w.bureau, "POST", "/api/payments", f)));
    // Each read "not paid yet"; only one may create the student's marker. The others' transactions lose that
    // condition, change nothing, and go again with the marker read afresh: every batch succeeds.
    expect(
      all.map((r) => r.status),
      JSON.stringify(all.map((r) => r.body)),
    ).toEqual([201, 201, 201, 201]);
    const after = await stored();
    const cell = (t: typeof before, programme: string, stage: string) => {
      const line = t.cells.find((l) => l.startsWith(`${SCHOOL} ${programme} ${stage} `));
      return line ? line.split(" ").slice(3).map(Number) : [0, 0];
    };
    const plus = (t: number[], n: number, fen: number) => [t[0]! + n, t[1]! + fen];
    expect(after.countyPaid).toBe(before.countyPaid + 1);
    expect(after.schoolPaid[SCHOOL]).toBe((before.schoolPaid[SCHOOL] ?? 0) + 1);
    for (const [programme, fen] of [["compulsory_living", 62500], ...more] as const) {
      expect(cell(after, programme, "paid")).toEqual(plus(cell(before, programme, "paid"), 1, fen));
      expect(cell(after, programme, "approved")).toEqual(plus(cell(before, programme, "approved"), -1, -fen));
    }
    await expectCountersMatchRecords();
  });

  test("a payment whose marker read was outrun loses its condition, changes nothing, and goes again counting the student once", async () => {
    const [e] = await addKids(w.tenant, 1, {
      guardians: () => 0,
      application: { programme: "compulsory_living", term, stage: "approved", amountFen: 62500 },
    });
    await applications.createWithHistory(
      w.tenant,
      { studentId: e!.id, schoolId: SCHOOL, programme: "freshman_aid", term, amountFen: 80000 },
      { id: "test", role: "system" },
      (["school_approved", "township_approved", "county_approved", "publicizing", "approved"] as const).map((to) => ({
        to,
        publicity:
          to === "publicizing"
            ? { listId: "evt_fixture000000000", start: "2025-11-01", end: "2025-11-07", objectionContact: "学校资助办" }
            : undefined,
      })),
    );
    const before = await stored();
    ok(await api(w.bureau, "POST", "/api/payments", csv("B-P1", [[e!, "compulsory_living", "625.00"]])), 201);
    const between = await stored();
    expect([between.countyPaid, between.schoolPaid[SCHOOL]]).toEqual([
      before.countyPaid + 1,
      (before.schoolPaid[SCHOOL] ?? 0) + 1,
    ]);
    // The second batch reads the student as not paid yet (stale), so its marker write is conditioned on "absent".
    stale.once = true;
    ok(await api(w.bureau, "POST", "/api/payments", csv("B-P2", [[e!, "freshman_aid", "800.00"]])), 201);
    expect(stale.once).toBe(false);
    const after = await stored();
    expect([after.countyPaid, after.schoolPaid[SCHOOL]]).toEqual([between.countyPaid, between.schoolPaid[SCHOOL]]);
    await expectCountersMatchRecords();
  });
});
