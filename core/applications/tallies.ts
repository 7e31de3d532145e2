/**
 * The dashboard's stored counters (key patterns 70–71): per tenant × term × school × programme × stage, how many
 * applications sit there and their amount in fen; per school and for the county, how many distinct students were
 * paid. They change only inside the transaction that writes the application (create, every stage move, withdraw,
 * payment), as `ADD` updates: a transaction that is cancelled — lost a stage guard, a concurrent move, a retried
 * upload finding the move done — changes no counter, and one that commits changes each exactly once.
 *
 * Distinct paid students need a marker per student and term (pattern 71: the schools that paid the student). The
 * marker's state is read before the move and the write is conditioned on it, so two moves racing for the same
 * student cannot both count them: one transaction loses its condition and changes nothing.
 *
 * DynamoDB refuses two operations on one item in one transaction; callers that pack many moves into one
 * (lists, payment batches) pass their items through `mergeCounterItems`, which sums the counters' updates.
 *
 * Pure: builds transaction items and recounts rows; storage lives in tally-store.ts.
 */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { tableName } from "../db/client.js";
import { keys, type Key } from "../db/keys.js";
import type { Stage } from "./stages.js";

export type TxItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** What the counters need of an application. */
export interface Counted {
  tenant: string;
  term: string;
  schoolId: string;
  programme: string;
  studentId: string;
  stage: Stage;
  amountFen: number;
  payment?: { amountFen: number };
}

/** A change to one counter item. */
export type Delta =
  | {
      kind: "cell";
      tenant: string;
      term: string;
      schoolId: string;
      programme: string;
      stage: string;
      n: number;
      fen: number;
    }
  | { kind: "schoolPaid"; tenant: string; term: string; schoolId: string; students: number }
  | { kind: "countyPaid"; tenant: string; term: string; students: number };

/** The schools a student was paid by in a term (pattern 71), `null` when the marker does not exist yet. */
export type PaidMarker = readonly string[] | null;

/** Paid counts what was paid (the batch's amount); every other stage what was applied for. */
export function countedFen(a: Pick<Counted, "stage" | "amountFen" | "payment">): number {
  return a.stage === "paid" ? (a.payment?.amountFen ?? a.amountFen) : a.amountFen;
}

function cell(a: Counted, sign: 1 | -1): Delta {
  return {
    kind: "cell",
    tenant: a.tenant,
    term: a.term,
    schoolId: a.schoolId,
    programme: a.programme,
    stage: a.stage,
    n: sign,
    fen: sign * countedFen(a),
  };
}

/** The cell changes of one write: `before` absent for a create, `after` absent for a removal. */
export function cellDeltas(before: Counted | undefined, after: Counted | undefined): Delta[] {
  return mergeDeltas([...(before ? [cell(before, -1)] : []), ...(after ? [cell(after, 1)] : [])]);
}

/** The student counters a payment changes, given the marker as read: first paid in the term, first at the school. */
export function paidDeltas(a: Counted, marker: PaidMarker): Delta[] {
  if (marker?.includes(a.schoolId)) return [];
  return [
    { kind: "schoolPaid", tenant: a.tenant, term: a.term, schoolId: a.schoolId, students: 1 },
    ...(marker === null ? [{ kind: "countyPaid", tenant: a.tenant, term: a.term, students: 1 } as const] : []),
  ];
}

export function deltaKey(d: Delta): Key {
  switch (d.kind) {
    case "cell":
      return keys.tallyCell(d.tenant, d.term, d.schoolId, d.programme, d.stage);
    case "schoolPaid":
      return keys.tallySchoolPaid(d.tenant, d.term, d.schoolId);
    case "countyPaid":
      return keys.tallyCountyPaid(d.tenant, d.term);
  }
}

const idOf = (k: Key) => `${k.pk}|${k.sk}`;

