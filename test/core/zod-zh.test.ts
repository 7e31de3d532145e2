import { z } from "zod";
import { describe, expect, it } from "vitest";
import { fieldLabel, issueLine } from "../../core/zod-zh.js";

const firstIssue = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error("expected a failure");
  return r.error.issues[0]!;
};

describe("zod issues in Chinese", () => {
  it("names a nested field in staff words, counting list items from one", () => {
    expect(fieldLabel(["guardians", 0, "phone"])).toBe("监护人1 的 电话");
    expect(fieldLabel([2, "name"])).toBe("第 3 项 的 姓名");
    expect(fieldLabel(["unknownField"])).toBe("unknownField");
  });

  it("uses a route's own name for a field by its dotted path, and the shared table for the rest", () => {
    const schema = z.object({ name: z.string().min(1), templates: z.object({ payment: z.string().max(2) }) });
    const labels = { name: "县（区）名称", "templates.payment": "发放通知模板 ID" };
    expect(issueLine(firstIssue(schema, { name: "", templates: { payment: "x" } }), labels)).toBe(
      "县（区）名称：没有填写：这一项必填",
    );
    expect(issueLine(firstIssue(schema, { name: "县", templates: { payment: "xyz" } }), labels)).toBe(
      "发放通知模板 ID：太长：最多 2 个字",
    );
    expect(issueLine(firstIssue(schema, { name: "", templates: { payment: "x" } }))).toBe("姓名：没有填写：这一项必填");
  });

  it("says a missing required field is required", () => {
    expect(issueLine(firstIssue(z.object({ name: z.string() }), {}))).toBe("姓名：没有填写：这一项必填");
  });

  it("gives the length limit of a text that is too long", () => {
    expect(issueLine(firstIssue(z.object({ reason: z.string().max(5) }), { reason: "太长太长太长" }))).toBe(
      "原因：太长：最多 5 个字",
    );
  });

  it("lists the allowed values of an enum", () => {
    expect(issueLine(firstIssue(z.object({ role: z.enum(["school", "bureau"]) }), { role: "x" }))).toBe(
      "角色：不是可选的值：请从列表中选择（可选：school、bureau）",
    );
  });

  it("keeps a schema's own Chinese message instead of a generic one", () => {
    const schema = z.object({ studentNo: z.string().regex(/^[A-Z0-9]{8,24}$/, "学籍号应为 8–24 位字母或数字") });
    expect(issueLine(firstIssue(schema, { studentNo: "x" }))).toBe("学籍号：学籍号应为 8–24 位字母或数字");
  });

  it("explains a term in the wrong format with an example", () => {
    const schema = z.object({ term: z.string().regex(/^\d{4}-(spring|autumn)$/, "term must look like 2025-autumn") });
    expect(issueLine(firstIssue(schema, { term: "2025秋" }))).toBe(
      "学期：格式不对：学期应写成 2025-autumn 或 2026-spring",
    );
  });
});
