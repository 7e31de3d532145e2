import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import * as audit from "../../../core/audit/index.js";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, tableName } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import { maskName } from "../../../core/mask.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { TEMPLATES, addKids, api, sendsByUser, settled, setupWorld, type Kid, type World } from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
let kids: Kid[];
let notApproved: Kid[];

const term = "2025-autumn";
const HEADER = "batch_id,student_no,programme,term,amount,paid_date,account_last4";
const row = (
  batch: string,
  k: Kid,
  amount = "625.00",
  date = "2025-11-18",
  last4 = "0042",
  programme = "compulsory_living",
) => [batch, k.studentNo, programme, term, amount, date, last4].join(",");

beforeAll(async () => {
  w = await setupWorld();
  // 12 approved: #0 has no guardian, every 4th has two.
  kids = await addKids(w.tenant, 12, {
    guardians: (i) => (i === 0 ? 0 : i % 4 === 0 ? 2 : 1),
    application: { programme: "compulsory_living", term, stage: "approved", amountFen: 62500 },
  });
  notApproved = await addKids(w.tenant, 1, {
    guardians: () => 1,
    application: { programme: "compulsory_living", term, stage: "county_approved", amountFen: 62500 },
  });
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
});

async function stages() {
  return Promise.all(kids.map(async (k) => (await applications.fromId(w.tenant, k.appId!))?.stage));
}

