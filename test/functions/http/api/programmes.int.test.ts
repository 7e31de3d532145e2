/**
 * Which programmes a school is offered, and repeats caught before they are submitted, through HTTP against the
 * local stack: a 小学 sees no 普通高中 / 中职 / 贷款 programme, one student gets only those fitting the student's grade
 * with the standard amounts, and an application file flags a row the student already has or the file repeats.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import { call, county, studentRow, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
let pupil: string;
const TERM = "2025-autumn";

async function upload(token: string, path: string, text: string) {
  const res = await app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
    body: new TextEncoder().encode(text),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

beforeAll(async () => {
  c = await county();
  const made = await call(c.tokens.bureau, "POST", "/api/students", {
    students: [
      studentRow("G510000201601050001", "林一", "a1"),
      studentRow("G510000201601050002", "林二", "a1", { grade: "5" }),
      studentRow("G510000200801050003", "林三", "d1", { grade: "高一" }),
    ],
  });
  expect(made.status).toBe(200);
  pupil = (await call(c.tokens.a1, "GET", "/api/students/search?q=" + encodeURIComponent("林一"))).body.items[0].id;
});

const ids = (r: { body: Json }) => (r.body.items as Json[]).map((p) => p.id);

describe("programmes offered by school kind", () => {
  it("offers a primary school only the programmes of its kind", async () => {
    const r = await call(c.tokens.a1, "GET", "/api/programmes");
    expect(r.status).toBe(200);
    expect(ids(r)).toEqual(["compulsory_living"]);
    expect(r.body.items[0].name).toBe("义务教育家庭经济困难学生生活补助");
  });

  it("offers the bureau the programmes of the kinds its county has, and none of a kind it has not", async () => {
    const r = ids(await call(c.tokens.bureau, "GET", "/api/programmes"));
    expect(r).toContain("compulsory_living");
    expect(r).toContain("senior_grant");
    expect(r).not.toContain("preschool_aid"); // no 幼儿园 in this county
    expect(r).not.toContain("vocational_grant"); // no 中职
  });

  it("offers one pupil the programmes fitting the pupil's school and grade, with the standard amounts", async () => {
    const r = await call(c.tokens.a1, "GET", `/api/programmes?studentId=${pupil}`);
    expect(r.body.items).toEqual([
      {
        id: "compulsory_living",
        name: "义务教育家庭经济困难学生生活补助",
        standards: [
          { label: "小学寄宿生（每学期）", yuan: 625 },
          { label: "小学非寄宿生（每学期）", yuan: 312.5 },
        ],
      },
    ]);
    const senior = (await call(c.tokens.bureau, "GET", "/api/students/search?q=" + encodeURIComponent("林三"))).body
      .items[0].id;
    expect(ids(await call(c.tokens.bureau, "GET", `/api/programmes?studentId=${senior}`))).toEqual(
      expect.arrayContaining(["senior_grant", "senior_fee_waiver"]),
    );
    // Another school's student is as if missing.
    expect((await call(c.tokens.b1, "GET", `/api/programmes?studentId=${pupil}`)).status).toBe(404);
  });
});

describe("repeated applications in a file", () => {
  it("flags an application the student already has and a row the file repeats, before anything is submitted", async () => {
    const made = await call(c.tokens.a1, "POST", "/api/applications", {
      studentId: pupil,
      programme: "compulsory_living",
      term: TERM,
      amount: 625,
    });
    expect(made.status).toBe(201);
    const file =
      "学籍号,姓名,项目,学期,金额\n" +
      "G510000201601050001,林一,义务教育家庭经济困难学生生活补助,2025年秋季学期,625\n" +
      "G510000201601050002,林二,义务教育家庭经济困难学生生活补助,2025年秋季学期,625\n" +
      "G510000201601050002,林二,义务教育家庭经济困难学生生活补助,2025年秋季学期,625\n";
    const r = await upload(c.tokens.a1, "/api/applications/preview", file);
    expect(r.status).toBe(200);
    const [had, fresh, again] = r.body.rows as [Json, Json, Json];
    expect(had.problems).toEqual([
      "重复申请：该生2025年秋季学期已有义务教育家庭经济困难学生生活补助的申请（已提交申请，625 元），不会重复录入：请删去这一行",
    ]);
    expect(fresh.problems).toEqual([]);
    expect(again.problems).toEqual(["重复申请：与第 3 行是同一学生、同一项目、同一学期：请删去其中一行"]);
    // Nothing was submitted by the preview.
    const apps = await call(c.tokens.a1, "GET", `/api/applications?programme=compulsory_living&term=${TERM}`);
    expect((apps.body.items as Json[]).map((a) => a.studentId)).toEqual([pupil]);
  });
});
