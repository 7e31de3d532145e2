/**
 * The county dashboard in one call: for a term, 资助人数 and 金额 by programme, by township and by school; how many
 * applications sit at each stage; and how far the term's notices reached. The application figures come from the
 * term's stored counters (patterns 70–71: one paged Query for the county, one per school for a township or a
 * school), which every application write keeps in its own transaction — never kept by hand, and rebuilt from the
 * records by `rebuild` (tally-store.ts) for data written before them or by bulk loads. The reach comes from the
 * event listing (pattern 14). Scope as everywhere: a school sees its own, a township its schools, the bureau the
 * county.
 *
 * 资助人数 counts students with a paid (已发放) application; 金额 is what was paid (the batch's amount). Approved
 * but not yet paid is shown apart (公示无异议 / 待发放).
 */
import { z } from "zod";
import { queryPage, tableName, transact } from "../db/client.js";
import { keys } from "../db/keys.js";
import { recount } from "../applications/tallies.js";
import { readTallies, rebuild, termRows, type Tallies } from "../applications/tally-store.js";
import { EventInfo } from "../notifications/events.js";
import { actorOf, requireRole, visibleSchools, type Staff } from "../staff/index.js";
import { auditPut } from "../audit/index.js";
import { figures } from "./dashboard-figures.js";

const Totals = z.object({
  applications: z.number(),
  /** Students with a paid application (资助人数). */
  paidStudents: z.number(),
  /** Paid, in fen (资助金额). */
  paidFen: z.number(),
  /** Approved after publicity, not paid yet. */
  approvedFen: z.number(),
});
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

/**
 * Where the application figures come from: the stored counters (the default, a few queries however big the
 * county), or a recount of the records (pattern 11) — what the page did before the counters, kept for the bench
 * and for checking the counters against the records.
 */
export type Source = "counters" | "records";

export async function dashboard(staff: Staff, term: string, source: Source = "counters"): Promise<Dashboard> {
  const schools = await visibleSchools(staff);
  const county = staff.role === "bureau";
  const [tallies, reach] = await Promise.all([
    source === "counters"
      ? readTallies(staff.tenant, term, county ? "county" : schools.map((s) => s.id))
      : recounted(staff.tenant, term),
    reachOf(staff, term, new Set(schools.map((s) => s.id))),
  ]);
  // The county's distinct paid students are the bureau's figure; a narrower scope sums its schools.
  const scoped: Tallies = county ? tallies : { ...tallies, countyPaid: undefined };
  return Dashboard.parse({
    term,
    ...figures(scoped, schools),
    reach,
    computedAt: new Date().toISOString(),
  });
}

export const RebuildResult = z.object({
  term: z.string(),
  applications: z.number().describe("该学期的申请记录数"),
  counters: z.number().describe("重新写入的计数项数"),
  corrected: z.number().describe("与记录不符、已改正的计数项数（0 表示原计数无误）"),
  paidStudents: z.number().describe("已发放的学生人数（去重）"),
});

/**
 * The bureau recounts a term's counters from the records (migration of data older than the counters, repair).
 * Audited: who rebuilt which term and how many counters were corrected.
 */
export async function rebuildCounters(staff: Staff, term: string): Promise<z.infer<typeof RebuildResult>> {
  requireRole(staff, "bureau");
  const result = await rebuild(staff.tenant, term);
  await transact([
    auditPut(tableName(), staff.tenant, {
      entityId: `tally-${term}`,
      actor: actorOf(staff),
      action: "counters_rebuilt",
      reason: `重算 ${result.applications} 份申请，改正 ${result.corrected} 项计数`,
    }),
  ]);
  return result;
}

/** The counters a recount of the term's records gives (nothing stored). */
export async function recounted(tenant: string, term: string): Promise<Tallies> {
  const { deltas } = recount(tenant, term, await termRows(tenant, term));
  const out: Tallies = { cells: [], schoolPaid: new Map() };
  for (const d of deltas) {
    if (d.kind === "cell") out.cells.push(d);
    else if (d.kind === "schoolPaid") out.schoolPaid.set(d.schoolId, d.students);
    else out.countyPaid = d.students;
  }
  return out;
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
