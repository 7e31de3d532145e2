/**
 * Migration and repair of the dashboard's counters (docs/dashboard.md), for an operator at a shell: recounts each
 * given term of a tenant from its application records and overwrites the counters, printing what was corrected.
 * The same verb as POST /api/dashboard/rebuild (which a bureau account calls from the API), without a staff token:
 * it runs with the deployment's own table access (TABLE_NAME, and DYNAMODB_ENDPOINT locally, read by core/config).
 *
 *   npx tsx functions/cli/rebuild-counters.ts --tenant demo --term 2025-spring --term 2025-autumn
 *
 * Run it while no one is moving those terms' applications (a move committed during the recount would be missed).
 */
import { Term } from "../../core/applications/index.js";
import { rebuild } from "../../core/applications/tally-store.js";

const args = process.argv.slice(2);
const values = (name: string) => args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : []));
const tenant = values("tenant")[0];
const terms = values("term").map((t) => Term.parse(t));
if (!tenant || terms.length === 0) {
  console.error("用法：npx tsx functions/cli/rebuild-counters.ts --tenant <租户> --term 2025-autumn [--term …]");
  process.exit(2);
}
for (const term of terms) {
  const r = await rebuild(tenant, term);
  console.log(
    `${tenant} ${term}：重算 ${r.applications} 份申请，写入 ${r.counters} 项计数，改正 ${r.corrected} 项，已发放 ${r.paidStudents} 人`,
  );
}
