/**
 * 异议 as the console runs it: the roster page finds the list's applications in the review queue by their listId,
 * a school records an objection, the county centre resolves it; the family, in the web chat, reads where it stands
 * in plain Chinese — never a staff code, never another family's child.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import * as audit from "../../../../core/audit/index.js";
import { call, county, studentRow, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
const TERM = `${new Date().getFullYear()}-autumn`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
let listId: string;
const apps: Record<string, string> = {};
const sessions: Record<string, string> = {};

async function chat(text: string, session?: string) {
  const res = await app.request(`/chat/${c.tenant}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text, ...(session ? { session } : {}) }),
  });
  const body = (await res.json()) as { session: string; replies: { text: string }[] };
  return { session: body.session, text: body.replies.map((r) => r.text).join("\n") };
}

async function approve(token: string, id: string, from: string) {
  const r = await call(token, "POST", `/api/applications/${id}/approve`, { from });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

beforeAll(async () => {
  c = await county();
  const imported = await call(c.tokens.bureau, "POST", "/api/students", {
    students: [
      studentRow("G510000201601018001", "赵一", "a1"),
      studentRow("G510000201601018002", "钱二", "a1"),
      studentRow("G510000201601018003", "孙三", "a1"),
    ],
  });
  const ids = (imported.body.rows as Json[]).map((r) => r.studentId as string);
  for (const [i, name] of ["赵一", "钱二", "孙三"].entries()) {
    const r = await call(c.tokens.a1, "POST", "/api/applications", {
      studentId: ids[i],
      programme: "compulsory_living",
      term: TERM,
      amount: 625,
    });
    const id = r.body.application.id as string;
    apps[name] = id;
    await approve(c.tokens.a1, id, "submitted");
    await approve(c.tokens.chengguan, id, "school_approved");
    await approve(c.tokens.bureau, id, "township_approved");
    // Each family binds in the web chat with the code the school printed.
    const code = await call(c.tokens.a1, "POST", `/api/students/${ids[i]}/binding-codes`);
    const bound = await chat(`绑定码 ${code.body.code}`);
    expect(bound.text).toMatch(/绑定成功|已绑定|已经绑定/);
    sessions[name] = bound.session;
  }
  const published = await call(c.tokens.bureau, "POST", "/api/lists", {
    programme: "compulsory_living",
    term: TERM,
    scope: { kind: "school", schoolId: "a1" },
    applicationIds: Object.values(apps),
    publicity: { start: day(0), end: day(7) },
    objectionContact: "县资助中心 0000-1234567",
  });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  listId = published.body.list.id;
}, 120_000);

describe("objections during 公示, as the console's roster page runs them", () => {
  it("finds the list's applications in the review queue by listId", async () => {
    const q = await call(c.tokens.a1, "GET", `/api/review-queue?programme=compulsory_living&term=${TERM}&stage=all`);
    const onList = (q.body.items as Json[]).filter((i) => i.listId === listId);
    expect(onList.map((i) => i.studentName).sort()).toEqual(["孙三", "赵一", "钱二"].sort());
    expect(onList.every((i) => i.stage === "publicizing")).toBe(true);
  });

  it("a school records an objection: 异议复核中, the trail names the officer, the family reads that it is being checked", async () => {
    const r = await call(c.tokens.a1, "POST", `/api/applications/${apps["赵一"]}/objections`, {
      from: "publicizing",
      reason: "村民反映家中新购小轿车",
    });
    expect(r.status).toBe(200);
    expect(r.body.application).toMatchObject({ stage: "objected", stageLabel: "异议复核中" });
    const trail = await audit.trail(c.tenant, apps["赵一"]!);
    expect(trail.at(-1)).toMatchObject({ from: "publicizing", to: "objected", actor: { role: "school" } });
    expect(trail.at(-1)!.actor.name).toBe("城关一小资助专干（接口令牌）");

    const status = await chat("查进度", sessions["赵一"]);
    expect(status.text).toContain("赵");
    expect(status.text).toMatch(/异议/);
    expect(status.text).toMatch(/复核/);
    expect(status.text).not.toMatch(/objected|publicizing|钱二|孙三/);
  });

  it("only the county centre resolves; a township is told so in Chinese", async () => {
    const r = await call(c.tokens.chengguan, "POST", `/api/applications/${apps["赵一"]}/objections/resolve`, {
      from: "objected",
      result: "rejected",
      reason: "核实属实",
    });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/县资助中心/);
  });

  it("an objection that holds: 未通过 with the reason, which the family reads in plain words", async () => {
    const r = await call(c.tokens.bureau, "POST", `/api/applications/${apps["赵一"]}/objections/resolve`, {
      from: "objected",
      result: "rejected",
      reason: "经入户核实，家庭经济状况不符合认定条件",
    });
    expect(r.status).toBe(200);
    expect(r.body.application).toMatchObject({ stage: "rejected", stageLabel: "未通过" });
    const status = await chat("查进度", sessions["赵一"]);
    expect(status.text).toContain("未通过");
    expect(status.text).toContain("经入户核实，家庭经济状况不符合认定条件");
    expect(status.text).not.toMatch(/rejected|录入错误/);
  });

  it("an objection that does not hold: back to 公示无异议, and the family reads that", async () => {
    await call(c.tokens.a1, "POST", `/api/applications/${apps["钱二"]}/objections`, {
      from: "publicizing",
      reason: "有人反映父母有固定工作",
    });
    const r = await call(c.tokens.bureau, "POST", `/api/applications/${apps["钱二"]}/objections/resolve`, {
      from: "objected",
      result: "approved",
      reason: "核实为误传，维持资助",
    });
    expect(r.status).toBe(200);
    expect(r.body.application).toMatchObject({ stage: "approved", stageLabel: "公示无异议" });
    const status = await chat("查进度", sessions["钱二"]);
    expect(status.text).toContain("公示无异议");
    expect(status.text).not.toContain("未通过");
    expect(status.text).not.toContain("有固定工作");
  });

  it("a second click on an objection already resolved is a 409 naming what happened, and nothing moves twice", async () => {
    const r = await call(c.tokens.bureau, "POST", `/api/applications/${apps["钱二"]}/objections/resolve`, {
      from: "objected",
      result: "rejected",
      reason: "重复点击",
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("stage_changed");
    const moves = (await audit.trail(c.tenant, apps["钱二"]!)).filter((a) => a.to !== undefined);
    expect(moves.map((m) => m.to).slice(-2)).toEqual(["objected", "approved"]);
  });

  it("the roster the school posts keeps only the 公示 fields, whatever the objections said; the upheld one has left it", async () => {
    const r = await call(c.tokens.a1, "GET", `/api/lists/${listId}`);
    expect(r.status).toBe(200);
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/小轿车|固定工作|G5100002016/);
    // 赵一's objection was upheld: off the posted list (only that family is told why); 钱二's was dismissed.
    expect((r.body.lines as Json[]).map((l) => l.name).sort()).toEqual(["孙三", "钱二"].sort());
    expect(text).not.toMatch(/未通过|经入户核实/);
  });
});
