/**
 * Moving many applications at once (a 公示 list, a payment batch, closing a list), each move audited, in
 * transactions of up to 100 items (DynamoDB's limit). A student's moves and its event-member record share one
 * transaction, so a member exists exactly when its applications moved. If a transaction loses a condition
 * (someone moved one of its applications meanwhile), its groups are retried one by one and the losers reported.
 * Moves in one transaction share the dashboard's counter items (one school, programme and stage): their updates
 * are summed into one item each (mergeCounterItems), as DynamoDB allows one operation per item in a transaction.
 */
import * as applications from "../applications/index.js";
import { transact } from "../db/client.js";
import { isConditionFailure } from "../errors.js";
import { mapLimit } from "../concurrency.js";
import { footprint, mergeCounterItems } from "../applications/tallies.js";

type TxItem = NonNullable<Parameters<typeof transact>[0]>[number];

export interface Group<K> {
  key: K;
  items: TxItem[];
}

const MAX_ITEMS = 100;

/** Groups into transactions of at most 100 items, counting the counters' updates shared by moves once. */
function pack<K>(groups: Group<K>[]): Group<K>[][] {
  const out: Group<K>[][] = [];
  let current: Group<K>[] = [];
  let plain = 0;
  let shared = new Set<string>();
  for (const g of groups) {
    const f = footprint(g.items);
    const own = new Set(f.shared);
    if (f.plain + own.size > MAX_ITEMS) throw new Error("one group exceeds a transaction");
    const joined = plain + f.plain + new Set([...shared, ...own]).size;
    if (joined > MAX_ITEMS) {
      out.push(current);
      current = [];
      plain = 0;
      shared = new Set();
    }
    plain += f.plain;
    for (const id of own) shared.add(id);
    current.push(g);
  }
  if (current.length) out.push(current);
  return out;
}

/** Apply every group; returns the keys of the groups that lost a condition (nothing of theirs was written). */
export async function applyGroups<K>(groups: Group<K>[], parallel = 4): Promise<K[]> {
  const lost: K[] = [];
  await mapLimit(pack(groups), parallel, async (tx) => {
    try {
      await transact(mergeCounterItems(tx.flatMap((g) => g.items)));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      for (const g of tx) {
        try {
          await transact(mergeCounterItems(g.items));
        } catch (inner) {
          if (!isConditionFailure(inner)) throw inner;
          lost.push(g.key);
        }
      }
    }
  });
  return lost;
}

/** Past this many ids, one paged index query per stage beats one read per id. */
const QUERY_THRESHOLD = 100;

/**
 * Read many applications of one programme and term. A long list reads the stages it expects through pattern 11
 * (a few paged queries instead of one read per id) and reads only the ids not found there one by one; the index
 * may lag a moment, which only sends an id down the one-by-one path, and every move is guarded by its stage anyway.
 */
export async function readApplications(
  tenant: string,
  ids: readonly string[],
  programme: applications.Programme,
  term: string,
  expected: readonly applications.Stage[],
): Promise<Map<string, applications.ApplicationInfo | undefined>> {
  const out = new Map<string, applications.ApplicationInfo | undefined>();
  if (ids.length > QUERY_THRESHOLD) {
    const wanted = new Set(ids);
    for (const stage of expected) {
      for (const a of await applications.byProgramme(tenant, programme, term, stage))
        if (wanted.has(a.id)) out.set(a.id, a);
    }
  }
  const rest = ids.filter((id) => !out.has(id));
  const read = await mapLimit(rest, 32, (id) => applications.fromId(tenant, id));
  rest.forEach((id, i) => out.set(id, read[i]));
  return out;
}
