/**
 * Scope on every staff route: a token never reads or changes anything outside its scope, and an out-of-scope
 * record answers exactly like a missing one. Tenants never see each other.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, county, issue, shape, studentRow, type Json } from "./support.js";

type World = Awaited<ReturnType<typeof county>> & { students: Record<string, string>; apps: Record<string, string> };
let w: World;
let other: World;

const MISSING = { school: "zz-none", student: "stu_0000000000000000", application: "app_0000000000000000" };

async function populate(base: Awaited<ReturnType<typeof county>>, prefix: string): Promise<World> {
  const students: Record<string, string> = {};
  const apps: Record<string, string> = {};
  for (const [i, school] of ["a1", "a2", "b1"].entries()) {
    const up = await call(base.tokens.bureau, "POST", "/api/students", {
      students: [studentRow(`G5100002015${prefix}0${i}001`, `钱小${"一二三"[i]}`, school)],
    });
    students[school] = up.body.rows[0].studentId;
    const app = await call(base.tokens.bureau, "POST", "/api/applications", {
      studentId: students[school],
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 625,
    });
    apps[school] = app.body.application.id;
  }
  return { ...base, students, apps };
}

beforeAll(async () => {
  w = await populate(await county(), "0101");
  other = await populate(await county(), "0202");
});

/** Every route that names one record, for a school id, student id and application id. */
function recordRoutes(ids: { school: string; student: string; application: string }) {
  return [
    { name: "GET /api/schools/:id", method: "GET", path: `/api/schools/${ids.school}` },
    { name: "GET /api/students?schoolId", method: "GET", path: `/api/students?schoolId=${ids.school}` },
    { name: "GET /api/students/:id", method: "GET", path: `/api/students/${ids.student}` },
    {
      name: "POST /api/students/:id/binding-codes",
      method: "POST",
      path: `/api/students/${ids.student}/binding-codes`,
    },
    {
      name: "POST /api/applications",
      method: "POST",
      path: "/api/applications",
      body: { studentId: ids.student, programme: "yulu", term: "2026-spring", amount: 1500 },
    },
    { name: "GET /api/applications/:id", method: "GET", path: `/api/applications/${ids.application}` },
    {
      name: "POST /api/applications/:id/approve",
      method: "POST",
      path: `/api/applications/${ids.application}/approve`,
      body: { from: "submitted" },
    },
    {
      name: "POST /api/applications/:id/reject",
      method: "POST",
      path: `/api/applications/${ids.application}/reject`,
      body: { from: "submitted", reason: "测试原因" },
    },
    {
      name: "POST /api/applications/:id/objections",
      method: "POST",
      path: `/api/applications/${ids.application}/objections`,
      body: { from: "publicizing", reason: "测试异议" },
    },
    {
      name: "POST /api/applications/:id/objections/resolve",
      method: "POST",
      path: `/api/applications/${ids.application}/objections/resolve`,
      body: { from: "objected", result: "rejected", reason: "测试复核" },
      bureauOnly: true,
    },
    {
      name: "POST /api/applications/:id/transitions",
      method: "POST",
      path: `/api/applications/${ids.application}/transitions`,
      body: { action: "reject", from: "submitted", reason: "测试原因" },
    },
  ];
}

const cases = [
  {
    who: "a school token",
    bureau: false,
    token: () => w.tokens.a1,
    foreign: () => ({ school: "b1", student: w.students.b1!, application: w.apps.b1! }),
  },
  {
    who: "a school token (same township)",
    bureau: false,
    token: () => w.tokens.a1,
    foreign: () => ({ school: "a2", student: w.students.a2!, application: w.apps.a2! }),
  },
  {
    who: "a township token",
    bureau: false,
    token: () => w.tokens.chengguan,
    foreign: () => ({ school: "b1", student: w.students.b1!, application: w.apps.b1! }),
  },
  {
    who: "the other township token",
    bureau: false,
    token: () => w.tokens.hekou,
    foreign: () => ({ school: "a1", student: w.students.a1!, application: w.apps.a1! }),
  },
  {
    who: "another county's bureau token",
    bureau: true,
    token: () => other.tokens.bureau,
    foreign: () => ({ school: "zz-none", student: w.students.a1!, application: w.apps.a1! }),
  },
];

