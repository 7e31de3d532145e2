import { beforeAll, describe, expect, it } from "vitest";
import * as audit from "../../../../core/audit/index.js";
import * as students from "../../../../core/students/index.js";
import { call, county, guardianPhone, shape, studentRow, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
let a1Student: Json;
let b1Student: Json;

beforeAll(async () => {
  c = await county();
  const r = await call(c.tokens.bureau, "POST", "/api/students", {
    students: [studentRow("G510000201601017001", "张晓明", "a1"), studentRow("G510000201601017002", "河口学生", "b1")],
  });
  expect(r.status).toBe(200);
  const [a, b] = r.body.rows as Json[];
  a1Student = (await call(c.tokens.a1, "GET", `/api/students/${a!.studentId}`)).body.student;
  b1Student = (await call(c.tokens.bureau, "GET", `/api/students/${b!.studentId}`)).body.student;
});

describe("PUT /api/students/{id}", () => {
  it("corrects name, grade, class and a guardian's phone, stores the grade in the school's one spelling, and audits who did it with the fields changed but no values", async () => {
    const r = await call(c.tokens.a1, "PUT", `/api/students/${a1Student.id}`, {
      name: "张小明",
      grade: "4",
      class: "(3)班",
      guardians: [
        { name: "张大山", relation: "父亲", phone: "139 0000 1111" },
        { name: "李秀英", relation: "母亲", phone: "13700002222" },
      ],
      reason: "家长来电更正",
      updatedAt: a1Student.updatedAt,
    });
    expect(r.status).toBe(200);
    expect(r.body.student).toMatchObject({ name: "张小明", grade: "四年级", class: "3班" });
    expect(r.body.changed).toEqual(["姓名", "年级", "班级", "监护人", "监护人电话"]);
    // Masked in the answer, as everywhere in a staff response.
    expect(JSON.stringify(r.body)).not.toContain("13900001111");
    expect(r.body.student.studentNo).not.toBe("G510000201601017001");

    const stored = await students.fromId(c.tenant, a1Student.id);
    expect(stored!.guardians.map((g) => g.phone)).toEqual(["13900001111", "13700002222"]);
    // The class index follows the new class: the student is found under 四年级 3班 and no longer under 三年级 2班.
    const inNew = await call(c.tokens.a1, "GET", "/api/students?grade=四年级&class=3班");
    expect((inNew.body.items as Json[]).map((s) => s.id)).toEqual([a1Student.id]);
    const inOld = await call(c.tokens.a1, "GET", "/api/students?grade=三年级&class=2班");
    expect((inOld.body.items as Json[]).some((s) => s.id === a1Student.id)).toBe(false);

    const trail = (await audit.trail(c.tenant, a1Student.id)).filter((a) => a.action === "edit");
    expect(trail).toHaveLength(1);
    expect(trail[0]!.actor).toMatchObject({ role: "school", name: "城关一小资助专干（接口令牌）" });
    expect(trail[0]!.reason).toBe("修改姓名、年级、班级、监护人、监护人电话：家长来电更正");
    expect(JSON.stringify(trail)).not.toMatch(/139000|137000|张小明|张大山/);
  });

  it("keeps a guardian's phone when the officer, who only sees it masked, leaves it empty", async () => {
    const before = (await call(c.tokens.chengguan, "GET", `/api/students/${a1Student.id}`)).body.student;
    const r = await call(c.tokens.chengguan, "PUT", `/api/students/${a1Student.id}`, {
      guardians: [
        { name: "张大山", relation: "父亲", phone: "" },
        { name: "李秀英", relation: "母亲" },
      ],
      village: "柳树村",
      reason: "补登村名",
      updatedAt: before.updatedAt,
    });
    expect(r.status).toBe(200);
    expect(r.body.changed).toEqual(["村（社区）"]);
    const stored = await students.fromId(c.tenant, a1Student.id);
    expect(stored!.guardians.map((g) => g.phone)).toEqual(["13900001111", "13700002222"]);
    expect(stored!.village).toBe("柳树村");
  });

  it("refuses an edit made from a stale screen with 409 student_changed and changes nothing", async () => {
    const r = await call(c.tokens.a1, "PUT", `/api/students/${a1Student.id}`, {
      name: "别的名字",
      reason: "测试旧版本",
      updatedAt: a1Student.updatedAt,
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("student_changed");
    expect(r.body.error.message).toMatch(/请刷新后再改/);
    expect((await students.fromId(c.tenant, a1Student.id))!.name).toBe("张小明");
  });

  it("answers every bad field in Chinese, naming the field, and saves nothing", async () => {
    const r = await call(c.tokens.a1, "PUT", `/api/students/${a1Student.id}`, {
      name: "  ",
      guardians: [{ name: "张大山", relation: "父亲", phone: "1380000" }],
      reason: "改",
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_input");
    const details = r.body.error.details as Json[];
    const byField = Object.fromEntries(details.map((d) => [d.field, d.message]));
    expect(byField.name).toMatch(/请填写姓名/);
    expect(byField["guardians.0.phone"]).toMatch(/11 位大陆手机号/);
    expect(byField.reason).toMatch(/请写明修改原因/);
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.body.error.message).not.toMatch(/Invalid|expected/);
  });

  it("asks for a phone for a guardian added without one", async () => {
    const r = await call(c.tokens.a1, "PUT", `/api/students/${a1Student.id}`, {
      guardians: [
        { name: "张大山", relation: "父亲" },
        { name: "李秀英", relation: "母亲" },
        { name: "张爷爷", relation: "祖父" },
      ],
      reason: "加一位监护人",
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("请填写监护人3的手机号（新加的监护人必须有号码）");
  });

  it("answers another school's student exactly like a missing one", async () => {
    const body = { name: "改名", reason: "越权测试" };
    const other = await call(c.tokens.a1, "PUT", `/api/students/${b1Student.id}`, body);
    const missing = await call(c.tokens.a1, "PUT", "/api/students/stu_0000000000000000", body);
    expect(other.status).toBe(404);
    expect(shape(other)).toEqual(shape(missing));
    const township = await call(c.tokens.chengguan, "PUT", `/api/students/${b1Student.id}`, body);
    expect(township.status).toBe(404);
    expect((await students.fromId(c.tenant, b1Student.id))!.name).toBe("河口学生");
    expect((await students.fromId(c.tenant, b1Student.id))!.guardians[0]!.phone).toBe(guardianPhone);
  });

  it("writes nothing and no audit record when nothing changed", async () => {
    const before = await students.fromId(c.tenant, b1Student.id);
    const r = await call(c.tokens.bureau, "PUT", `/api/students/${b1Student.id}`, {
      name: "河口学生",
      reason: "核对无误",
    });
    expect(r.status).toBe(200);
    expect(r.body.changed).toEqual([]);
    expect((await students.fromId(c.tenant, b1Student.id))!.updatedAt).toBe(before!.updatedAt);
    expect((await audit.trail(c.tenant, b1Student.id)).filter((a) => a.action === "edit")).toHaveLength(0);
  });
});
