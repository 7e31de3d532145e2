import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chatusers from "../../../core/chatusers/index.js";
import { missingTemplates } from "../../../core/notifications/compose.js";
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
  kids = await addKids(w.tenant, 5, { guardians: (i) => (i === 0 ? 0 : 1), web: (i) => i === 2, grade: () => "一年级", klass: () => "1班" });
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
    const res = await api(w.schoolToken, "POST", "/api/broadcasts/count", { audience: { schoolId: SCHOOL, grade: "一年级", class: "1班" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ students: 5, wechat: 1, web: 1, notLinked: 2, unsubscribed: 1 });
    expect(res.body.quietHours).toHaveProperty("window");
    const wrong = await api(w.schoolToken, "POST", "/api/broadcasts/count", { audience: { schoolId: SCHOOL, grade: "1", class: "1" } });
    expect(wrong.body.students).toBe(0);
    const other = await api(w.schoolToken, "POST", "/api/broadcasts/count", { audience: { schoolId: OTHER_SCHOOL } });
    expect(other.status).toBe(404);
  });

  it("keeps a history of sent broadcasts with their final counts, each school seeing its own", async () => {
    const mine = await api(w.schoolToken, "POST", "/api/broadcasts", { audience: { schoolId: SCHOOL, grade: "二年级", class: "3班" }, text: "二年级三班周五春游。", urgent: true });
    const theirs = await api(w.otherSchoolToken, "POST", "/api/broadcasts", { audience: { schoolId: OTHER_SCHOOL }, text: "河石乡中心小学放假通知。", urgent: true });
    await settled(w.schoolToken, mine.body.broadcast.id);
    await settled(w.otherSchoolToken, theirs.body.broadcast.id);
    const history = await api(w.schoolToken, "GET", "/api/broadcasts");
    expect(history.status).toBe(200);
    expect(history.body.items.map((b: { id: string }) => b.id)).toEqual([mine.body.broadcast.id]);
    expect(history.body.items[0]).toMatchObject({ status: "done", grade: "二年级", class: "3班", text: "二年级三班周五春游。", counts: { students: 2, reached: 2 } });
    const all = await api(w.bureau, "GET", "/api/broadcasts");
    expect(all.body.items.map((b: { id: string }) => b.id).sort()).toEqual([mine.body.broadcast.id, theirs.body.broadcast.id].sort());
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