/** Sum the deltas of each counter item; counters left unchanged are dropped. */
export function mergeDeltas(deltas: readonly Delta[]): Delta[] {
  const out = new Map<string, Delta>();
  for (const d of deltas) {
    const id = idOf(deltaKey(d));
    const seen = out.get(id);
    if (!seen) out.set(id, { ...d });
    else if (seen.kind === "cell" && d.kind === "cell") {
      seen.n += d.n;
      seen.fen += d.fen;
    } else if (seen.kind !== "cell" && d.kind !== "cell") seen.students += d.students;
  }
  return [...out.values()].filter((d) => (d.kind === "cell" ? d.n !== 0 || d.fen !== 0 : d.students !== 0));
}

/** The transaction item for one counter change: an `ADD`, so it composes with every other writer of the cell. */
export function tallyItem(d: Delta): TxItem {
  const labels: Record<string, string> = { ":type": "tally", ":kind": d.kind, ":tenant": d.tenant, ":term": d.term };
  const names: Record<string, string> = { "#type": "type", "#kind": "kind", "#tenant": "tenant", "#term": "term" };
  if (d.kind !== "countyPaid") {
    labels[":school"] = d.schoolId;
    names["#school"] = "schoolId";
  }
  if (d.kind === "cell") {
    Object.assign(labels, { ":prog": d.programme, ":stage": d.stage });
    Object.assign(names, { "#prog": "programme", "#stage": "stage" });
  }
  const set = Object.keys(names)
    .map((n) => `${n} = :${n.slice(1)}`)
    .join(", ");
  const add: { expr: string; names: Record<string, string>; values: Record<string, number> } =
    d.kind === "cell"
      ? { expr: "#n :n, #fen :fen", names: { "#n": "n", "#fen": "fen" }, values: { ":n": d.n, ":fen": d.fen } }
      : { expr: "#stu :stu", names: { "#stu": "students" }, values: { ":stu": d.students } };
  return {
    Update: {
      TableName: tableName(),
      Key: deltaKey(d),
      UpdateExpression: `SET ${set} ADD ${add.expr}`,
      ExpressionAttributeNames: { ...names, ...add.names },
      ExpressionAttributeValues: { ...labels, ...add.values },
    },
  };
}

/** The delta a counter item built by `tallyItem` carries, or undefined for any other item. */
export function deltaOf(item: TxItem): Delta | undefined {
  const v = item.Update?.ExpressionAttributeValues;
  if (v?.[":type"] !== "tally") return undefined;
  const base = { tenant: v[":tenant"] as string, term: v[":term"] as string };
  switch (v[":kind"]) {
    case "cell":
      return {
        kind: "cell",
        ...base,
        schoolId: v[":school"],
        programme: v[":prog"],
        stage: v[":stage"],
        n: v[":n"],
        fen: v[":fen"],
      };
    case "schoolPaid":
      return { kind: "schoolPaid", ...base, schoolId: v[":school"], students: v[":stu"] };
    case "countyPaid":
      return { kind: "countyPaid", ...base, students: v[":stu"] };
  }
  return undefined;
}

/**
 * The marker write of a payment (pattern 71), guarded on the state it was read in: created when absent, the
 * school added when missing. Nothing when the student was already paid by this school this term.
 */
