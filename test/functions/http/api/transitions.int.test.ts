/** Review actions name the step they act on: stale and double clicks get 409 saying what happened meanwhile. */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import { schoolOfficer, sendAs } from "../../../support/console-session.js";
import { call, county, studentRow, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
let n = 0;

async function newApplication(school = "a1"): Promise<string> {
  const no = `G5100002016010100${String(n++).padStart(2, "0")}`;
  const up = await call(c.tokens.bureau, "POST", "/api/students", { students: [studentRow(no, "钱小多", school)] });
  const studentId = up.body.rows[0].studentId as string;
  const r = await call(c.tokens.bureau, "POST", "/api/applications", {
    studentId,
    programme: "compulsory_living",
    term: "2025-autumn",
    amount: 625,
  });
  return r.body.application.id as string;
}

beforeAll(async () => {
  c = await county();
});

describe("review actions carry the stage the officer saw", () => {
  it("refuses an approval that does not say which stage it approves, in Chinese, changing nothing", async () => {
    const id = await newApplication();
    const r = await call(c.tokens.bureau, "POST", `/api/applications/${id}/approve`, {});
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_input");
    expect(r.body.error.message).toBe(
      "填写有误：当前阶段：请带上您看到的当前阶段 from（例如 submitted），防止重复点击把申请多推进一级——请改正后重试",
    );
    expect((await call(c.tokens.bureau, "GET", `/api/applications/${id}`)).body.application.stage).toBe("submitted");
  });

  it("moves an application one level only when the bureau clicks approve five times at once", async () => {
    const id = await newApplication();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(c.tokens.bureau, "POST", `/api/applications/${id}/approve`, { from: "submitted" }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const stale = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(stale).toHaveLength(4);
    for (const r of stale) {
      expect(r.body.error.code).toBe("stage_changed");
      expect(r.body.error.message).toMatch(
        /^这份申请在您操作前已有变化：县资助中心初始管理令牌（接口令牌）于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 已将它从「已提交申请」改为「学校审核通过」。您看到的是「已提交申请」，本次操作没有执行，请刷新后再决定。$/,
      );
    }
    const one = await call(c.tokens.bureau, "GET", `/api/applications/${id}`);
    expect(one.body.application.stage).toBe("school_approved");
    expect(one.body.trail.map((t: Json) => t.to)).toEqual(["submitted", "school_approved"]);
  });

  it("answers a stale click after someone else acted with 409 naming who moved it and to what", async () => {
    const id = await newApplication();
    expect((await call(c.tokens.a1, "POST", `/api/applications/${id}/approve`, { from: "submitted" })).status).toBe(
      200,
    );
    expect(
      (await call(c.tokens.chengguan, "POST", `/api/applications/${id}/approve`, { from: "school_approved" })).status,
    ).toBe(200);
    // The school officer's page still shows 学校审核通过 and they press reject.
    const late = await call(c.tokens.a1, "POST", `/api/applications/${id}/reject`, {
      from: "school_approved",
      reason: "材料不全",
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("stage_changed");
    expect(late.body.error.message).toContain("：城关镇中心校（接口令牌）于 ");
    expect(late.body.error.message).not.toMatch(/tok_|acc:|T\d{2}:\d{2}/);
    expect(late.body.error.details).toEqual([
      { field: "from", message: "您看到的是「学校审核通过」，现在是「乡镇审核通过」" },
    ]);
    expect(late.body.error.message).toContain("从「学校审核通过」改为「乡镇审核通过」。您看到的是「学校审核通过」");
    expect((await call(c.tokens.bureau, "GET", `/api/applications/${id}`)).body.application.stage).toBe(
      "township_approved",
    );
  });

  it("names the person who acted (not their account) and the time in the county's time zone (not UTC)", async () => {
    const id = await newApplication();
    const officer = await schoolOfficer(app, c.tenant, { name: "李老师", username: "li-a1-stale", schoolId: "a1" });
    const approved = await sendAs(app, officer, "POST", `/api/applications/${id}/approve`, { from: "submitted" });
    expect(approved.status).toBe(200);
    const late = await call(c.tokens.a1, "POST", `/api/applications/${id}/approve`, { from: "submitted" });
    expect(late.status).toBe(409);
    const at = (await call(c.tokens.bureau, "GET", `/api/applications/${id}`)).body.trail.at(-1).at as string;
    // Beijing time is UTC+8 all year.
    const bj = new Date(Date.parse(at) + 8 * 3600_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    const local = `${bj.getUTCFullYear()}年${bj.getUTCMonth() + 1}月${bj.getUTCDate()}日 ${pad(bj.getUTCHours())}:${pad(bj.getUTCMinutes())}`;
    expect(late.body.error.message).toContain(
      `：李老师（学校资助专干）于 ${local} 已将它从「已提交申请」改为「学校审核通过」`,
    );
    expect(late.body.error.message).not.toContain("acc:");
  });

  it("applies the same rule to the generic transitions route", async () => {
    const id = await newApplication();
    const wrong = await call(c.tokens.bureau, "POST", `/api/applications/${id}/transitions`, {
      action: "move",
      from: "school_approved",
      to: "township_approved",
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe("stage_changed");
    expect(wrong.body.error.message).toMatch(
      /：县资助中心初始管理令牌（接口令牌）于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 创建了它，它现在是「已提交申请」。您看到的是「学校审核通过」/,
    );
    const right = await call(c.tokens.bureau, "POST", `/api/applications/${id}/transitions`, {
      action: "move",
      from: "submitted",
      to: "school_approved",
    });
    expect(right.body.application.stage).toBe("school_approved");
  });
});

describe("input hygiene on staff writes", () => {
  it("refuses a 0-yuan application", async () => {
    const up = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [studentRow("G510000201601019990", "钱小零", "a1")],
    });
    const r = await call(c.tokens.bureau, "POST", "/api/applications", {
      studentId: up.body.rows[0].studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 0,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("填写有误：金额：金额必须大于 0 元——请改正后重试");
  });

  it("refuses an amount outside the programme's plausible range, naming the range, and accepts the edges", async () => {
    const up = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [studentRow("G510000201601019991", "孙多位", "a1")],
    });
    const studentId = up.body.rows[0].studentId;
    const tooMuch = await call(c.tokens.bureau, "POST", "/api/applications", {
      studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 6250,
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe("amount_out_of_range");
    expect(tooMuch.body.error.message).toBe(
      "金额 6250 元不在义务教育家庭经济困难学生生活补助的合理范围（100–2500 元）内：请核对金额（是否多写或少写了一位）",
    );
    const tooLittle = await call(c.tokens.bureau, "POST", "/api/applications", {
      studentId,
      programme: "freshman_aid",
      term: "2025-autumn",
      amount: "499.99",
    });
    expect(tooLittle.body.error.message).toMatch(/^金额 499\.99 元不在新生入学资助的合理范围（500–1000 元）内/);
    const edge = await call(c.tokens.bureau, "POST", "/api/applications", {
      studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 2500,
    });
    expect(edge.status).toBe(201);
  });

  it("refuses a township token for a township no school names", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/tokens", {
      role: "township",
      township: "不存在乡",
      label: "错字",
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: "unknown_township",
      message: "没有学校登记在「不存在乡」，不能为它签发乡镇账号（请核对乡镇名称）",
    });
    expect(
      (await call(c.tokens.bureau, "POST", "/api/tokens", { role: "township", township: "河口乡", label: "河口乡二" }))
        .status,
    ).toBe(201);
  });
});
