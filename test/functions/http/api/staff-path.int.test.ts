import { beforeAll, describe, expect, it } from "vitest";
import { call, county, studentRow, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;

beforeAll(async () => {
  c = await county();
});

describe("the staff path end to end through the API", () => {
  it("serves the OpenAPI document without a token and lists every staff route", async () => {
    const r = await call(undefined, "GET", "/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    for (const p of [
      "/api/tokens",
      "/api/schools",
      "/api/students",
      "/api/students/{id}/binding-codes",
      "/api/applications/{id}",
      "/api/applications/{id}/approve",
      "/api/kb/{id}",
      "/api/tenant",
      "/api/handoffs",
    ]) {
      expect(Object.keys(r.body.paths)).toContain(p);
    }
  });

  it("refuses a request without a token, with a malformed one and with an unknown one alike", async () => {
    const none = await call(undefined, "GET", "/api/schools");
    const bad = await call("nonsense", "GET", "/api/schools");
    const unknown = await call(`zz_${c.tenant}_${"a".repeat(32)}`, "GET", "/api/schools");
    for (const r of [none, bad, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("unauthorized");
    }
  });

  it("walks a student from upload through 三级审核 up to county approval, auditing every move", async () => {
    const up = await call(c.tokens.a1, "POST", "/api/students", {
      students: [studentRow("G510000201501010011", "王小明", "a1")],
    });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ total: 1, created: 1 });
    const studentId = up.body.rows[0].studentId as string;

    const created = await call(c.tokens.a1, "POST", "/api/applications", {
      studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: "625.50",
    });
    expect(created.status).toBe(201);
    expect(created.body.application).toMatchObject({
      amountFen: 62550,
      amountYuan: "625.50",
      stage: "submitted",
      schoolId: "a1",
    });
    const id = created.body.application.id as string;

    const again = await call(c.tokens.a1, "POST", "/api/applications", {
      studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 625.5,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, application: { id } });

    // The school approves its own level, and cannot go further.
    expect(
      (await call(c.tokens.a1, "POST", `/api/applications/${id}/approve`, { from: "submitted" })).body.application
        .stage,
    ).toBe("school_approved");
    const tooHigh = await call(c.tokens.a1, "POST", `/api/applications/${id}/approve`, { from: "school_approved" });
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.body.error.code).toBe("level_too_low");

    expect(
      (await call(c.tokens.chengguan, "POST", `/api/applications/${id}/approve`, { from: "school_approved" })).body
        .application.stage,
    ).toBe("township_approved");
    expect(
      (await call(c.tokens.bureau, "POST", `/api/applications/${id}/approve`, { from: "township_approved" })).body
        .application.stage,
    ).toBe("county_approved");
    const noList = await call(c.tokens.bureau, "POST", `/api/applications/${id}/approve`, { from: "county_approved" });
    expect(noList.status).toBe(409);
    expect(noList.body.error.code).toBe("needs_publicity");

    const one = await call(c.tokens.chengguan, "GET", `/api/applications/${id}`);
    expect(one.status).toBe(200);
    expect(one.body.trail.map((t: Json) => t.to)).toEqual([
      "submitted",
      "school_approved",
      "township_approved",
      "county_approved",
    ]);
    expect(one.body.trail.every((t: Json) => /^tok_/.test(t.actor.id))).toBe(true);
  });

  it("rejects with a reason only, and records it", async () => {
    const up = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [studentRow("G510000201501010012", "李小红", "a1")],
    });
    const studentId = up.body.rows[0].studentId as string;
    const { body } = await call(c.tokens.a1, "POST", "/api/applications", {
      studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 625,
    });
    const id = body.application.id as string;
    const noReason = await call(c.tokens.a1, "POST", `/api/applications/${id}/reject`, { from: "submitted" });
    expect(noReason.status).toBe(400);
    const rejected = await call(c.tokens.a1, "POST", `/api/applications/${id}/reject`, {
      from: "submitted",
      reason: "家庭经济状况不符合认定条件",
    });
    expect(rejected.body.application).toMatchObject({
      stage: "rejected",
      reason: "家庭经济状况不符合认定条件",
      stageLabel: "未通过",
    });
    const trail = (await call(c.tokens.a1, "GET", `/api/applications/${id}`)).body.trail as Json[];
    expect(trail.at(-1)).toMatchObject({ from: "submitted", to: "rejected", reason: "家庭经济状况不符合认定条件" });
  });

  it("lets a 县直 school skip the township level", async () => {
    const up = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [studentRow("G510000200801010013", "赵高中", "d1", { grade: "高二" })],
    });
    const studentId = up.body.rows[0].studentId as string;
    const { body } = await call(c.tokens.bureau, "POST", "/api/applications", {
      studentId,
      programme: "senior_grant",
      term: "2026-spring",
      amount: "1150",
    });
    const id = body.application.id as string;
    await call(c.tokens.bureau, "POST", `/api/applications/${id}/approve`, { from: "submitted" });
    const r = await call(c.tokens.bureau, "POST", `/api/applications/${id}/approve`, { from: "school_approved" });
    expect(r.body.application.stage).toBe("county_approved");
  });

  it("takes objections during 公示 and resolves them at the bureau", async () => {
    const up = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [studentRow("G510000201501010014", "孙小兰", "a1")],
    });
    const studentId = up.body.rows[0].studentId as string;
    const { body } = await call(c.tokens.bureau, "POST", "/api/applications", {
      studentId,
      programme: "compulsory_living",
      term: "2026-spring",
      amount: 625,
    });
    const id = body.application.id as string;
    for (const [from, to] of [
      ["submitted", "school_approved"],
      ["school_approved", "township_approved"],
      ["township_approved", "county_approved"],
    ]) {
      expect(
        (await call(c.tokens.bureau, "POST", `/api/applications/${id}/transitions`, { action: "move", from, to }))
          .status,
      ).toBe(200);
    }
    // 公示 is entered by publishing a list; the records layer does it here as the lists route would.
    const { transition } = await import("../../../../core/applications/index.js");
    await transition(c.tenant, id, {
      to: "publicizing",
      actor: { id: "system", role: "system" },
      publicity: { listId: "l1", start: "2026-03-01", end: "2026-03-07", objectionContact: "学校资助办" },
    });

    const raised = await call(c.tokens.a1, "POST", `/api/applications/${id}/objections`, {
      from: "publicizing",
      reason: "群众反映家庭有经营性收入",
    });
    expect(raised.body.application.stage).toBe("objected");
    const bySchool = await call(c.tokens.a1, "POST", `/api/applications/${id}/objections/resolve`, {
      from: "objected",
      result: "approved",
      reason: "核实无误",
    });
    expect(bySchool.status).toBe(403);
    const resolved = await call(c.tokens.bureau, "POST", `/api/applications/${id}/objections/resolve`, {
      from: "objected",
      result: "approved",
      reason: "经核实，收入不影响认定",
    });
    expect(resolved.body.application.stage).toBe("approved");
  });

  it("issues scoped tokens only from a bureau token, lists them without secrets, and revokes them", async () => {
    const bySchool = await call(c.tokens.a1, "POST", "/api/tokens", { role: "school", schoolId: "a1", label: "x" });
    expect(bySchool.status).toBe(403);
    const noSchool = await call(c.tokens.bureau, "POST", "/api/tokens", { role: "school", label: "缺学校" });
    expect(noSchool.status).toBe(400);
    const issued = await call(c.tokens.bureau, "POST", "/api/tokens", {
      role: "school",
      schoolId: "a2",
      label: "城关二小",
    });
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(new RegExp(`^zz_${c.tenant}_[0-9a-z]{32}$`));
    const listed = await call(c.tokens.bureau, "GET", "/api/tokens");
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);
    expect(JSON.stringify(listed.body)).not.toMatch(/"hash"/);
    expect((await call(issued.body.token, "GET", "/api/me")).body.staff).toMatchObject({
      role: "school",
      schoolId: "a2",
      tenant: c.tenant,
    });
    expect((await call(c.tokens.bureau, "DELETE", `/api/tokens/${issued.body.info.tokenId}`)).status).toBe(200);
    expect((await call(issued.body.token, "GET", "/api/me")).status).toBe(401);
  });

  it("reads and changes tenant settings with a bureau token only", async () => {
    expect((await call(c.tokens.a1, "GET", "/api/tenant")).status).toBe(403);
    const put = await call(c.tokens.bureau, "PUT", "/api/tenant", {
      hotline: "0833-1234567",
      templates: { payment: "tpl_pay-1" },
    });
    expect(put.status).toBe(200);
    expect(put.body.tenant).toMatchObject({ hotline: "0833-1234567", templates: { payment: "tpl_pay-1" } });
    expect((await call(c.tokens.bureau, "PUT", "/api/tenant", { hotline: "" })).status).toBe(400);
    expect((await call(c.tokens.bureau, "PUT", "/api/tenant", { id: "other" })).status).toBe(400);
  });

  it("issues a 12-digit binding code for a student in scope, valid 14 days", async () => {
    const up = await call(c.tokens.a1, "POST", "/api/students", {
      students: [studentRow("G510000201501010015", "周小飞", "a1")],
    });
    const r = await call(c.tokens.a1, "POST", `/api/students/${up.body.rows[0].studentId}/binding-codes`);
    expect(r.status).toBe(201);
    expect(r.body.code).toMatch(/^\d{12}$/);
    const days = (Date.parse(r.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
  });

  it("shows students with the 学籍号 and guardian phones masked", async () => {
    const up = await call(c.tokens.a1, "POST", "/api/students", {
      students: [studentRow("G510000201501010016", "吴小琴", "a1")],
    });
    const r = await call(c.tokens.a1, "GET", `/api/students/${up.body.rows[0].studentId}`);
    expect(r.status).toBe(200);
    expect(r.body.student.studentNo).toBe("G51************0016");
    expect(r.body.student.guardians[0].phone).toBe("******5678");
    const list = await call(c.tokens.a1, "GET", "/api/students?grade=3");
    expect(JSON.stringify(list.body)).not.toContain("G510000201501010016");
    expect(JSON.stringify(list.body)).not.toContain("13912345678");
  });
});
