/**
 * A school's binding coverage through HTTP against the local stack: how many of its students have a guardian
 * linked, in all and per class in school order, for the school itself, its township and the bureau — and no other
 * school's. A student with two linked guardians counts once; a guardian who unbinds no longer counts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as bindings from "../../../../core/families/bindings.js";
import * as students from "../../../../core/students/index.js";
import { call, county, studentRow } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
const id = (no: string) => students.idFor(c.tenant, no);

beforeAll(async () => {
  c = await county();
  const made = await call(c.tokens.bureau, "POST", "/api/students", {
    students: [
      studentRow("G510000201601060001", "陈一", "a1", { grade: "4", class: "1" }),
      studentRow("G510000201601060002", "陈二", "a1", { grade: "3", class: "2" }),
      studentRow("G510000201601060003", "陈三", "a1", { grade: "3", class: "2" }),
      studentRow("G510000201601060004", "陈四", "a1", { grade: "3", class: "2" }),
      studentRow("G510000201601060005", "陈五", "b1", { grade: "3", class: "2" }),
    ],
  });
  expect(made.status).toBe(200);
  await bindings.bind(c.tenant, id("G510000201601060002"), "web:mum-2", "code");
  await bindings.bind(c.tenant, id("G510000201601060002"), "wechat:dad-2", "code"); // two guardians, one student
  await bindings.bind(c.tenant, id("G510000201601060003"), "wechat:mum-3", "name_no_phone");
  await bindings.bind(c.tenant, id("G510000201601060005"), "wechat:mum-5", "code");
});

describe("binding coverage of a school", () => {
  it("counts the school's students with a linked guardian, per class in school order", async () => {
    const r = await call(c.tokens.a1, "GET", "/api/dashboard/binding-coverage");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      schoolId: "a1",
      schoolName: "城关一小",
      students: 4,
      linked: 2,
      classes: [
        { grade: "三年级", class: "2班", students: 3, linked: 2 },
        { grade: "四年级", class: "1班", students: 1, linked: 0 },
      ],
    });
  });

  it("is read by the school's township and the bureau, and is as if missing for another school", async () => {
    const township = await call(c.tokens.chengguan, "GET", "/api/dashboard/binding-coverage?schoolId=a1");
    expect(township.body.linked).toBe(2);
    expect((await call(c.tokens.bureau, "GET", "/api/dashboard/binding-coverage?schoolId=b1")).body.linked).toBe(1);
    expect((await call(c.tokens.b1, "GET", "/api/dashboard/binding-coverage?schoolId=a1")).status).toBe(404);
    expect((await call(c.tokens.bureau, "GET", "/api/dashboard/binding-coverage")).status).toBe(400);
  });

  it("stops counting a student whose only guardian unbinds", async () => {
    await bindings.unbind(c.tenant, id("G510000201601060003"), "wechat:mum-3");
    const r = await call(c.tokens.a1, "GET", "/api/dashboard/binding-coverage");
    expect(r.body.linked).toBe(1);
    expect(r.body.classes[0]).toEqual({ grade: "三年级", class: "2班", students: 3, linked: 1 });
  });
});
