/**
 * Binding slips through the HTTP API: one class's slips with fresh codes a parent can bind with in the web chat; a
 * reprint retires the old codes (except one a family already used); no 学籍号, ID number or phone on a slip;
 * scope and empty classes refused in Chinese.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import * as audit from "../../../../core/audit/index.js";
import { call, county, studentRow, type Json } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
let chatAddress = 0;

/** One web-chat message from a fresh client address (rate limits are per address). */
async function chat(text: string, session?: string): Promise<{ session: string; text: string }> {
  const res = await app.request(
    `/chat/${c.tenant}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, ...(session ? { session } : {}) }),
    },
    { incoming: { socket: { remoteAddress: `127.0.9.${++chatAddress}` } } },
  );
  const json = (await res.json()) as { session: string; replies: { text: string }[] };
  return { session: json.session, text: json.replies.map((r) => r.text).join("\n") };
}

beforeAll(async () => {
  c = await county();
  const rows = [
    studentRow("G510000201601030001", "冯小雨", "a1", { grade: "四年级", class: "2班" }),
    studentRow("G510000201601030002", "陈小雷", "a1", { grade: "4", class: "2" }),
    studentRow("G510000201601030003", "褚小电", "a1", { grade: "四年级", class: "3班" }),
  ];
  const up = await call(c.tokens.a1, "POST", "/api/students", { students: rows });
  if (up.status !== 200) throw new Error(JSON.stringify(up.body));
});

describe("binding slips", () => {
  it("prints one slip per student of the class, with a code and no 学籍号, ID number or phone", async () => {
    const r = await call(c.tokens.a1, "POST", "/api/binding-slips", { schoolId: "a1", grade: "4", class: "2" });
    expect(r.status).toBe(201);
    expect((r.body.slips as Json[]).map((s) => [s.studentName, s.schoolName, s.grade, s.class])).toEqual([
      ["陈小雷", "城关一小", "四年级", "2班"],
      ["冯小雨", "城关一小", "四年级", "2班"],
    ]);
    for (const s of r.body.slips as Json[]) expect(s.code).toMatch(/^\d{4} \d{4} \d{4}$/);
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/G51000020160103/);
    expect(text).not.toContain("13912345678");
    expect(r.body.follow.accountName.length).toBeGreaterThan(0);
    const trail = await audit.trail(c.tenant, "a1");
    expect(trail.map((t) => t.action)).toContain("print_binding_slips");
  });

  it("binds a parent who sends the slip's code, and a reprint makes the old slip's codes stop working", async () => {
    const first = await call(c.tokens.a1, "POST", "/api/binding-slips", {
      schoolId: "a1",
      grade: "四年级",
      class: "2班",
    });
    const [usedNow, unusedOld] = first.body.slips as Json[];
    const parent = await chat(`绑定码 ${usedNow!.code}`);
    expect(parent.text).toContain(usedNow!.studentName.slice(0, 1));
    expect(parent.text).toMatch(/绑定成功|已绑定|已经绑定/);

    const again = await call(c.tokens.a1, "POST", "/api/binding-slips", {
      schoolId: "a1",
      grade: "四年级",
      class: "2班",
    });
    expect(again.status).toBe(201);
    const late = await chat(`绑定码 ${unusedOld!.code}`);
    expect(late.text).not.toMatch(/绑定成功|已绑定/);
    const fresh = (again.body.slips as Json[]).find((s) => s.studentName === unusedOld!.studentName)!;
    expect(fresh.code).not.toBe(unusedOld!.code);
    const now = await chat(`绑定码 ${fresh.code}`);
    expect(now.text).toMatch(/绑定成功|已绑定|已经绑定/);
    // The family that bound with the first print stays bound.
    const status = await chat("查进度", parent.session);
    expect(status.text).toContain(usedNow!.studentName.slice(0, 1));
  });

  it("refuses another school's class and an empty class, in Chinese", async () => {
    const other = await call(c.tokens.b1, "POST", "/api/binding-slips", {
      schoolId: "a1",
      grade: "四年级",
      class: "2班",
    });
    expect(other.status).toBe(404);
    const empty = await call(c.tokens.a1, "POST", "/api/binding-slips", {
      schoolId: "a1",
      grade: "六年级",
      class: "9班",
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("empty_class");
    expect(empty.body.error.message).toMatch(/没有学生/);
  });

  it("points the QR code at the county's own web chat, so a second county's slips never open the first one's", async () => {
    const mine = await call(c.tokens.a1, "POST", "/api/binding-slips", { schoolId: "a1", grade: "4", class: "2" });
    expect(mine.body.follow).toMatchObject({ kind: "web_chat", url: `http://localhost/?tenant=${c.tenant}` });

    const second = await county();
    const up = await call(second.tokens.a1, "POST", "/api/students", {
      students: [studentRow("G510000201601030009", "卫小山", "a1", { grade: "四年级", class: "2班" })],
    });
    expect(up.status).toBe(200);
    const theirs = await call(second.tokens.a1, "POST", "/api/binding-slips", {
      schoolId: "a1",
      grade: "四年级",
      class: "2班",
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.follow).toMatchObject({ kind: "web_chat", url: `http://localhost/?tenant=${second.tenant}` });
    expect(second.tenant).not.toBe(c.tenant);

    // The web chat the second county's slip opens is that county's: its code binds there.
    const code = (theirs.body.slips as Json[])[0]!.code as string;
    const opened = new URL(theirs.body.follow.url);
    const page = await app.request(`${opened.pathname}${opened.search}`);
    expect(await page.text()).toContain(`"tenant":"${second.tenant}"`);
    const res = await app.request(
      `/chat/${opened.searchParams.get("tenant")}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: `绑定码 ${code}` }),
      },
      { incoming: { socket: { remoteAddress: "127.0.9.200" } } },
    );
    const answer = (await res.json()) as { replies: { text: string }[] };
    expect(answer.replies.map((r) => r.text).join("\n")).toMatch(/绑定成功|已绑定|已经绑定/);
  });

  it("points the QR code at the Official Account once the county saved its follow link, and back when cleared", async () => {
    const follow = "http://weixin.qq.com/r/aB3dEfGhIjKlrXyz9w2K";
    const saved = await call(c.tokens.bureau, "PUT", "/api/tenant", { followUrl: follow });
    expect(saved.status).toBe(200);
    const slips = await call(c.tokens.a1, "POST", "/api/binding-slips", { schoolId: "a1", grade: "4", class: "2" });
    expect(slips.body.follow).toMatchObject({ kind: "official_account", url: follow });

    expect((await call(c.tokens.bureau, "PUT", "/api/tenant", { followUrl: null })).status).toBe(200);
    const again = await call(c.tokens.a1, "POST", "/api/binding-slips", { schoolId: "a1", grade: "4", class: "2" });
    expect(again.body.follow).toMatchObject({ kind: "web_chat", url: `http://localhost/?tenant=${c.tenant}` });
  });

  it("lets the township print for its schools", async () => {
    const r = await call(c.tokens.chengguan, "POST", "/api/binding-slips", {
      schoolId: "a1",
      grade: "四年级",
      class: "3班",
    });
    expect(r.status).toBe(201);
    expect((r.body.slips as Json[]).map((s) => s.studentName)).toEqual(["褚小电"]);
  });
});
