import { beforeAll, describe, expect, it } from "vitest";
import { tenantKb } from "../../../../core/policy/overrides.js";
import { call, county, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
beforeAll(async () => {
  c = await county();
});

const deadline = {
  title: "本县2026年春季学期资助申请截止时间",
  programme: "申请时间",
  keywords: ["截止时间", "申请时间"],
  sources: ["本县教育局2026年2月通知"],
  effective: "2026-02-20",
  varies_locally: true,
  passages: [
    {
      heading: "春季学期申请什么时候截止",
      text: "本县2026年春季学期各项资助申请3月20日截止，请在截止前把材料交到学校资助专干，以本县通知为准。",
    },
  ],
};

describe("knowledge overrides through /api/kb", () => {
  it("adds a local entry that families' answers use at once, without a redeploy", async () => {
    const put = await call(c.tokens.bureau, "PUT", "/api/kb/local-deadline-2026", deadline);
    expect(put.status).toBe(200);
    const kb = await tenantKb(c.tenant);
    expect(kb.entries.find((e) => e.id === "local-deadline-2026")?.passages[0]?.text).toContain("3月20日");
    const got = await call(c.tokens.a1, "GET", "/api/kb/local-deadline-2026");
    expect(got.body.effective.title).toBe(deadline.title);
  });

  it("patches one passage of a repository entry, taking precedence over the repository text", async () => {
    const r = await call(c.tokens.bureau, "PUT", "/api/kb/county-contacts", {
      mode: "patch",
      passages: [
        { heading: "县学生资助管理中心电话是多少", text: "本县学生资助管理中心电话 0833-2222333，工作日 8:30–17:30。" },
      ],
    });
    expect(r.status).toBe(200);
    const entry = (await tenantKb(c.tenant)).entries.find((e) => e.id === "county-contacts")!;
    expect(entry.passages.find((p) => p.heading === "县学生资助管理中心电话是多少")!.text).toContain("0833-2222333");
    expect(entry.passages.length).toBeGreaterThan(1);
    const list = await call(c.tokens.bureau, "GET", "/api/kb");
    expect((list.body.items as Json[]).map((i) => i.id).sort()).toEqual(["county-contacts", "local-deadline-2026"]);
  });

  it("hides a repository entry with mode remove and brings it back on DELETE", async () => {
    expect((await call(c.tokens.bureau, "PUT", "/api/kb/scam-warning", { mode: "remove" })).status).toBe(200);
    expect((await tenantKb(c.tenant)).entries.some((e) => e.id === "scam-warning")).toBe(false);
    expect((await call(c.tokens.bureau, "DELETE", "/api/kb/scam-warning")).status).toBe(200);
    expect((await tenantKb(c.tenant)).entries.some((e) => e.id === "scam-warning")).toBe(true);
    expect((await call(c.tokens.bureau, "DELETE", "/api/kb/scam-warning")).status).toBe(404);
  });

  it("refuses an entry that would not load, with a clear message", async () => {
    const noSources = await call(c.tokens.bureau, "PUT", "/api/kb/bad-entry", { ...deadline, sources: [] });
    expect(noSources.status).toBe(400);
    expect(noSources.body.error).toMatchObject({
      code: "invalid_kb_entry",
      message: "知识条目有误：政策来源：至少要有 1 项——请改正后再保存",
      details: [{ field: "sources", message: "政策来源：至少要有 1 项" }],
    });
    const unknownPatch = await call(c.tokens.bureau, "PUT", "/api/kb/no-such-entry", { mode: "patch", title: "x" });
    expect(unknownPatch.status).toBe(400);
    expect(unknownPatch.body.error.code).toBe("invalid_kb_entry");
    expect(unknownPatch.body.error.message).toMatch(/^要修改的条目“no-such-entry”不存在：/);
    const emptied = await call(c.tokens.bureau, "PUT", "/api/kb/scam-warning", {
      mode: "patch",
      passages: (await tenantKb(c.tenant)).entries
        .find((e) => e.id === "scam-warning")!
        .passages.map((p) => ({ heading: p.heading, text: "" })),
    });
    expect(emptied.status).toBe(400);
    expect(emptied.body.error.message).toBe("知识条目修改后有误：段落：至少要有 1 项——请改正后再保存");
    const mismatch = await call(c.tokens.bureau, "PUT", "/api/kb/a-id", { ...deadline, id: "b-id" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toMatchObject({
      code: "id_mismatch",
      message: "条目编号不一致：内容里的 id 是“b-id”，地址里是“a-id”——请改成一致，或删去内容里的 id",
    });
  });

  it("leaves other counties' knowledge untouched", async () => {
    const other = await county();
    const entry = (await tenantKb(other.tenant)).entries.find((e) => e.id === "county-contacts")!;
    expect(JSON.stringify(entry)).not.toContain("0833-2222333");
  });
});