describe("payment batches", () => {
  it("refuses a file with bad rows, naming every bad line, and applies nothing", async () => {
    const csv = [
      HEADER,
      row("B2025-11", kids[0]!), // 2: fine
      row("B2025-11", kids[1]!, "600.00"), // 3: amount mismatch
      row("B2025-11", { ...kids[2]!, studentNo: "G9999999999999999" }), // 4: unknown student
      row("B2025-11", notApproved[0]!), // 5: no approved application
      row("B2025-11", kids[3]!, "625", "2025-13-01"), // 6: malformed date
      row("B2025-11", kids[4]!, "625", "2025-11-18", "42"), // 7: malformed last four
      row("B2025-11", kids[5]!, "625", "2025-11-18", "0042", "flying_lessons"), // 8: unknown programme
      "B2025-11,only,three", // 9: malformed row
      row("B2025-11", kids[0]!), // 10: duplicate of line 2
      row("B2025-11", kids[6]!), // 11: fine
    ].join("\n");
    const res = await api(w.bureau, "POST", "/api/payments", csv);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("payment_file_invalid");
    const byLine = new Map<number, string>();
    for (const d of res.body.error.details as { line: number; message: string }[])
      byLine.set(d.line, (byLine.get(d.line) ?? "") + d.message);
    expect([...byLine.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(byLine.get(3)).toMatch(/金额不一致/);
    expect(byLine.get(4)).toMatch(/没有这个学生/);
    expect(byLine.get(5)).toMatch(/没有“公示无异议”/);
    expect(byLine.get(6)).toMatch(/发放日期/);
    expect(byLine.get(7)).toMatch(/后四位/);
    expect(byLine.get(8)).toMatch(/不认识/);
    expect(byLine.get(9)).toMatch(/malformed/);
    expect(byLine.get(10)).toMatch(/重复/);

    expect(await stages()).toEqual(kids.map(() => "approved"));
    await runner.idle();
    expect(w.fake.sends).toHaveLength(0);
  });

  it("applies a good file: paid (audited) and one confirmation per bound guardian", async () => {
    const csv = [HEADER, ...kids.map((k) => row("B2025-11", k))].join("\r\n") + "\r\n";
    const res = await api(w.bureau, "POST", "/api/payments", csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ batchId: "B2025-11", rows: 12, totalFen: 12 * 62500, duplicate: false });

    expect(await stages()).toEqual(kids.map(() => "paid"));
    const paid = await applications.fromId(w.tenant, kids[1]!.appId!);
    expect(paid?.payment).toEqual({
      batchId: "B2025-11",
      paidDate: "2025-11-18",
      amountFen: 62500,
      accountLast4: "0042",
    });
    expect((await audit.trail(w.tenant, kids[1]!.appId!)).at(-1)).toMatchObject({ from: "approved", to: "paid" });

    const report = await settled(w.bureau, res.body.eventId, 100_000);
    const users = kids.flatMap((k) => k.users);
    expect(report.counts).toMatchObject({ sent: users.length, unreachable: 1, failed: 0 });
    expect(report.unreached.students.map((s: { student: string }) => s.student)).toEqual([maskName(kids[0]!.name)]);
    const sends = sendsByUser(w.fake);
    expect(sends.size).toBe(users.length);
    for (const k of kids) {
      for (const u of k.users) {
        const [msg, extra] = sends.get(u.slice(7)) ?? [];
        expect(extra).toBeUndefined();
        expect(msg?.template_id).toBe(TEMPLATES.payment);
        expect(msg?.data.thing1?.value).toBe(maskName(k.name));
        expect(msg?.data.amount3?.value).toBe("625元");
        expect(msg?.data.character_string5?.value).toBe("尾号0042");
      }
    }
  }, 120_000); // waits for fan-out and delivery through the queue runner: slow on a loaded 2-core machine

  it("re-uploading the same batch — even re-ordered, with a BOM — changes and sends nothing", async () => {
    const before = w.fake.sends.length;
    const trail = (await audit.trail(w.tenant, kids[1]!.appId!)).length;
    const csv = "\uFEFF" + [HEADER, ...[...kids].reverse().map((k) => row("B2025-11", k, "625"))].join("\n");
    const res = await api(w.bureau, "POST", "/api/payments", csv);
    expect(res.status).toBe(200);
    expect(res.body.duplicate).toBe(true);
    await runner.idle();
    expect(w.fake.sends.length).toBe(before);
    expect((await audit.trail(w.tenant, kids[1]!.appId!)).length).toBe(trail);
  });

  it("answers 409 for the same batch id with different content", async () => {
    const csv = [HEADER, ...kids.slice(0, 11).map((k) => row("B2025-11", k))].join("\n");
    const res = await api(w.bureau, "POST", "/api/payments", csv);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("batch_conflict");
  });

  it("accepts the file as JSON too, and only from a bureau token", async () => {
    const res = await api(w.schoolToken, "POST", "/api/payments", { csv: [HEADER, row("B2", kids[0]!)].join("\n") });
    expect(res.status).toBe(403);
    const bad = await api(w.bureau, "POST", "/api/payments", { csv: "batch_id,amount\nB3,1" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ line: 1 });
  });

  it("finishes an interrupted batch when the same file is uploaded again, without moving or sending anything twice", async () => {
    const more = await addKids(w.tenant, 4, {
      guardians: () => 1,
      application: { programme: "compulsory_living", term: "2026-spring", stage: "approved", amountFen: 62500 },
    });
    const csv = [
      HEADER,
      ...more.map((k) =>
        [`B-RESUME`, k.studentNo, "compulsory_living", "2026-spring", "625", "2025-11-18", "1234"].join(","),
      ),
    ].join("\n");
    const first = await api(w.bureau, "POST", "/api/payments", csv);
    expect(first.status).toBe(201);
    await settled(w.bureau, first.body.eventId, 100_000);
    const sent = w.fake.sends.length;
    // As if the first upload had died after its moves, before marking the batch applied.
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.paymentBatch(w.tenant, "B-RESUME"),
        UpdateExpression: "SET #s = :a",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":a": "applying" },
      }),
    );

    const again = await api(w.bureau, "POST", "/api/payments", csv);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ eventId: first.body.eventId, rows: 4, duplicate: false });
    await runner.idle();
    expect(w.fake.sends.length).toBe(sent);
    expect((await audit.trail(w.tenant, more[0]!.appId!)).filter((r) => r.to === "paid")).toHaveLength(1);
    expect((await api(w.bureau, "POST", "/api/payments", csv)).body.duplicate).toBe(true);
  }, 120_000); // waits for fan-out and delivery through the queue runner: slow on a loaded 2-core machine

  it("answers every one of several parallel identical uploads with success, moving and sending each payment once", async () => {
    const more = await addKids(w.tenant, 6, {
      guardians: () => 1,
      application: { programme: "compulsory_living", term: "2026-autumn", stage: "approved", amountFen: 62500 },
    });
    const csv = [
      HEADER,
      ...more.map((k) =>
        ["B-PARALLEL", k.studentNo, "compulsory_living", "2026-autumn", "625", "2025-11-18", "1234"].join(","),
      ),
    ].join("\n");
    const before = w.fake.sends.length;
    const all = await Promise.all([1, 2, 3, 4].map(() => api(w.bureau, "POST", "/api/payments", csv)));
    expect(all.map((r) => r.body.error?.code)).toEqual([undefined, undefined, undefined, undefined]);
    expect(all.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(new Set(all.map((r) => r.body.eventId)).size).toBe(1);
    await settled(w.bureau, all[0]!.body.eventId, 100_000);
    await runner.idle();
    for (const k of more) {
      expect((await applications.fromId(w.tenant, k.appId!))?.stage).toBe("paid");
      expect((await audit.trail(w.tenant, k.appId!)).filter((r) => r.to === "paid")).toHaveLength(1);
    }
    expect(w.fake.sends.length - before).toBe(more.length);
  }, 120_000); // waits for fan-out and delivery through the queue runner: slow on a loaded 2-core machine

  it("validates a long file (read through the index) the same way: a bad amount is named, the good file applies", async () => {
    const many = await addKids(w.tenant, 120, {
      guardians: () => 0,
      application: { programme: "senior_grant", term, stage: "approved", amountFen: 100000 },
    });
    const line = (k: Kid, amount = "1000") =>
      ["B-LONG", k.studentNo, "senior_grant", term, amount, "2025-11-18", "5678"].join(",");
    const bad = await api(
      w.bureau,
      "POST",
      "/api/payments",
      [HEADER, ...many.map((k, i) => line(k, i === 57 ? "999" : "1000"))].join("\n"),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      expect.objectContaining({ line: 59, message: expect.stringMatching(/金额不一致/) }),
    ]);
    const good = await api(w.bureau, "POST", "/api/payments", [HEADER, ...many.map((k) => line(k))].join("\n"));
    expect(good.status).toBe(201);
    const report = await settled(w.bureau, good.body.eventId, 60_000);
    expect(report.counts.unreachable).toBe(120);
    expect(report.unreached.students[0].student).toMatch(/\*/);
    expect((await applications.fromId(w.tenant, many[0]!.appId!))?.payment?.batchId).toBe("B-LONG");
  }, 90_000);
});
