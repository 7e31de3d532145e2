import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatusers from "../../../core/chatusers/index.js";
import * as audit from "../../../core/audit/index.js";
import { missingTemplates } from "../../../core/actions/compose.js";
import { neutralise } from "../../../core/actions/follow-up.js";
import * as students from "../../../core/students/index.js";
import ExcelJS from "exceljs";
import { app } from "../../../functions/http/app.js";
import * as tenants from "../../../core/tenants/index.js";
import { clearCache } from "../../../core/notifications/cache.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import { OTHER_SCHOOL, SCHOOL, addKids, api, setupWorld, settled, type Kid, type World } from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
let kids: Kid[];

beforeAll(async () => {
  w = await setupWorld();
  // 一年级 1班: kid 0 nobody linked, kid 1 WeChat, kid 2 web chat only, kid 3 WeChat but unfollowed, kid 4 退订.
  kids = await addKids(w.tenant, 5, {
    guardians: (i) => (i === 0 ? 0 : 1),
    web: (i) => i === 2,
    grade: () => "一年级",
    klass: () => "1班",
  });
  await addKids(w.tenant, 2, { guardians: () => 1, grade: () => "二年级", klass: () => "3班" });
  await addKids(w.tenant, 3, { guardians: () => 1, schoolId: OTHER_SCHOOL, grade: () => "六年级", klass: () => "2班" });
  await chatusers.setFollowing(w.tenant, kids[3]!.users[0]!, false);
  await chatusers.setBroadcasts(w.tenant, kids[4]!.users[0]!, false);
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
});

describe("broadcast composer: audience, count, templates, history", () => {
  it("lists only the caller's school with the grades and classes as imported", async () => {
    const res = await api(w.schoolToken, "GET", "/api/broadcasts/audience");
    expect(res.status).toBe(200);
    expect(res.body.schools.map((s: { id: string }) => s.id)).toEqual([SCHOOL]);
    expect(res.body.schools[0].grades).toEqual([
      { grade: "一年级", students: 5, classes: [{ class: "1班", students: 5 }] },
      { grade: "二年级", students: 2, classes: [{ class: "3班", students: 2 }] },
    ]);
    expect(res.body.missingTemplates).toEqual([]);
    const bureau = await api(w.bureau, "GET", "/api/broadcasts/audience");
    expect(bureau.body.schools.map((s: { id: string }) => s.id).sort()).toEqual([OTHER_SCHOOL, SCHOOL].sort());
    const other = await api(w.schoolToken, "GET", `/api/broadcasts/audience?schoolId=${OTHER_SCHOOL}`);
    expect(other.status).toBe(404);
  });

  it("counts recipients per student by channel before sending, and 404s another school's class", async () => {
    const res = await api(w.schoolToken, "POST", "/api/broadcasts/count", {
      audience: { schoolId: SCHOOL, grade: "一年级", class: "1班" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ students: 5, wechat: 1, web: 1, notLinked: 2, unsubscribed: 1 });
    expect(res.body.quietHours).toHaveProperty("window");
    // A school that writes grades and classes as numbers reaches the same pupils (stored as 一年级 / 1班).
    const numbers = await api(w.schoolToken, "POST", "/api/broadcasts/count", {
      audience: { schoolId: SCHOOL, grade: "1", class: "1" },
    });
    expect(numbers.body).toMatchObject({ students: 5, wechat: 1, web: 1, notLinked: 2, unsubscribed: 1 });
    const nobody = await api(w.schoolToken, "POST", "/api/broadcasts/count", {
      audience: { schoolId: SCHOOL, grade: "一年级", class: "9班" },
    });
    expect(nobody.body.students).toBe(0);
    const other = await api(w.schoolToken, "POST", "/api/broadcasts/count", { audience: { schoolId: OTHER_SCHOOL } });
    expect(other.status).toBe(404);
  });

  it("keeps a history of sent broadcasts with their final counts, each school seeing its own", async () => {
    const mine = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "二年级", class: "3班" },
      text: "二年级三班周五春游。",
      urgent: true,
    });
    const theirs = await api(w.otherSchoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: OTHER_SCHOOL },
      text: "河石乡中心小学放假通知。",
      urgent: true,
    });
    await settled(w.schoolToken, mine.body.broadcast.id);
    await settled(w.otherSchoolToken, theirs.body.broadcast.id);
    const history = await api(w.schoolToken, "GET", "/api/broadcasts");
    expect(history.status).toBe(200);
    expect(history.body.items.map((b: { id: string }) => b.id)).toEqual([mine.body.broadcast.id]);
    expect(history.body.items[0]).toMatchObject({
      status: "done",
      grade: "二年级",
      class: "3班",
      text: "二年级三班周五春游。",
      counts: { students: 2, reached: 2 },
    });
    const all = await api(w.bureau, "GET", "/api/broadcasts");
    expect(all.body.items.map((b: { id: string }) => b.id).sort()).toEqual(
      [mine.body.broadcast.id, theirs.body.broadcast.id].sort(),
    );
  });

  it("flags a tenant without template ids, naming what to create in the WeChat admin", async () => {
    const t = (await tenants.fromId(w.tenant))!;
    expect(missingTemplates(t)).toEqual([]);
    await tenants.put({ ...t, templates: { publicity: "tpl_publicity" } });
    clearCache();
    try {
      const settings = await api(w.bureau, "GET", "/api/tenant");
      expect(settings.body.missingTemplates.map((m: { kind: string }) => m.kind)).toEqual(["payment", "broadcast"]);
      const options = await api(w.schoolToken, "GET", "/api/broadcasts/audience");
      expect(options.body.missingTemplates).toHaveLength(1);
      expect(options.body.missingTemplates[0].advice).toContain("「学校通知」");
      expect(options.body.missingTemplates[0].advice).toContain("通知内容（thing2）");
    } finally {
      await tenants.put(t);
      clearCache();
    }
  });
});

