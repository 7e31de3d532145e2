/**
 * GET /api/dashboard: a term's 资助人数 / 金额 by programme, township and school, applications per stage and the
 * notices' reach, in one call — checked against the application records themselves, within each caller's scope.
 */
import { beforeAll, describe, expect, test } from "vitest";
import * as applications from "../../../../core/applications/index.js";
import { OTHER_SCHOOL, SCHOOL, addKids, api, setupWorld, type Kid, type World } from "../../queues/support.js";

/** The term running now: the reach counts the notices sent during the term's months. */
const now = new Date();
const term =
  now.getMonth() >= 8
    ? `${now.getFullYear()}-autumn`
    : now.getMonth() < 2
      ? `${now.getFullYear() - 1}-autumn`
      : `${now.getFullYear()}-spring`;
const HEADER = "batch_id,student_no,programme,term,amount,paid_date,account_last4";
let w: Omit<World, "kids">;
let here: Kid[];
let there: Kid[];
let early: Kid[];

beforeAll(async () => {
  w = await setupWorld();
  const approved = { programme: "compulsory_living" as const, term, stage: "approved" as const, amountFen: 62500 };
  here = await addKids(w.tenant, 4, { guardians: () => 1, application: approved });
  there = await addKids(w.tenant, 2, {
    guardians: () => 1,
    schoolId: OTHER_SCHOOL,
    application: { ...approved, amountFen: 60000 },
  });
  early = await addKids(w.tenant, 3, {
    guardians: () => 0,
    application: { programme: "preschool_aid", term, stage: "school_approved", amountFen: 50000 },
  });
  const row = (k: Kid, amount: string) =>
    ["B-DASH", k.studentNo, "compulsory_living", term, amount, "2025-11-18", "0042"].join(",");
  const csv = [HEADER, ...here.slice(0, 3).map((k) => row(k, "625.00")), row(there[0]!, "600.00")].join("\n");
  const paid = await api(w.bureau, "POST", "/api/payments", csv);
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
}, 120_000);

describe("the county dashboard", () => {
  test("the bureau's figures equal the records: paid students and amounts by programme, township and school, stages", async () => {
    const res = await api(w.bureau, "GET", `/api/dashboard?term=${term}`);
    expect(res.status).toBe(200);
    const d = res.body;

    // The same figures, from each application record.
    const records = await Promise.all(
      [...here, ...there, ...early].map((k) => applications.fromId(w.tenant, k.appId!)),
    );
    const paid = records.filter((a) => a!.stage === "paid");
    const paidFen = paid.reduce((n, a) => n + (a!.payment?.amountFen ?? a!.amountFen), 0);
    expect(paid).toHaveLength(4);
    expect(paidFen).toBe(3 * 62500 + 60000);
    expect(d.totals).toEqual({
      applications: records.length,
      paidStudents: paid.length,
      paidFen,
      approvedFen: records.filter((a) => a!.stage === "approved").reduce((n, a) => n + a!.amountFen, 0),
    });
    const living = d.byProgramme.find((p: any) => p.programme === "compulsory_living");
    expect(living).toMatchObject({ applications: 6, paidStudents: 4, paidFen });
    expect(d.byProgramme.find((p: any) => p.programme === "preschool_aid")).toMatchObject({
      applications: 3,
      paidStudents: 0,
    });
    const school = (id: string) => d.bySchool.find((s: any) => s.schoolId === id);
    expect(school(SCHOOL)).toMatchObject({
      name: "向阳小学",
      township: "城关镇",
      paidStudents: 3,
      paidFen: 187500,
      applications: 7,
    });
    expect(school(OTHER_SCHOOL)).toMatchObject({ paidStudents: 1, paidFen: 60000, approvedFen: 60000 });
    expect(d.byTownship.map((t: any) => [t.township, t.paidFen])).toEqual([
      ["城关镇", 187500],
      ["河石乡", 60000],
    ]);
    const stage = (s: string) => d.stages.find((x: any) => x.stage === s).count;
    expect([stage("paid"), stage("approved"), stage("school_approved"), stage("rejected")]).toEqual([4, 2, 3, 0]);
    // The payment batch is the term's one notice event (its fan-out is not run here).
    expect(d.reach.events).toBe(1);
  });

  test("a school sees only its own school's figures; another term is empty; a malformed term is refused", async () => {
    const mine = (await api(w.schoolToken, "GET", `/api/dashboard?term=${term}`)).body;
    expect(mine.bySchool.map((s: any) => s.schoolId)).toEqual([SCHOOL]);
    expect(mine.totals).toMatchObject({ applications: 7, paidStudents: 3, paidFen: 187500 });
    expect(mine.reach.events).toBe(0); // the county's payment batch is the bureau's
    const other = (await api(w.bureau, "GET", "/api/dashboard?term=2019-spring")).body;
    expect(other.totals).toEqual({ applications: 0, paidStudents: 0, paidFen: 0, approvedFen: 0 });
    expect((await api(w.bureau, "GET", "/api/dashboard?term=2025")).status).toBe(400);
  });
});
