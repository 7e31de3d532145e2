/**
 * A school's student file with some bad rows, through HTTP against the local stack: the preview names each bad row
 * by its Excel row number and the file's own 序号, says what is wrong with a phone it shows masked, and the officer
 * can then import the good rows and leave the bad ones out — audited on the school, and the same on a re-upload.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import * as audit from "../../../../core/audit/index.js";
import { workbook } from "../../../../core/staff/spreadsheet.js";
import { call, county, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;

async function upload(token: string, path: string, bytes: Uint8Array) {
  const res = await app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** A school's own export as Excel: a 序号 column that does not follow the row numbers (row 3 was deleted before). */
async function exportFile(): Promise<Uint8Array> {
  return workbook(
    "学生",
    ["序号", "姓名", "学籍号", "年级", "班级", "监护人姓名", "与学生关系", "监护人电话"],
    [
      ["1", "周一", "G510000201601030001", "3", "2", "周大", "父亲", "13800000021"],
      ["2", "吴二", "G510000201601030002", "3", "2", "吴母", "母亲", "1380000002"], // 10 digits
      ["4", "郑三", "G510000201601030003", "", "1", "郑爷", "爷爷", "13800000023"], // no grade
      ["5", "王四", "G510000201601030004", "4", "1", "王父", "父亲", "23800000024"], // not starting with 1
      ["6", "冯五", "G510000201601030005", "4", "1", "冯母", "母亲", "13800000025"],
    ],
  );
}

beforeAll(async () => {
  c = await county();
});

describe("importing the good rows of a file with bad ones", () => {
  it("names each bad row by its Excel row and the file's 序号, and says what is wrong with a masked phone", async () => {
    const r = await upload(c.tokens.a1, "/api/students/preview", await exportFile());
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(5);
    expect(r.body.good).toBe(2);
    const bad = (r.body.rows as Json[]).filter((row) => row.problems.length > 0);
    expect(bad.map((row) => [row.line, row.seq])).toEqual([
      [3, "2"],
      [4, "4"],
      [5, "5"],
    ]);
    expect(bad[0]!.problems).toEqual(["监护人1 的电话：手机号位数不对（填了 10 位，应为 11 位）"]);
    expect(bad[2]!.problems).toEqual(["监护人1 的电话：手机号第 1 位不是 1：大陆手机号以 1 开头"]);
    expect(JSON.stringify(r.body)).not.toContain("1380000002"); // the phone stays masked
  });

  it("refuses the whole file without the officer's choice, and saves nothing", async () => {
    const r = await upload(c.tokens.a1, "/api/students", await exportFile());
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_rows");
    expect((await call(c.tokens.a1, "GET", "/api/students?schoolId=a1")).body.items).toEqual([]);
  });

  it("imports the other rows when told to skip the bad ones, reports the skipped rows and audits the choice", async () => {
    const r = await upload(c.tokens.a1, "/api/students?skipInvalid=true", await exportFile());
    expect(r.status).toBe(200);
    expect([r.body.total, r.body.created, r.body.updated, r.body.unchanged]).toEqual([2, 2, 0, 0]);
    expect((r.body.skipped as Json[]).map((s) => [s.line, s.seq, s.problems.length > 0])).toEqual([
      [3, "2", true],
      [4, "4", true],
      [5, "5", true],
    ]);
    const saved = (await call(c.tokens.a1, "GET", "/api/students?schoolId=a1")).body.items as Json[];
    expect(saved.map((s) => s.name).sort()).toEqual(["冯五", "周一"].sort());
    const trail = (await audit.trail(c.tenant, "a1")).filter((t) => t.action === "students_imported_skipping_rows");
    expect(trail).toHaveLength(1);
    expect(trail[0]!.actor.name).toBe("城关一小资助专干（接口令牌）");
    expect(trail[0]!.reason).toContain("跳过有错的 3 行（第 3、4、5 行），导入其余 2 行");
  });

  it("changes nothing on a re-upload of the same file: the saved rows unchanged, the same rows skipped", async () => {
    const r = await upload(c.tokens.a1, "/api/students?skipInvalid=true", await exportFile());
    expect(r.status).toBe(200);
    expect([r.body.created, r.body.updated, r.body.unchanged]).toEqual([0, 0, 2]);
    expect((r.body.skipped as Json[]).map((s) => s.line)).toEqual([3, 4, 5]);
    expect((await call(c.tokens.a1, "GET", "/api/students?schoolId=a1")).body.items).toHaveLength(2);
  });

  it("reads a school's export with a title row above the header, naming rows as Excel numbers them", async () => {
    const bytes = await workbook(
      "学生",
      ["红旗小学学生名单"],
      [
        ["序号", "姓名", "学籍号", "年级", "班级", "监护人姓名", "与学生关系", "监护人电话"],
        ["1", "褚一", "G510000201601030011", "3", "1", "褚父", "父亲", "138000000"],
      ],
    );
    const r = await upload(c.tokens.a1, "/api/students/preview", bytes);
    expect(r.status).toBe(200);
    expect(r.body.rows).toHaveLength(1);
    expect(r.body.rows[0]).toMatchObject({ line: 3, seq: "1", name: "褚一" });
    expect(r.body.rows[0].problems).toEqual(["监护人1 的电话：手机号位数不对（填了 9 位，应为 11 位）"]);
  });

  it("says there is nothing to import when every row is bad", async () => {
    const bytes = await workbook(
      "学生",
      ["姓名", "学籍号", "年级", "班级"],
      [["某某", "G510000201601030009", "", "1"]],
    );
    const r = await upload(c.tokens.a1, "/api/students?skipInvalid=true", bytes);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("no_valid_rows");
  });
});
