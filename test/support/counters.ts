/**
 * The dashboard's counters of a term as tests compare them: the stored ones (cells emptied by moves left out) and the
 * same recounted from the application records, each as sorted lines so a difference reads at a glance.
 */
import { recounted } from "../../core/actions/dashboard.js";
import { readTallies } from "../../core/applications/tally-store.js";

export async function storedCounters(tenant: string, term: string) {
  const t = await readTallies(tenant, term, "county");
  return {
    cells: t.cells
      .filter((c) => c.n !== 0 || c.fen !== 0)
      .map((c) => `${c.schoolId} ${c.programme} ${c.stage} ${c.n} ${c.fen}`)
      .sort(),
    schoolPaid: Object.fromEntries([...t.schoolPaid].filter(([, n]) => n !== 0)),
    countyPaid: t.countyPaid ?? 0,
  };
}

export async function countersFromRecords(tenant: string, term: string) {
  const t = await recounted(tenant, term);
  return {
    cells: t.cells.map((c) => `${c.schoolId} ${c.programme} ${c.stage} ${c.n} ${c.fen}`).sort(),
    schoolPaid: Object.fromEntries(t.schoolPaid),
    countyPaid: t.countyPaid ?? 0,
  };
}