describe("delivery follow-up", () => {
  let eventId: string;
  beforeAll(async () => {
    // A guardian whose name Excel would run as a formula.
    const s = (await students.fromId(w.tenant, kids[0]!.id))!;
    await students.upsert(w.tenant, {
      studentNo: s.studentNo,
      name: s.name,
      schoolId: s.schoolId,
      grade: s.grade,
      class: s.class,
      guardians: [{ name: '=HYPERLINK("x")', relation: "父亲", phone: "13800009876" }],
    });
    const res = await api(w.schoolToken, "POST", "/api/broadcasts", {
      audience: { schoolId: SCHOOL, grade: "一年级", class: "1班" },
      text: "一年级一班周三体检。",
      urgent: true,
    });
    eventId = res.body.broadcast.id;
    await settled(w.schoolToken, eventId);
  }, 60_000);

  it("lists the unreached with the reason in plain Chinese and, for the own school, the guardians' phones (audited)", async () => {
    const res = await api(w.schoolToken, "GET", `/api/events/${eventId}/follow-up`);
    expect(res.status).toBe(200);
    const byStudent = new Map(res.body.lines.map((l: { studentId: string }) => [l.studentId, l]));
    expect(byStudent.get(kids[0]!.id)).toMatchObject({
      reasonLabel: "家长未绑定",
      class: "1班",
      student: kids[0]!.name,
      guardians: [{ phone: "13800009876" }],
    });
    expect(byStudent.get(kids[3]!.id)).toMatchObject({ reasonLabel: "已取消关注" });
    expect(byStudent.get(kids[4]!.id)).toMatchObject({ reasonLabel: "家长已退订学校通知" });
    expect(byStudent.has(kids[1]!.id)).toBe(false);
    const trail = await audit.trail(w.tenant, kids[0]!.id);
    expect(trail.some((a) => a.action === "view_unmasked" && a.reason?.includes(eventId))).toBe(true);
  });

  it("shows the bureau no phones and another school nothing", async () => {
    const bureau = await api(w.bureau, "GET", `/api/events/${eventId}/follow-up`);
    expect(bureau.body.lines.length).toBe(3);
    expect(
      bureau.body.lines.every(
        (l: { guardians?: unknown; student: string }) => l.guardians === undefined && l.student.includes("*"),
      ),
    ).toBe(true);
    const other = await api(w.otherSchoolToken, "GET", `/api/events/${eventId}/follow-up`);
    expect(other.status).toBe(404);
  });

  it("marks a family told in person (own school only, audited) and exports the list with formulas neutralised", async () => {
    const bureau = await api(w.bureau, "POST", `/api/events/${eventId}/follow-up/${kids[0]!.id}/told`, {});
    expect(bureau.status).toBe(403);
    const res = await api(w.schoolToken, "POST", `/api/events/${eventId}/follow-up/${kids[0]!.id}/told`, {
      note: "家访",
    });
    expect(res.status).toBe(200);
    const list = await api(w.schoolToken, "GET", `/api/events/${eventId}/follow-up`);
    expect(list.body.lines.find((l: { studentId: string }) => l.studentId === kids[0]!.id).told.at).toBe(
      res.body.told.at,
    );
    expect((await audit.trail(w.tenant, kids[0]!.id)).some((a) => a.action === "told_in_person")).toBe(true);

    const file = await app.request(`/api/events/${eventId}/follow-up.xlsx`, {
      headers: { authorization: `Bearer ${w.schoolToken}` },
    });
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await file.arrayBuffer()) as never);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]).toContain("未送达原因");
    const cells = rows.flat().map(String);
    expect(cells).toContain('\'=HYPERLINK("x")（父亲）');
    expect(cells.some((c) => c.startsWith("="))).toBe(false);
    expect(neutralise("+86 138")).toBe("'+86 138");
    expect(neutralise("张三")).toBe("张三");
  });
});
