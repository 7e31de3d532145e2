/**
 * Reading the dashboard's counters (patterns 70–71) and rebuilding them from the application records.
 *
 * The rebuild is for migrating data written before the counters existed, for bulk loads that bypass transactions
 * (the demo seed, benches) and for repair. It recounts the term from pattern 11 and overwrites every counter item of
 * the term with the recount, so run it while no one is moving that term's applications (a move committed between
 * the recount and the overwrite would be lost from the counters; running it again repairs that too). It reports
 * which counters it found different, so a repair says what was wrong.
 */
import { batchDelete, batchGet, batchPut, getItem, queryAll } from "../db/client.js";
import { keys, type Key } from "../db/keys.js";
import { mapLimit } from "../concurrency.js";
import { Programmes, type Programme } from "./programmes.js";
import { deltaKey, recount, type Delta, type PaidMarker, type Row } from "./tallies.js";

/** Pattern 71: the schools that paid the student this term, or `null` before the first payment. */
export async function paidMarkerOf(tenant: string, term: string, studentId: string): Promise<PaidMarker> {
  const item = await getItem<{ schools?: Set<string> }>(keys.paidStudent(tenant, term, studentId));
  return item ? [...(item.schools ?? [])] : null;
}

/** Pattern 71 for many students at once (payment batches): `term|studentId` → marker. */
export async function paidMarkersOf(
  tenant: string,
  pairs: readonly { term: string; studentId: string }[],
): Promise<Map<string, PaidMarker>> {
  const found = await batchGet(pairs.map((p) => keys.paidStudent(tenant, p.term, p.studentId)));
  const out = new Map<string, PaidMarker>();
  for (const p of pairs) {
    const k = keys.paidStudent(tenant, p.term, p.studentId);
    const item = found.get(`${k.pk}|${k.sk}`);
    out.set(`${p.term}|${p.studentId}`, item ? [...((item.schools as Set<string> | undefined) ?? [])] : null);
  }
  return out;
}

/** A term's counters as stored. */
export interface Tallies {
  cells: { schoolId: string; programme: string; stage: string; n: number; fen: number }[];
  /** Distinct paid students by school. */
  schoolPaid: Map<string, number>;
  /** Distinct paid students in the county (read only for the whole county). */
  countyPaid?: number;
}

type TallyItem = Record<string, unknown> & { pk: string; sk: string; kind?: string };

function tallyQuery(tenant: string, term: string, schoolId?: string) {
  return queryAll<TallyItem>({
    KeyConditionExpression: schoolId ? "pk = :pk AND begins_with(sk, :p)" : "pk = :pk",
    ExpressionAttributeValues: {
      ":pk": keys.talliesPk(tenant, term),
      ...(schoolId ? { ":p": keys.tallySchoolPrefix(schoolId) } : {}),
    },
  });
}

/**
 * Pattern 70d: the whole county in one paged Query, or the listed schools one Query each (a township's handful).
 */
export async function readTallies(tenant: string, term: string, schools: "county" | readonly string[]) {
  const items =
    schools === "county"
      ? await tallyQuery(tenant, term)
      : (await mapLimit([...schools], 8, (s) => tallyQuery(tenant, term, s))).flat();
  const out: Tallies = { cells: [], schoolPaid: new Map() };
  for (const i of items) {
    if (i.kind === "cell")
      out.cells.push({
        schoolId: i.schoolId as string,
        programme: i.programme as string,
        stage: i.stage as string,
        n: Number(i.n ?? 0),
        fen: Number(i.fen ?? 0),
      });
    else if (i.kind === "schoolPaid") out.schoolPaid.set(i.schoolId as string, Number(i.students ?? 0));
    else if (i.kind === "countyPaid") out.countyPaid = Number(i.students ?? 0);
  }
  return out;
}

interface ProjectedRow {
  studentId: string;
  schoolId: string;
  stage: Row["stage"];
  amountFen: number;
  payment?: { amountFen?: number };
}

/** Every application of the term (pattern 11, one paged query per programme, four at a time, five attributes). */
export async function termRows(tenant: string, term: string): Promise<Row[]> {
  const programmes = Object.keys(Programmes) as Programme[];
  const perProgramme = await mapLimit(programmes, 4, async (programme) => {
    const items = await queryAll<ProjectedRow>({
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
      ExpressionAttributeValues: { ":pk": keys.applicationsByProgrammePk(tenant, programme, term) },
      Limit: 1000,
    });
    return items.map(
      (r): Row => ({
        programme,
        studentId: r.studentId,
        schoolId: r.schoolId,
        stage: r.stage,
        amountFen: r.amountFen,
        ...(r.payment?.amountFen !== undefined ? { payment: { amountFen: r.payment.amountFen } } : {}),
      }),
    );
  });
  return perProgramme.flat();
}

export interface RebuildResult {
  term: string;
  applications: number;
  /** Counter items written (cells and paid-student counts). */
  counters: number;
  /** Counter items whose stored value differed from the recount (absent, other value, or left over). */
  corrected: number;
  paidStudents: number;
}

function storedValue(i: TallyItem): string {
  return i.kind === "cell" ? `${Number(i.n ?? 0)}/${Number(i.fen ?? 0)}` : `${Number(i.students ?? 0)}`;
}

function itemOf(d: Delta): TallyItem {
  const k: Key = deltaKey(d);
  const { kind, tenant, term } = d;
  const labels = { type: "tally", kind, tenant, term };
  if (d.kind === "cell") {
    const { schoolId, programme, stage, n, fen } = d;
    return { ...k, ...labels, schoolId, programme, stage, n, fen };
  }
  return { ...k, ...labels, ...(d.kind === "schoolPaid" ? { schoolId: d.schoolId } : {}), students: d.students };
}

/** Recount a term from its records and overwrite its counters and paid markers with the recount. */
export async function rebuild(tenant: string, term: string): Promise<RebuildResult> {
  const [rows, stored] = await Promise.all([termRows(tenant, term), tallyQuery(tenant, term)]);
  const { deltas, markers } = recount(tenant, term, rows);
  const target = deltas.map(itemOf);
  const before = new Map(stored.map((i) => [`${i.sk}`, storedValue(i)]));
  const wanted = new Set(target.map((i) => i.sk));
  let corrected = target.filter((i) => before.get(i.sk) !== storedValue(i)).length;
  const stale = stored.filter((i) => !wanted.has(i.sk));
  corrected += stale.filter((i) => storedValue(i) !== "0/0" && storedValue(i) !== "0").length;
  await batchPut([
    ...target,
    ...[...markers].map(([studentId, schools]) => ({
      ...keys.paidStudent(tenant, term, studentId),
      type: "paidStudent",
      tenant,
      term,
      studentId,
      schools: new Set(schools),
    })),
  ]);
  await batchDelete(stale.map((i) => ({ pk: i.pk, sk: i.sk })));
  return { term, applications: rows.length, counters: target.length, corrected, paidStudents: markers.size };
}
