/**
 * The routes the console drives: student file preview (school export in GB18030, extra columns reported, every
 * problem on its line), search and the audited unmasked view, application import with programme checks, the
 * review queue with names, withdraw before review, the 公示 list read back, and the payment preview.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import { encodeGb18030 } from "../../../support/gb18030.js";
import { call, county, type Json } from "./support.js";
import * as audit from "../../../../core/audit/index.js";
import { workbook } from "../../../../core/staff/spreadsheet.js";

let c: Awaited<ReturnType<typeof county>>;

async function upload(token: string, path: string, bytes: Uint8Array) {
  const res = await app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const EXPORT =
  "序号,姓名,性别,学籍号,年级,班级,监护人姓名,与学生关系,监护人电话,家庭住址\r\n" +
  "1,赵一,男,G510000201601020001,3,2,赵大,父亲,13800000011,城关镇一街\r\n" +
  "2,钱二,女,G510000201601020002,3,2,钱母,母亲,1380000,城关镇二街\r\n" +
  "3,孙三,男,G510000201601020003,,1,孙爷,爷爷,13800000013,城关镇三街\r\n";

beforeAll(async () => {
  c = await county();
});

describe("student files", () => {
  it("previews a school's GB18030 export: extra columns reported, every problem on its line, nothing saved", async () => {
    const r = await upload(c.tokens.a1, "/api/students/preview", encodeGb18030(EXPORT));
    expect(r.status).toBe(200);
    expect(r.body.ignoredColumns).toEqual(["序号", "性别", "家庭住址"]);
    expect(r.body.total).toBe(3);
    expect(r.body.good).toBe(1);
    const byLine = Object.fromEntries((r.body.rows as Json[]).map((row) => [row.line, row]));
    expect(byLine[2].problems).toEqual([]);
    expect(byLine[2].guardian).toMatch(/^赵大（父亲）/);
    expect(byLine[3].problems.join()).toMatch(/phone|手机/);
    expect(byLine[4].problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.body)).not.toContain("13800000011"); // phones leave masked
    const list = await call(c.tokens.a1, "GET", "/api/students?schoolId=a1");
    expect(list.body.items).toEqual([]);
  });

  it("imports the corrected export as the file itself, then finds a student by name and by 学籍号", async () => {
    const fixed = EXPORT.replace(",1380000,", ",13800000012,").replace(",,1,", ",4,1,");
    const r = await upload(c.tokens.a1, "/api/students", encodeGb18030(fixed));
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(3);
    expect(r.body.ignoredColumns).toEqual(["序号", "性别", "家庭住址"]);
    const byName = await call(c.tokens.a1, "GET", "/api/students/search?q=" + encodeURIComponent("钱"));
    expect((byName.body.items as Json[]).map((s) => s.name)).toEqual(["钱二"]);
    const byNo = await call(c.tokens.chengguan, "GET", "/api/students/search?q=G510000201601020003");
    expect((byNo.body.items as Json[]).map((s) => s.name)).toEqual(["孙三"]);
    expect((await call(c.tokens.b1, "GET", "/api/students/search?q=" + encodeURIComponent("钱"))).body.items).toEqual(
      [],
    );
  });

  it("shows the full 学籍号 and phones only to the owning school, and audits each view", async () => {
    const id = (await call(c.tokens.a1, "GET", "/api/students/search?q=" + encodeURIComponent("赵一"))).body.items[0]
      .id as string;
    const full = await call(c.tokens.a1, "GET", `/api/students/${id}/unmasked`);
    expect(full.body.student.studentNo).toBe("G510000201601020001");
    expect(full.body.student.guardians[0].phone).toBe("13800000011");
    expect((await call(c.tokens.chengguan, "GET", `/api/students/${id}/unmasked`)).status).toBe(403);
    expect((await call(c.tokens.b1, "GET", `/api/students/${id}/unmasked`)).status).toBe(404); // another school: as if missing
    const views = (await audit.trail(c.tenant, id)).filter((t) => t.action === "view_unmasked");
    expect(views.map((v) => v.actor.name)).toEqual(["城关一小资助专干（接口令牌）"]);
  });

  it("offers the template as an .xlsx whose header the import reads back", async () => {
    const res = await app.request("/api/students/template", { headers: { authorization: `Bearer ${c.tokens.a1}` } });
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const r = await upload(c.tokens.a1, "/api/students/preview", bytes);
    expect(r.status).toBe(200);
    expect(r.body.ignoredColumns).toEqual([]);
    expect(r.body.rows[0].problems).toEqual([]);
  });
});

describe("applications from a file, the queue and withdraw", () => {
  const TERM = "2025-autumn";
  it("refuses a senior-school grant for a primary pupil on its line, and accepts the right programme", async () => {
    const file =
      "学籍号,姓名,项目,学期,金额\n" +
      "G510000201601020001,赵一,普通高中国家助学金,2025年秋季学期,1000\n" +
      "G510000201601020002,钱二,义务教育家庭经济困难学生生活补助,2025年秋季学期,625\n" +
      "G999999999999,某某,义务教育家庭经济困难学生生活补助,2025年秋季学期,625\n";
    const r = await upload(c.tokens.a1, "/api/applications/preview", new TextEncoder().encode(file));
    expect(r.status).toBe(200);
    const [senior, ok, unknown] = r.body.rows as [Json, Json, Json];
    expect(senior.problems.join()).toMatch(/普通高中国家助学金只面向普通高中学生/);
    expect(ok.problems).toEqual([]);
    expect(ok.studentName).toBe("钱二");
    expect(unknown.problems.join()).toMatch(/没有这个学籍号/);
    expect(unknown.studentName).toBe("某某"); // the name as the officer's own file has it, to find the row
  });

  it("names an amount outside the programme's range on its line in a file", async () => {
    const file =
      "学籍号,姓名,项目,学期,金额\n" +
      "G510000201601020002,钱二,义务教育家庭经济困难学生生活补助,2025年秋季学期,6250\n";
    const r = await upload(c.tokens.a1, "/api/applications/preview", new TextEncoder().encode(file));
    expect(r.status).toBe(200);
    expect(r.body.rows[0].line).toBe(2);
    expect(r.body.rows[0].problems).toEqual([
      "金额 6250 元不在义务教育家庭经济困难学生生活补助的合理范围（100–2500 元）内：请核对金额（是否多写或少写了一位）",
    ]);
  });

  it("shows each level its waiting applications with the student's name, school and grade", async () => {
    const ids: string[] = [];
    for (const q of ["赵一", "钱二"]) {
      const sid = (await call(c.tokens.a1, "GET", "/api/students/search?q=" + encodeURIComponent(q))).body.items[0].id;
      ids.push(
        (
          await call(c.tokens.a1, "POST", "/api/applications", {
            studentId: sid,
            programme: "compulsory_living",
            term: TERM,
            amount: 625,
          })
        ).body.application.id,
      );
    }
    const q = `/api/review-queue?programme=compulsory_living&term=${TERM}`;
    const school = await call(c.tokens.a1, "GET", q);
    expect((school.body.items as Json[]).map((i) => [i.studentName, i.schoolName, i.grade])).toEqual([
      ["钱二", "城关一小", "三年级"],
      ["赵一", "城关一小", "三年级"],
    ]); // by school, grade, class, then name in pinyin order
    expect((await call(c.tokens.chengguan, "GET", q)).body.items).toEqual([]); // nothing waits for the township yet
    expect((await call(c.tokens.b1, "GET", q + "&stage=all")).body.items).toEqual([]);
    await call(c.tokens.a1, "POST", `/api/applications/${ids[0]}/approve`, { from: "submitted" });
    expect((await call(c.tokens.chengguan, "GET", q)).body.items.map((i: Json) => i.studentName)).toEqual(["赵一"]);

    // Withdraw: only before review; the family then has no application at all (never 未通过), the trail keeps it.
    const refused = await call(c.tokens.a1, "POST", `/api/applications/${ids[0]}/withdraw`, { reason: "录入错误" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/不能撤回/);
    const w = await call(c.tokens.a1, "POST", `/api/applications/${ids[1]}/withdraw`, { reason: "录入错误" });
    expect(w.status).toBe(200);
    expect((await call(c.tokens.a1, "GET", `/api/applications/${ids[1]}`)).status).toBe(404);
    const student = (await call(c.tokens.a1, "GET", "/api/students/search?q=" + encodeURIComponent("钱二"))).body
      .items[0].id;
    const apps = (await call(c.tokens.a1, "GET", `/api/students/${student}`)).body.applications as Json[];
    expect(apps.some((a) => a.stage === "rejected")).toBe(false);
    expect(apps).toEqual([]);
  });
});

describe("公示 read back and payment preview", () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  let listId: string;

  beforeAll(async () => {
    const up = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [
        {
          name: "周高一",
          studentNo: "G510000200901020009",
          school: "d1",
          grade: "1",
          class: "3",
          village: "青松村",
          guardians: [{ name: "周父", relation: "父亲", phone: "13800000099" }],
        },
      ],
    });
    const sid = up.body.rows[0].studentId;
    const appId = (
      await call(c.tokens.bureau, "POST", "/api/applications", {
        studentId: sid,
        programme: "senior_grant",
        term: "2025-autumn",
        amount: 1000,
      })
    ).body.application.id;
    expect(
      (await call(c.tokens.bureau, "POST", `/api/applications/${appId}/approve`, { from: "submitted" })).status,
    ).toBe(200);
    expect(
      (await call(c.tokens.bureau, "POST", `/api/applications/${appId}/approve`, { from: "school_approved" })).status,
    ).toBe(200);
    const list = await call(c.tokens.bureau, "POST", "/api/lists", {
      programme: "senior_grant",
      term: "2025-autumn",
      scope: { kind: "school", schoolId: "d1" },
      applicationIds: [appId],
      publicity: { start: day(-7), end: day(-1) },
      objectionContact: "县资助中心 0000-1234567",
    });
    expect(list.status).toBe(201);
    listId = list.body.list.id;
  });

  it("reads a published list back with only the fields the 公示 rules allow, and says when it may close", async () => {
    const r = await call(c.tokens.bureau, "GET", `/api/lists/${listId}`);
    expect(r.status).toBe(200);
    expect(r.body.lines).toEqual([
      {
        name: "周高一",
        schoolName: "县第一中学",
        grade: "高一",
        class: "3班",
        programmeLabel: "普通高中国家助学金",
        amountYuan: "1000",
        stageLabel: "公示中",
      },
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(/G5100|13800000099|青松村|周父/);
    expect(r.body.closable).toBe(true);
    expect(r.body.closableFrom).toBe(day(0));
    expect((await call(c.tokens.bureau, "GET", "/api/lists")).body.items.map((l: Json) => l.id)).toEqual([listId]);
    expect((await call(c.tokens.a1, "GET", `/api/lists/${listId}`)).status).toBe(404); // another school's list
  });

  it("previews a bank file with bank headers and reports every error of the file with its line, in one pass", async () => {
    await call(c.tokens.bureau, "POST", `/api/lists/${listId}/close`);
    const file =
      "批次号,学籍号,项目,学期,实发金额,发放日期,卡号后四位\n" +
      "B-1,G510000200901020009,普通高中国家助学金,2025年秋季学期,1000,2025-11-20,0009\n" +
      "B-1,G510000200901029999,普通高中国家助学金,2025年秋季学期,1000,2025-11-20,0019\n" +
      "B-1,G510000200901020009,普通高中国家助学金,2025年秋季学期,abc,2025-11-20,12\n";
    const r = await upload(c.tokens.bureau, "/api/payments/preview", new TextEncoder().encode(file));
    expect(r.status).toBe(200);
    expect(r.body.totalFen).toBe(200000);
    const lines = (r.body.errors as Json[]).map((e) => e.line);
    expect(new Set(lines)).toEqual(new Set([3, 4])); // the unknown student (database) and the malformed line (file), together
    const good = await upload(
      c.tokens.bureau,
      "/api/payments/preview",
      new TextEncoder().encode(file.split("\n").slice(0, 2).join("\n") + "\n"),
    );
    expect(good.body.errors).toEqual([]);
    expect((await upload(c.tokens.a1, "/api/payments/preview", new TextEncoder().encode(file))).status).toBe(403);
  });

  it("reads the bank's .xlsx as well, with 发放金额（元） and 卡号后四位 kept as text", async () => {
    const xlsx = await workbook(
      "发放明细",
      ["批次号", "学籍号", "项目", "学期", "发放金额（元）", "发放日期", "卡号后四位"],
      [["B-1", "G510000200901020009", "普通高中国家助学金", "2025年秋季学期", "1000.00", "2025-11-20", "0009"]],
    );
    const r = await upload(c.tokens.bureau, "/api/payments/preview", xlsx);
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([]);
    expect(r.body.rows[0]).toMatchObject({ line: 2, amountFen: 100000, accountLast4: "0009" });
  });
});