describe.each(cases)("$who on every record route", ({ token, foreign, bureau }) => {
  it("answers an out-of-scope record exactly like a missing one and changes nothing", async () => {
    const before = await call(w.tokens.bureau, "GET", `/api/applications/${foreign().application}`);
    const foreignRoutes = recordRoutes(foreign());
    const missingRoutes = recordRoutes(MISSING);
    for (const [i, r] of foreignRoutes.entries()) {
      const m = missingRoutes[i]!;
      const got = await call(token(), r.method, r.path, r.body);
      const missing = await call(token(), m.method, m.path, m.body);
      // A route the role may not call at all refuses it (403 role_required) before looking anything up, so a
      // foreign and a missing record still answer alike.
      expect(got.status, r.name).toBe("bureauOnly" in r && !bureau ? 403 : 404);
      expect(shape(got), r.name).toEqual(shape(missing));
    }
    const after = await call(w.tokens.bureau, "GET", `/api/applications/${foreign().application}`);
    expect(after.body).toEqual(before.body);
    expect((await call(w.tokens.bureau, "GET", `/api/students/${foreign().student}`)).body.applications).toHaveLength(
      1,
    );
  });
});

describe("scope on list and upload routes", () => {
  it("lists only the schools in scope", async () => {
    const ids = async (t: string) =>
      ((await call(t, "GET", "/api/schools")).body.items as Json[]).map((s) => s.id).sort();
    expect(await ids(w.tokens.bureau)).toEqual(["a1", "a2", "b1", "d1"]);
    expect(await ids(w.tokens.chengguan)).toEqual(["a1", "a2"]);
    expect(await ids(w.tokens.hekou)).toEqual(["b1"]);
    expect(await ids(w.tokens.a1)).toEqual(["a1"]);
    expect(await ids(other.tokens.bureau)).toEqual(["a1", "a2", "b1", "d1"]);
  });

  it("lists only the applications in scope", async () => {
    const q = "/api/applications?programme=compulsory_living&term=2025-autumn";
    const ids = async (t: string) => ((await call(t, "GET", q)).body.items as Json[]).map((a) => a.id).sort();
    expect(await ids(w.tokens.a1)).toEqual([w.apps.a1]);
    expect(await ids(w.tokens.chengguan)).toEqual([w.apps.a1, w.apps.a2].sort());
    expect(await ids(w.tokens.hekou)).toEqual([w.apps.b1]);
    expect(await ids(w.tokens.bureau)).toEqual(Object.values(w.apps).sort());
    expect(await ids(other.tokens.bureau)).toEqual(Object.values(other.apps).sort());
    const schoolFilter = await call(w.tokens.a1, "GET", `${q}&schoolId=b1`);
    expect(schoolFilter.body.items).toEqual([]);
  });

  it("lists a school token's own students by default", async () => {
    const own = await call(w.tokens.a1, "GET", "/api/students");
    expect((own.body.items as Json[]).map((s) => s.id)).toEqual([w.students.a1]);
  });

  it("does not let a school upload into another school, reporting it like an unknown school", async () => {
    const foreign = await call(w.tokens.a1, "POST", "/api/students", {
      students: [studentRow("G510000201509099901", "新同学", "b1")],
    });
    const unknown = await call(w.tokens.a1, "POST", "/api/students", {
      students: [studentRow("G510000201509099901", "新同学", "zz-none")],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0].message).toBe("找不到学校“b1”（或不在您的管辖范围）：请填学校全称或编号");
    expect(unknown.body.error.details[0].message).toBe("找不到学校“zz-none”（或不在您的管辖范围）：请填学校全称或编号");
  });

  it("does not let a school overwrite a student registered at another school", async () => {
    const before = await call(w.tokens.bureau, "GET", `/api/students/${w.students.b1}`);
    const r = await call(w.tokens.a1, "POST", "/api/students", {
      students: [studentRow("G510000201509099950", "新同学", "a1"), studentRow("G5100002015010102001", "冒名", "a1")],
    });
    expect(r.status).toBe(400);
    // The caller is not told which row, nor that the 学籍号 exists elsewhere: no oracle.
    expect(r.body.error).toMatchObject({
      code: "needs_bureau",
      message: "1 行需要县教育局核实后才能导入，已通知县教育局；本次没有保存任何数据。请联系县教育局。",
    });
    expect(r.body.error.details).toBeUndefined();
    // (The random request id is left out: it may contain "b1" by chance.)
    const { requestId: _id, ...visible } = r.body.error;
    expect(JSON.stringify(visible)).not.toMatch(/G5100002015010102001|河口|b1|students\.1/);
    expect((await call(w.tokens.bureau, "GET", `/api/students/${w.students.b1}`)).body).toEqual(before.body);
    // Nothing was saved, not even the good row.
    const own = (await call(w.tokens.a1, "GET", "/api/students")).body.items as Json[];
    expect(own.some((s) => s.name === "新*学" || s.name === "新同学")).toBe(false);
    // The bureau hears of it, with the student and the token; the schools do not.
    const a1Token = (await call(w.tokens.bureau, "GET", "/api/tokens")).body.items.find(
      (t: Json) => t.schoolId === "a1" && t.role === "school",
    ).tokenId;
    const alerts = (await call(w.tokens.bureau, "GET", "/api/alerts")).body.items as Json[];
    expect(alerts.filter((a) => a.kind === "import_conflict")).toEqual([
      expect.objectContaining({ studentId: w.students.b1, by: a1Token }),
    ]);
    expect((await call(w.tokens.a1, "GET", "/api/alerts")).body.items).toEqual([]);
  });

  it("keeps tokens, tenant settings and knowledge overrides inside their county", async () => {
    const mine = await call(w.tokens.bureau, "GET", "/api/tokens");
    const theirs = await call(other.tokens.bureau, "GET", "/api/tokens");
    const mineIds = (mine.body.items as Json[]).map((t) => t.tokenId);
    expect((theirs.body.items as Json[]).every((t) => !mineIds.includes(t.tokenId) && t.tenant === other.tenant)).toBe(
      true,
    );
    const revoke = await call(other.tokens.bureau, "DELETE", `/api/tokens/${mineIds.find((id) => id !== undefined)}`);
    const revokeMissing = await call(other.tokens.bureau, "DELETE", "/api/tokens/tok_0000000000000000");
    expect(shape(revoke)).toEqual(shape(revokeMissing));
    expect(revoke.status).toBe(404);

    expect((await call(other.tokens.bureau, "GET", "/api/tenant")).body.tenant.id).toBe(other.tenant);

    const entry = {
      title: "本县资助热线",
      sources: ["本县教育局通知"],
      effective: "2025-09-01",
      passages: [{ heading: "本县资助热线", text: "本县学生资助管理中心电话见学校通知，以本县通知为准。" }],
    };
    expect((await call(w.tokens.bureau, "PUT", "/api/kb/local-hotline", entry)).status).toBe(200);
    expect((await call(other.tokens.bureau, "GET", "/api/kb/local-hotline")).status).toBe(404);
    expect((await call(other.tokens.bureau, "GET", "/api/kb")).body.items).toEqual([]);
    expect((await call(other.tokens.bureau, "DELETE", "/api/kb/local-hotline")).status).toBe(404);
    expect((await call(w.tokens.bureau, "GET", "/api/kb/local-hotline")).status).toBe(200);
  });

  it("refuses bureau-only routes to school and township tokens", async () => {
    const routes = [
      ["POST", "/api/tokens", { role: "school", schoolId: "a1", label: "x" }],
      ["GET", "/api/tokens"],
      ["DELETE", "/api/tokens/tok_0000000000000000"],
      ["GET", "/api/tenant"],
      ["PUT", "/api/tenant", { hotline: "12345" }],
      ["POST", "/api/schools", { id: "a9", name: "新学校", kind: "primary", township: "城关镇" }],
      ["PUT", "/api/kb/local-hotline", { mode: "remove" }],
      ["DELETE", "/api/kb/local-hotline"],
    ] as const;
    for (const t of [w.tokens.a1, w.tokens.chengguan]) {
      for (const [method, path, body] of routes) {
        const r = await call(t, method, path, body);
        expect(r.status, `${method} ${path}`).toBe(403);
      }
    }
  });

  it("rejects a token whose tenant prefix was swapped for another county's", async () => {
    const secret = w.tokens.a1.split("_").slice(2).join("_");
    const forged = `zz_${other.tenant}_${secret}`;
    const r = await call(forged, "GET", "/api/schools");
    expect(r.status).toBe(401);
  });

  it("shows a school only the handoffs of its own families", async () => {
    const { createFamily } = await import("../../../../core/families/port.js");
    const { bind } = await import("../../../../core/families/bindings.js");
    const fam = createFamily();
    await bind(w.tenant, w.students.b1!, "web:scope-family-b1", "seed");
    await fam.handoff(
      { tenant: w.tenant, userKey: "web:scope-family-b1", channel: "web" },
      "我要找人工，电话13800001111",
    );
    await fam.handoff({ tenant: w.tenant, userKey: "web:scope-nobody", channel: "web" }, "人工");
    const a1 = await call(w.tokens.a1, "GET", "/api/handoffs");
    const hekou = await call(w.tokens.hekou, "GET", "/api/handoffs");
    const bureau = await call(w.tokens.bureau, "GET", "/api/handoffs");
    expect(a1.body.items).toEqual([]);
    expect(hekou.body.items).toHaveLength(1);
    expect(bureau.body.items).toHaveLength(2);
    expect(JSON.stringify(bureau.body)).not.toContain("13800001111");
    expect(JSON.stringify(bureau.body)).not.toContain("scope-family");
    expect(hekou.body.items[0].children).toEqual([{ name: "钱*三", schoolId: "b1" }]);
  });
});
