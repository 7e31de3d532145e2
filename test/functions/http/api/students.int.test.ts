import { beforeAll, describe, expect, it } from "vitest";
import { call, county, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
beforeAll(async () => {
  c = await county();
});

const HEADER = "姓名,学籍号,学校,年级,班级,村,监护人1姓名,监护人1关系,监护人1手机,监护人2姓名,监护人2关系,监护人2手机";
const GOOD = [
  HEADER,
  "张小明,G510000201601010001,a1,3,2,柳树村,张大山,父亲,13800001234,李秀英,母亲,13900005678",
  '"欧阳娜娜",G510000201601010002,城关一小,3,2,,欧阳峰,父亲,138 0000 2222,,,',
  '王小花,G510000201601010003,a1,4,1,"柳树村,二组",王老汉,祖父,13800003333,,,',
].join("\r\n");

describe("POST /api/students with CSV", () => {
  it("creates every row, then reports an identical re-upload as all unchanged", async () => {
    const first = await call(c.tokens.chengguan, "POST", "/api/students", GOOD, "text/csv; charset=utf-8");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, created: 3, updated: 0, unchanged: 0 });
    expect((first.body.rows as Json[]).map((r) => r.line)).toEqual([2, 3, 4]);

    const again = await call(c.tokens.chengguan, "POST", "/api/students", GOOD, "text/csv");
    expect(again.body).toMatchObject({ total: 3, created: 0, updated: 0, unchanged: 3 });
    expect(again.body.rows.map((r: Json) => r.studentId)).toEqual(first.body.rows.map((r: Json) => r.studentId));
  });

  it("reads two guardians, a school given by name, and a quoted value with a comma", async () => {
    const list = await call(c.tokens.a1, "GET", "/api/students");
    const byName = Object.fromEntries((list.body.items as Json[]).map((s) => [s.name, s]));
    expect(byName["张小明"]!.guardians).toHaveLength(2);
    expect(byName["欧阳娜娜"]!.schoolId).toBe("a1");
    expect(byName["王小花"]!.village).toBe("柳树村,二组");
  });

  it("updates a changed row by 学籍号 and leaves the others unchanged", async () => {
    const changed = GOOD.replace("张小明,G510000201601010001,a1,3,2", "张小明,G510000201601010001,a1,4,2");
    const r = await call(c.tokens.bureau, "POST", "/api/students", changed, "text/csv");
    expect(r.body).toMatchObject({ updated: 1, unchanged: 2, created: 0 });
  });

  it("reports every bad row with its line number and saves nothing", async () => {
    const bad = [
      HEADER,
      "刘一,G510000201601019901,a1,3,2,,刘父,父亲,13800001111,,,", // line 2: good
      "陈二,123,a1,3,2,,陈父,父亲,13800001111,,,", // line 3: bad 学籍号
      '"多行\n名字",G510000201601019903,a1,3,2,,某父,父亲,1380000,,,', // lines 4–5: bad phone
      "杨三,G510000201601019904,no-such,3,2,,杨父,父亲,13800001111,,,", // line 6: unknown school
      "黄四,G510000201601019901,a1,3,2,,黄父,父亲,13800001111,,,", // line 7: duplicate of line 2
      "周五,G510000201601019906,a1,3,2,,周父,父亲,,,,", // line 8: guardian without phone
    ].join("\n");
    const r = await call(c.tokens.bureau, "POST", "/api/students", bad, "text/csv");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_rows");
    const lines = (r.body.error.details as Json[]).map((d) => d.line);
    expect(lines).toEqual([3, 4, 6, 7, 8]);
    expect(r.body.error.message).toMatch(/^文件有 5 处错误，未保存任何学生——第 3 行：学籍号：格式不对/);
    expect((r.body.error.details as Json[]).find((d) => d.line === 7)!.message).toContain("第 2 行");
    const list = await call(c.tokens.bureau, "GET", "/api/students?schoolId=a1");
    expect((list.body.items as Json[]).some((s) => s.name === "刘一")).toBe(false);
  });

  it("rejects missing columns on line 1 and ignores unknown ones", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/students", "姓名,学号,年级\n张三,1,2", "text/csv");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("csv_header");
    expect((r.body.error.details as Json[]).every((d) => d.line === 1)).toBe(true);
    expect((r.body.error.details as Json[]).map((d) => d.message)).toEqual(["缺少“学籍号”列", "缺少“班级”列"]);
    expect(r.body.error.message).toMatch(/请下载模板/);
  });

  it("reports an unclosed quote and an extra field by line", async () => {
    const unclosed = await call(
      c.tokens.bureau,
      "POST",
      "/api/students",
      `${HEADER}\n"张三,G510000201601019999,a1,3,2`,
      "text/csv",
    );
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.details[0].line).toBe(2);
    const extra = await call(
      c.tokens.bureau,
      "POST",
      "/api/students",
      `${HEADER}\n张三,G510000201601019999,a1,3,2,村,张父,父亲,13800001111,,,,多余`,
      "text/csv",
    );
    expect(extra.body.error.details[0]).toMatchObject({ line: 2 });
  });
});

describe("POST /api/students with JSON", () => {
  it("validates the whole body first and names each bad item by its index", async () => {
    const r = await call(c.tokens.a1, "POST", "/api/students", {
      students: [
        { name: "甲", studentNo: "G510000201601018801", grade: "1", class: "1", guardians: [] },
        { name: "", studentNo: "G510000201601018802", grade: "1", class: "1" },
      ],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: "students.1.name", message: expect.any(String) }]);
    const ok = await call(c.tokens.a1, "POST", "/api/students", [
      { name: "甲", studentNo: "G510000201601018801", grade: 1, class: 1 },
    ]);
    expect(ok.body).toMatchObject({ created: 1 });
    expect(ok.body.rows[0]).toMatchObject({ index: 0, outcome: "created" });
  });

  it("answers malformed JSON with a clear 400", async () => {
    const r = await call(c.tokens.a1, "POST", "/api/students", "{not json");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_json");
  });
});
