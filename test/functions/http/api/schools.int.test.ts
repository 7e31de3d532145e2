/**
 * Adding a school through the HTTP API as the console does: a Chinese name and its township, the id made from the
 * name's pinyin initials (a second school with the same initials gets -2), a second school of the same name refused,
 * the fields named in Chinese when something is missing; only the bureau adds.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { idFromName } from "../../../../core/schools/index.js";
import { call, county, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;

beforeAll(async () => {
  c = await county();
});

describe("adding a school", () => {
  it("makes the id from the Chinese name's pinyin initials", () => {
    expect(idFromName("城关一小")).toBe("cgyx");
    expect(idFromName("县第一中学")).toBe("xdyzx");
    expect(idFromName("长滩小学")).toBe("ctxx");
    expect(idFromName("青松镇九年一贯制学校")).toBe("qszjnygzxx");
  });

  it("adds a school by its Chinese name and township, with a generated id, and lists it", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/schools", {
      name: "青松镇中心小学",
      kind: "primary",
      township: "青松镇",
    });
    expect(r.status).toBe(201);
    expect(r.body.school).toMatchObject({ id: "qszzxxx", name: "青松镇中心小学", township: "青松镇" });
    const list = await call(c.tokens.bureau, "GET", "/api/schools");
    expect((list.body.items as Json[]).map((s) => s.id)).toContain("qszzxxx");
    // The township's staff see it at once.
    const township = await call(c.tokens.bureau, "POST", "/api/tokens", {
      role: "township",
      township: "青松镇",
      label: "青松镇中心校",
    });
    expect(township.status).toBe(201);
    const seen = await call(township.body.token, "GET", "/api/schools");
    expect((seen.body.items as Json[]).map((s) => s.name)).toEqual(["青松镇中心小学"]);
  });

  it("gives a second school with the same initials the next free id, and refuses the same name twice", async () => {
    const other = await call(c.tokens.bureau, "POST", "/api/schools", {
      name: "青山镇中心小学",
      kind: "primary",
      township: "青山镇",
    });
    expect(other.status).toBe(201);
    expect(other.body.school.id).toBe("qszzxxx-2");
    const again = await call(c.tokens.bureau, "POST", "/api/schools", {
      name: "青松镇中心小学",
      kind: "primary",
      township: "青松镇",
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "school_name_exists",
      message: "已有同名学校「青松镇中心小学」（青松镇，编号 qszzxxx）：不用重复添加",
    });
  });

  it("names a missing or wrong field in Chinese (the school's name, not a person's 姓名)", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/schools", { name: "小", kind: "college", township: "" });
    expect(r.status).toBe(400);
    const byField = Object.fromEntries((r.body.error.details as Json[]).map((d) => [d.field, d.message]));
    expect(byField).toEqual({
      name: "学校名称：至少 2 个字：请写学校全称，如 城关镇第一小学",
      kind: "学校类型：请选择学校类型（小学、初中、普通高中……）",
      township: "所在乡镇：没有填写：请选择或填写学校所在的乡镇，如 城关镇；县直学校填“县直”",
    });
    expect(r.body.error.message).not.toContain("姓名");
  });

  it("keeps an id a program sends, and says so in Chinese when it is taken", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/schools", {
      id: "a1",
      name: "另一所学校",
      kind: "primary",
      township: "城关镇",
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: "school_exists", message: "学校编号 a1 已存在：请换一个编号" });
  });

  it("is the bureau's: a township or school cannot add one", async () => {
    for (const token of [c.tokens.chengguan, c.tokens.a1]) {
      const r = await call(token, "POST", "/api/schools", { name: "新学校", kind: "primary", township: "城关镇" });
      expect(r.status).toBe(403);
    }
  });
});
