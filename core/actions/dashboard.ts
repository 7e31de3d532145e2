/**
 * The county dashboard in one call: for a term, 资助人数 and 金额 by programme, by township and by school; how many
 * applications sit at each stage; and how far the term's notices reached. Figures are computed from the records
 * on every call — one query per programme on the applications-by-programme index (pattern 11, only the five
 * attributes it needs projected, four programmes at a time) and one on the event listing (pattern 14) — never
 * kept by hand. Scope as everywhere: a school sees its own, a township its schools, the bureau the county.
 *
 * 资助人数 counts students with a paid (已发放) application; 金额 is what was paid (the batch's amount). Approved
 * but not yet paid is shown apart (公示无异议 / 待发放).
 */
import { z } from "zod";
import { queryAll, queryPage } from "../db/client.js";
import { keys } from "../db/keys.js";
import { Programmes, type Programme } from "../applications/programmes.js";
import { Stages, type Stage } from "../applications/stages.js";
import { EventInfo } from "../notifications/events.js";
import { visibleSchools, type Staff } from "../staff/index.js";
import { mapLimit } from "../concurrency.js";

const Totals = z.object({
  applications: z.number(),
  /** Students with a paid application (资助人数). */
  paidStudents: z.number(),
  /** Paid, in fen (资助金额). */
  paidFen: z.number(),
  /** Approved after publicity, not paid yet. */
  approvedFen: z.number(),
});
type Totals = z.infer<typeof Totals>;

export const Dashboard = z.object({
  term: z.string(),
  totals: Totals,
  byProgramme: z.array(Totals.extend({ programme: z.string(), name: z.string() })),
  byTownship: z.array(Totals.extend({ township: z.string() })),
  bySchool: z.array(Totals.extend({ schoolId: z.string(), name: z.string(), township: z.string() })),
  stages: z.array(z.object({ stage: z.string(), count: z.number() })),
  reach: z.object({
    events: z.number(),
    students: z.number(),
    reached: z.number(),
    unreached: z.number(),
    failed: z.number(),
    /** Notices still going out (events not finished). */
    inProgress: z.number(),
  }),
  computedAt: z.string(),
});
export type Dashboard = z.infer<typeof Dashboard>;

/** A term's calendar span: autumn from 1 September to the end of February, spring from 1 March to the end of August. */
export function termSpan(term: string): { from: string; to: string } {
  const [y, season] = term.split("-");
  const year = Number(y);
  return season === "spring"
    ? { from: `${year}-03-01`, to: `${year}-09-01` }
    : { from: `${year}-09-01`, to: `${year + 1}-03-01` };
}

const zero = (): Totals => ({ applications: 0, paidStudents: 0, paidFen: 0, approvedFen: 0 });

interface Row {
  studentId: string;
  schoolId: string;
  stage: Stage;
  amountFen: number;
  payment?: { amountFen?: number };
}

export async function dashboard(staff: Staff, term: string): Promise<Dashboard> {
  const schools = await visibleSchools(staff);
  const schoolById = new Map(schools.map((s) => [s.id, s] as const));
  const programmes = Object.keys(Programmes) as Programme[];
  const [rowsByProgramme, reach] = await Promise.all([
    // Four at a time, in pages of 1,000: each storage call stays short (STORAGE_TIMEOUT_MS applies to each).
    mapLimit(programmes, 4, (p) =>
      queryAll<Row>({
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        // Reserved words (stage, payment) go through names.
        ProjectionExpression: "#stu, #sch, #stage, #amt, #pay.#amt",
        ExpressionAttributeNames: {
          "#stu": "studentId",
          "#sch": "schoolId",
          "#stage": "stage",
          "#amt": "amountFen",
          "#pay": "payment",
        },
        ExpressionAttributeValues: { ":pk": keys.applicationsByProgrammePk(staff.tenant, p, term) },
        Limit: 1000,
      }),
    ),
    reachOf(staff, term, new Set(schoolById.keys())),
  ]);

  const totals = zero();
  const paidStudents = new Set<string>();
  const byProgramme: Dashboard["byProgramme"] = [];
  const bySchool = new Map<string, Totals>();
  const paidBySchool = new Map<string, Set<string>>();
  const stages = new Map<string, number>(Stages.map((s) => [s, 0]));
  programmes.forEach((programme, i) => {
    const t = zero();
    for (const r of rowsByProgramme[i]!) {
      if (!schoolById.has(r.schoolId)) continue;
      const s = bySchool.get(r.schoolId) ?? zero();
      bySchool.set(r.schoolId, s);
      stages.set(r.stage, (stages.get(r.stage) ?? 0) + 1);
      for (const x of [t, s, totals]) x.applications++;
      if (r.stage === "paid") {
        const fen = r.payment?.amountFen ?? r.amountFen;
        t.paidStudents++;
        t.paidFen += fen;
        s.paidFen += fen;
        totals.paidFen += fen;
        paidStudents.add(r.studentId);
        const set = paidBySchool.get(r.schoolId) ?? new Set<string>();
        set.add(r.studentId);
        paidBySchool.set(r.schoolId, set);
      } else if (r.stage === "approved") {
        for (const x of [t, s, totals]) x.approvedFen += r.amountFen;
      }
    }
    if (t.applications > 0) byProgramme.push({ programme, name: Programmes[programme], ...t });
  });
  totals.paidStudents = paidStudents.size;

  const schoolRows: Dashboard["bySchool"] = [...bySchool.entries()].map(([schoolId, t]) => {
    const s = schoolById.get(schoolId)!;
    return { schoolId, name: s.name, township: s.township, ...t, paidStudents: paidBySchool.get(schoolId)?.size ?? 0 };
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
  return Dashboard.parse({
    term,
    totals,
    byProgramme,
    byTownship: [...towns.entries()].map(([township, t]) => ({ township, ...t })).sort((a, b) => b.paidFen - a.paidFen),
    bySchool: schoolRows,
    stages: [...stages.entries()].map(([stage, count]) => ({ stage, count })),
    reach,
    computedAt: new Date().toISOString(),
  });
}

/** The term's notices (pattern 14, by creation date): students reached and not, from each finished event's counts. */
async function reachOf(staff: Staff, term: string, schools: Set<string>): Promise<Dashboard["reach"]> {
  const span = termSpan(term);
  const out = { events: 0, students: 0, reached: 0, unreached: 0, failed: 0, inProgress: 0 };
  let cursor: string | undefined;
  do {
    const page = await queryPage<Record<string, unknown>>(
      {
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": keys.eventsPk(staff.tenant), ":from": span.from, ":to": span.to },
      },
      cursor,
    );
    cursor = page.cursor;
    for (const item of page.items) {
      if (item.type !== "event") continue;
      const parsed = EventInfo.safeParse(item);
      if (!parsed.success) continue;
      const e = parsed.data;
      // County-wide events (payment batches, village lists) count for the bureau; a school's for those who see it.
      if (e.schoolId ? !schools.has(e.schoolId) : staff.role !== "bureau") continue;
      out.events++;
      if (!e.counts) {
        out.inProgress++;
        continue;
      }
      out.students += e.counts.students;
      out.reached += e.counts.reached;
      out.unreached += e.counts.students - e.counts.reached;
      out.failed += e.counts.failed;
    }
  } while (cursor);
  return out;
}
