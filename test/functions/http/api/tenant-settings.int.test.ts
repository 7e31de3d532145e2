/**
 * 本县设置 through the HTTP API: the bureau changes its county's name, hotline, Official Account follow link and WeChat
 * template ids; what it leaves out is kept, null clears; every refusal names the field in Chinese (a county's name is
 * not a person's 姓名); each change is audited with the fields changed, and a save that changes nothing writes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as audit from "../../../../core/audit/index.js";
import { call, county } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;

beforeAll(async () => {
  c = await county();
});

const trail = async () =>
  (await audit.trail(c.tenant, `tenant:${c.tenant}`)).filter((t) => t.action === "tenant_settings");

describe("本县设置", () => {
  it("saves the follow link and template ids, keeps what was not sent, and says which notices still lack a template", async () => {
    const before = await call(c.tokens.bureau, "GET", "/api/tenant");
    const put = await call(c.tokens.bureau, "PUT", "/api/tenant", {
      name: "青川县学生资助管理中心",
      followUrl: "https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzA5NzQ2",
      templates: { publicity: "Pub_tpl-01", broadcast: "Brd_tpl-02" },
    });
    expect(put.status).toBe(200);
    expect(put.body.tenant).toMatchObject({
      name: "青川县学生资助管理中心",
      hotline: before.body.tenant.hotline,
      followUrl: "https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzA5NzQ2",
      templates: { publicity: "Pub_tpl-01", broadcast: "Brd_tpl-02" },
    });
    expect(put.body.changed).toEqual(["县（区）名称", "公众号关注链接", "公示通知模板 ID", "学校通知模板 ID"]);
    expect(put.body.missingTemplates.map((m: { kind: string }) => m.kind)).toEqual(["payment"]);
    const read = await call(c.tokens.bureau, "GET", "/api/tenant");
    expect(read.body.tenant).toEqual(put.body.tenant);

    const cleared = await call(c.tokens.bureau, "PUT", "/api/tenant", { templates: { broadcast: null } });
    expect(cleared.body.tenant.templates).toEqual({ publicity: "Pub_tpl-01" });
    expect(cleared.body.tenant.followUrl).toBe("https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzA5NzQ2");
  });

  it("refuses a bad follow link, template id, empty name or hotline with the field's Chinese name and what to do", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { followUrl: "weixin.qq.com/r/abc" },
        "followUrl",
        /^公众号关注链接：应为完整的网址，以 http:\/\/ 或 https:\/\/ 开头/,
      ],
      [{ followUrl: "javascript:alert(1)" }, "followUrl", /^公众号关注链接：应为完整的网址/],
      [{ templates: { payment: "模板 1" } }, "templates.payment", /^发放通知模板 ID：模板 ID 只能有字母、数字、_ 和 -/],
      [{ name: "  " }, "name", /^县（区）名称：没有填写：请填写县（区）名称/],
      [{ hotline: "" }, "hotline", /^咨询电话：没有填写或太短/],
    ];
    for (const [body, field, message] of cases) {
      const r = await call(c.tokens.bureau, "PUT", "/api/tenant", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("invalid_input");
      expect(r.body.error.details).toEqual([{ field, message: expect.stringMatching(message) }]);
      expect(r.body.error.message).toMatch(/^填写有误：/);
      expect(r.body.error.message).not.toContain("姓名");
    }
    const unknown = await call(c.tokens.bureau, "PUT", "/api/tenant", { id: "other" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("有系统不认识的项：id");
  });

  it("audits each change with the person and the fields changed, and writes nothing when nothing changed", async () => {
    const before = (await trail()).length;
    const r = await call(c.tokens.bureau, "PUT", "/api/tenant", { hotline: "0839-7201234" });
    expect(r.body.changed).toEqual(["咨询电话"]);
    const after = await trail();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ actor: { role: "bureau" }, reason: "修改本县设置：咨询电话" });

    const same = await call(c.tokens.bureau, "PUT", "/api/tenant", { hotline: "0839-7201234" });
    expect(same.status).toBe(200);
    expect(same.body.changed).toEqual([]);
    expect((await trail()).length).toBe(before + 1);
  });

  it("is the bureau's: a township or school cannot read or change it", async () => {
    for (const token of [c.tokens.chengguan, c.tokens.a1]) {
      expect((await call(token, "GET", "/api/tenant")).status).toBe(403);
      expect((await call(token, "PUT", "/api/tenant", { hotline: "12345" })).status).toBe(403);
    }
  });
});
