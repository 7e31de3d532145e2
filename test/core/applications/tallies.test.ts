/**
 * The dashboard counters' pure logic: which counter cells a write changes, how a student is counted once however
 * many programmes pay them, how many moves' updates fold into one transaction, and the recount from records.
 * Storage and the full walk through a term are in tally-store.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  cellDeltas,
  countedFen,
  deltaOf,
  footprint,
  markerItem,
  mergeCounterItems,
  paidDeltas,
  recount,
  tallyItem,
  type Counted,
  type Delta,
  type TxItem,
} from "../../../core/applications/tallies.js";

const app = (over: Partial<Counted> = {}): Counted => ({
  tenant: "demo",
  term: "2025-autumn",
  schoolId: "xy",
  programme: "compulsory_living",
  studentId: "stu_a",
  stage: "submitted",
  amountFen: 62500,
  ...over,
});

const cells = (ds: Delta[]) =>
  ds.map((d) =>
    d.kind === "cell" ? `${d.schoolId}/${d.programme}/${d.stage} ${d.n} ${d.fen}` : `${d.kind} ${d.students}`,
  );

describe("cellDeltas", () => {
  it("counts a new application once in its submitted cell, with what was applied for", () => {
    expect(cells(cellDeltas(undefined, app()))).toEqual(["xy/compulsory_living/submitted 1 62500"]);
  });

  it("moves an application out of one stage's cell and into the next", () => {
    expect(cells(cellDeltas(app(), app({ stage: "school_approved" })))).toEqual([
      "xy/compulsory_living/submitted -1 -62500",
      "xy/compulsory_living/school_approved 1 62500",
    ]);
  });

  it("counts a payment at the batch's amount, which may differ from the amount applied for", () => {
    const paid = app({ stage: "paid", payment: { amountFen: 60000 } });
    expect(countedFen(paid)).toBe(60000);
    expect(cells(cellDeltas(app({ stage: "approved" }), paid))).toEqual([
      "xy/compulsory_living/approved -1 -62500",
      "xy/compulsory_living/paid 1 60000",
    ]);
  });

  it("takes a withdrawn application off its cell", () => {
    expect(cells(cellDeltas(app(), undefined))).toEqual(["xy/compulsory_living/submitted -1 -62500"]);
  });
});

describe("paidDeltas", () => {
  it("counts a student's first payment of the term for the school and the county", () => {
    expect(cells(paidDeltas(app({ stage: "paid" }), null))).toEqual(["schoolPaid 1", "countyPaid 1"]);
  });

  it("does not count a student again when the same school pays another programme", () => {
    expect(paidDeltas(app({ stage: "paid", programme: "freshman_aid" }), ["xy"])).toEqual([]);
  });

  it("counts a student paid by a second school for that school only", () => {
    expect(cells(paidDeltas(app({ stage: "paid", schoolId: "hs" }), ["xy"]))).toEqual(["schoolPaid 1"]);
  });
});

describe("markerItem", () => {
  it("creates the marker only where none exists yet", () => {
    const put = markerItem(app(), null, ["xy"]);
    expect(put?.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
    expect([...(put!.Put!.Item!.schools as Set<string>)]).toEqual(["xy"]);
  });

  it("adds a new school only if the marker still lacks it, and writes nothing when it has it", () => {
    const update = markerItem(app(), ["xy"], ["hs"]);
    expect(update?.Update?.ConditionExpression).toBe("attribute_exists(pk) AND NOT contains(#schools, :s0)");
    expect(markerItem(app(), ["xy"], ["xy"])).toBeUndefined();
  });
});

describe("mergeCounterItems", () => {
  const audit: TxItem = { Put: { TableName: "t", Item: { pk: "a", sk: "b" } } };

  it("sums the updates of one cell from several moves into a single item, keeping the other items", () => {
    const moves = [0, 1, 2].flatMap(() => [
      audit,
      ...cellDeltas(app(), app({ stage: "school_approved" })).map(tallyItem),
    ]);
    const merged = mergeCounterItems(moves);
    expect(merged.filter((i) => i === audit)).toHaveLength(3);
    expect(
      merged
        .map(deltaOf)
        .filter(Boolean)
        .map((d) => cells([d!])[0]),
    ).toEqual(["xy/compulsory_living/submitted -3 -187500", "xy/compulsory_living/school_approved 3 187500"]);
  });

  it("drops a counter whose updates cancel out", () => {
    const there = cellDeltas(undefined, app()).map(tallyItem);
    const back = cellDeltas(app(), undefined).map(tallyItem);
    expect(mergeCounterItems([...there, ...back])).toEqual([]);
  });

  it("folds two writes of one student's marker into one: created with both schools", () => {
    const merged = mergeCounterItems([markerItem(app(), null, ["xy"])!, markerItem(app(), ["xy"], ["hs"])!]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
    expect([...(merged[0]!.Put!.Item!.schools as Set<string>)].sort()).toEqual(["hs", "xy"]);
  });

  it("keeps different students' markers apart", () => {
    const merged = mergeCounterItems([
      markerItem(app(), null, ["xy"])!,
      markerItem(app({ studentId: "stu_b" }), ["xy"], ["hs"])!,
    ]);
    expect(merged.map((i) => (i.Put ? "put" : "update"))).toEqual(["put", "update"]);
  });
});

describe("footprint", () => {
  it("names the shared counter and marker items so a packer counts each once across moves", () => {
    const audit: TxItem = { Put: { TableName: "t", Item: { pk: "a", sk: "b" } } };
    const move = [audit, ...cellDeltas(app(), app({ stage: "school_approved" })).map(tallyItem)];
    const paid = [audit, markerItem(app(), null, ["xy"])!, ...paidDeltas(app({ stage: "paid" }), null).map(tallyItem)];
    const f = footprint([...move, ...move, ...paid]);
    expect(f.plain).toBe(3);
    expect(new Set(f.shared).size).toBe(5);
    expect(mergeCounterItems([...move, ...move, ...paid])).toHaveLength(3 + 5);
  });
});

describe("recount", () => {
  it("gives each cell's count and amount, each school's distinct paid students and the county's", () => {
    const rows = [
      { ...app({ stage: "paid", payment: { amountFen: 60000 } }) },
      { ...app({ stage: "paid", programme: "freshman_aid", amountFen: 20000 }) },
      { ...app({ stage: "approved", studentId: "stu_b" }) },
      { ...app({ stage: "paid", studentId: "stu_c", schoolId: "hs" }) },
      { ...app({ stage: "paid", studentId: "stu_c", schoolId: "xy", programme: "yulu", amountFen: 150000 }) },
    ];
    const { deltas, markers } = recount("demo", "2025-autumn", rows);
    expect(cells(deltas).sort()).toEqual(
      [
        "xy/compulsory_living/paid 1 60000",
        "xy/freshman_aid/paid 1 20000",
        "xy/compulsory_living/approved 1 62500",
        "hs/compulsory_living/paid 1 62500",
        "xy/yulu/paid 1 150000",
        "schoolPaid 2",
        "schoolPaid 1",
        "countyPaid 2",
      ].sort(),
    );
    expect(Object.fromEntries(markers)).toEqual({ stu_a: ["xy"], stu_c: ["hs", "xy"] });
  });
});
