/**
 * The pure part of the long-file job: how a file is cut into chunks. The job itself (check and apply phases,
 * redelivery, progress, error cap) is tested over HTTP in test/functions/queues/payment-jobs.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { CHUNK_ROWS, chunkRows } from "../../../core/actions/payment-jobs.js";
import type { Row } from "../../../core/actions/payment-file.js";

const row = (line: number, studentNo: string, programme: Row["programme"] = "compulsory_living"): Row => ({
  line,
  batchId: "P-1",
  studentNo,
  programme,
  term: "2025-autumn",
  amountFen: 62500,
  paidDate: "2025-11-18",
  accountLast4: "0042",
});

describe("a long payment file cut into chunks", () => {
  it("cuts 1,000 students into chunks of at most 400 rows, every row once, in the file's order", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row(i + 2, `G${String(i).padStart(12, "0")}`));
    const parts = chunkRows(rows);
    expect(CHUNK_ROWS).toBe(400);
    expect(parts.map((p) => p.length)).toEqual([400, 400, 200]);
    expect(parts.flat().map((r) => r.line)).toEqual(rows.map((r) => r.line));
  });

  it("keeps a student's rows in one chunk (they share one member record), even when they are far apart in the file", () => {
    const rows = Array.from({ length: 399 }, (_, i) => row(i + 2, `G${String(i).padStart(12, "0")}`));
    rows.push(row(401, "G900000000000"), row(402, "G900000000001"));
    rows.push(row(403, "G900000000000", "preschool_aid"));
    const parts = chunkRows(rows);
    const chunkOf = (studentNo: string) => parts.findIndex((p) => p.some((r) => r.studentNo === studentNo));
    expect(parts.filter((p) => p.some((r) => r.studentNo === "G900000000000"))).toHaveLength(1);
    expect(parts[chunkOf("G900000000000")]!.filter((r) => r.studentNo === "G900000000000")).toHaveLength(2);
    expect(parts.every((p) => p.length <= CHUNK_ROWS)).toBe(true);
    expect(parts.flat()).toHaveLength(402);
  });

  it("gives a file with no good row one empty chunk, so its errors still end the job", () => {
    expect(chunkRows([])).toEqual([[]]);
  });
});