export function markerItem(a: Pick<Counted, "tenant" | "term" | "studentId">, marker: PaidMarker, add: string[]) {
  const missing = [...new Set(add)].filter((s) => !marker?.includes(s));
  if (missing.length === 0) return undefined;
  const Key = keys.paidStudent(a.tenant, a.term, a.studentId);
  if (marker === null) {
    return {
      Put: {
        TableName: tableName(),
        Item: {
          ...Key,
          type: "paidStudent",
          tenant: a.tenant,
          term: a.term,
          studentId: a.studentId,
          schools: new Set(missing),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    } satisfies TxItem;
  }
  const values: Record<string, unknown> = { ":type": "paidStudent", ":add": new Set(missing) };
  missing.forEach((s, i) => {
    values[`:s${i}`] = s;
  });
  return {
    Update: {
      TableName: tableName(),
      Key,
      UpdateExpression: "SET #type = :type ADD #schools :add",
      ConditionExpression: ["attribute_exists(pk)", ...missing.map((_, i) => `NOT contains(#schools, :s${i})`)].join(
        " AND ",
      ),
      ExpressionAttributeNames: { "#type": "type", "#schools": "schools" },
      ExpressionAttributeValues: values,
    },
  } satisfies TxItem;
}

interface MarkerOp {
  base: Pick<Counted, "tenant" | "term" | "studentId">;
  created: boolean;
  known: Set<string>;
  add: Set<string>;
}

function markerOf(item: TxItem): MarkerOp | undefined {
  const put = item.Put?.Item;
  if (put?.type === "paidStudent") {
    const base = { tenant: put.tenant as string, term: put.term as string, studentId: put.studentId as string };
    return { base, created: true, known: new Set(), add: new Set(put.schools as Set<string>) };
  }
  const u = item.Update;
  if (u?.ExpressionAttributeValues?.[":type"] !== "paidStudent") return undefined;
  const add = new Set(u.ExpressionAttributeValues[":add"] as Set<string>);
  const [, tenant, rest] = /^T#([^#]+)#PAIDSTU#(.+)$/.exec(u.Key!.pk as string) ?? [];
  const [term, ...id] = (rest ?? "").split("#");
  return { base: { tenant: tenant!, term: term!, studentId: id.join("#") }, created: false, known: new Set(), add };
}

/**
 * One transaction item per counter or marker: the counters' ADDs summed, a student's marker writes folded into
 * one (created with every school, or every missing school added). Other items keep their order.
 */
export function mergeCounterItems(items: readonly TxItem[]): TxItem[] {
  const others: TxItem[] = [];
  const deltas: Delta[] = [];
  const markers = new Map<string, MarkerOp>();
  for (const item of items) {
    const d = deltaOf(item);
    if (d) {
      deltas.push(d);
      continue;
    }
    const m = markerOf(item);
    if (!m) {
      others.push(item);
      continue;
    }
    const id = idOf(keys.paidStudent(m.base.tenant, m.base.term, m.base.studentId));
    const seen = markers.get(id);
    if (!seen) markers.set(id, m);
    else {
      seen.created ||= m.created;
      for (const s of m.add) seen.add.add(s);
    }
  }
  const markerItems = [...markers.values()].flatMap((m) => {
    const item = markerItem(m.base, m.created ? null : [], [...m.add]);
    return item ? [item] : [];
  });
  return [...others, ...markerItems, ...mergeDeltas(deltas).map(tallyItem)];
}

/**
 * What `items` add to a transaction being packed: how many plain items, and the ids of the counter and marker items
 * (those shared with other moves merge into one; a sum that cancels out is still counted, to stay on the safe side).
 */
export function footprint(items: readonly TxItem[]): { plain: number; shared: string[] } {
  let plain = 0;
  const shared: string[] = [];
  for (const item of items) {
    const d = deltaOf(item);
    const m = d ? undefined : markerOf(item);
    if (d) shared.push(idOf(deltaKey(d)));
    else if (m) shared.push(idOf(keys.paidStudent(m.base.tenant, m.base.term, m.base.studentId)));
    else plain++;
  }
  return { plain, shared };
}

/** One application as the recount reads it (pattern 11's projection). */
export type Row = Omit<Counted, "tenant" | "term">;

/**
 * The counters a term's records imply, from scratch: what every counter item should hold (the repair's target)
 * and each paid student's schools (the markers).
 */
export function recount(
  tenant: string,
  term: string,
  rows: Iterable<Row>,
): { deltas: Delta[]; markers: Map<string, string[]> } {
  const deltas: Delta[] = [];
  const markers = new Map<string, string[]>();
  for (const r of rows) {
    const a: Counted = { ...r, tenant, term };
    deltas.push(cell(a, 1));
    if (a.stage !== "paid") continue;
    const had = markers.get(a.studentId) ?? null;
    deltas.push(...paidDeltas(a, had));
    if (!had?.includes(a.schoolId)) markers.set(a.studentId, [...(had ?? []), a.schoolId]);
  }
  return { deltas: mergeDeltas(deltas), markers };
}
