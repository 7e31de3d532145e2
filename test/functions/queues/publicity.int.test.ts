import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import * as audit from "../../../core/audit/index.js";
import * as chatusers from "../../../core/chatusers/index.js";
import { notificationOutcomes } from "../../../core/notifications/index.js";
import { recordTemplateResult } from "../../../core/channels/wechat/template-results.js";
import * as inbox from "../../../core/channels/web/inbox.js";
import { containsUnmaskedPersonalData, maskName } from "../../../core/mask.js";
import { startQueueRunner, type Runner } from "../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../functions/queues/fanout.js";
import {
  OTHER_SCHOOL,
  SCHOOL,
  TEMPLATES,
  addKids,
  api,
  notificationsOf,
  sendsByUser,
  settled,
  setupWorld,
  type Kid,
  type World,
} from "./support.js";

let w: Omit<World, "kids">;
let runner: Runner;
let kids: Kid[];
let listId: string;
let listRequest: Record<string, unknown>;

const term = "2025-autumn";
const publicity = { start: "2025-11-01", end: "2025-11-07" };
// 30 students: every 5th has no guardian, every 3rd has two; #1 reads the web chat.
const guardians = (i: number) => (i % 5 === 0 ? 0 : i % 3 === 0 ? 2 : 1);

beforeAll(async () => {
  w = await setupWorld();
  kids = await addKids(w.tenant, 30, {
    guardians,
    web: (i) => i === 1,
    application: { programme: "compulsory_living", term, stage: "county_approved", amountFen: 62500 },
  });
  // 退订 turns off school broadcasts only.
  await chatusers.setBroadcasts(w.tenant, kids[4]!.users[0]!, false);
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  await w?.fake.stop();
});

describe("publishing a 公示 list end to end", () => {
  it("moves only county_approved applications, reporting the others per id", async () => {
    const notReady = await addKids(w.tenant, 1, {
      guardians: () => 1,
      application: { programme: "compulsory_living", term, stage: "school_approved", amountFen: 62500 },
    });
    const elsewhere = await addKids(w.tenant, 1, {
      guardians: () => 1,
      schoolId: OTHER_SCHOOL,
      application: { programme: "compulsory_living", term, stage: "county_approved", amountFen: 62500 },
    });
    const ids = [...kids.map((k) => k.appId!), notReady[0]!.appId!, elsewhere[0]!.appId!, "app_doesnotexist0000"];
    listRequest = {
      programme: "compulsory_living",
      term,
      scope: { kind: "school", schoolId: SCHOOL },
      applicationIds: ids,
      publicity,
      objectionContact: "向阳小学资助办 0000-1234567",
    };
    const res = await api(w.bureau, "POST", "/api/lists", listRequest);
    expect(res.status).toBe(201);
    expect(res.body.moved).toBe(30);
    const codes = Object.fromEntries(
      res.body.refused.map((r: { applicationId: string; code: string }) => [r.applicationId, r.code]),
    );
    expect(codes).toEqual({
      [notReady[0]!.appId!]: "wrong_stage",
      [elsewhere[0]!.appId!]: "out_of_scope",
      app_doesnotexist0000: "not_found",
    });
    // What staff read about each refused application is Chinese and says why.
    const said = Object.fromEntries(
      res.body.refused.map((r: { applicationId: string; message: string }) => [r.applicationId, r.message]),
    );
    expect(said[notReady[0]!.appId!]).toMatch(/^这份申请现在是“.+”，只有“县级审核通过”的才能列入公示$/);
    expect(said[elsewhere[0]!.appId!]).toBe("学生不在这次公示的学校");
    listId = res.body.list.id;

    const moved = await applications.fromId(w.tenant, kids[0]!.appId!);
    expect(moved?.stage).toBe("publicizing");
    expect(moved?.publicity?.listId).toBe(listId);
    const trail = await audit.trail(w.tenant, kids[0]!.appId!);
    expect(trail.at(-1)).toMatchObject({ from: "county_approved", to: "publicizing", actor: { role: "bureau" } });
    expect((await applications.fromId(w.tenant, notReady[0]!.appId!))?.stage).toBe("school_approved");
  });

  it("sends every bound guardian exactly one message and reports the unreachable students", async () => {
    const report = await settled(w.bureau, listId);
    const wechatUsers = kids.flatMap((k) => k.users).filter((u) => u.startsWith("wechat:"));
    const sends = sendsByUser(w.fake);
    expect(sends.size).toBe(wechatUsers.length);
    for (const u of wechatUsers) expect(sends.get(u.slice("wechat:".length))).toHaveLength(1);

    const unreachable = kids.filter((k) => k.users.length === 0);
    expect(report.counts).toMatchObject({
      sent: wechatUsers.length,
      delivered: 1,
      unreachable: unreachable.length,
      failed: 0,
      queued: 0,
      held: 0,
    });
    expect(report.students).toBe(30);
    expect(report.unreached.total).toBe(unreachable.length);
    expect(report.unreached.students.map((s: { student: string }) => s.student).sort()).toEqual(
      unreachable.map((k) => maskName(k.name)).sort(),
    );
    expect(report.unreached.students[0]).toMatchObject({
      school: "向阳小学",
      grade: "三年级",
      class: "2班",
      reason: "no_guardian",
    });
  }, 120_000); // waits for the queue workers: generous on a loaded machine (a hang guard, not a timing check)

  it("still tells a family that sent 退订 about its own child's 公示", () => {
    expect(sendsByUser(w.fake).get(kids[4]!.users[0]!.slice(7))).toHaveLength(1);
  });

  it("names only the recipient's own child, masked, and uses the publicity template within WeChat's limits", () => {
    for (const kid of kids) {
      for (const u of kid.users.filter((x) => x.startsWith("wechat:"))) {
        const [msg] = sendsByUser(w.fake).get(u.slice(7)) ?? [];
        expect(msg?.template_id).toBe(TEMPLATES.publicity);
        expect(msg?.client_msg_id).toMatch(/^ntf_/);
        const values = Object.values(msg?.data ?? {}).map((d) => d.value);
        expect(values).toContain(maskName(kid.name));
        for (const other of kids)
          if (other.id !== kid.id && maskName(other.name) !== maskName(kid.name))
            expect(values.join()).not.toContain(maskName(other.name));
        for (const v of values) {
          expect([...v].length).toBeLessThanOrEqual(20);
          expect(v).not.toMatch(/\n/);
          expect(v).not.toContain(kid.name);
        }
      }
    }
  });

  it("puts the notice in the web-chat inbox of a web user", async () => {
    const kid = kids[1]!;
    const { items, cursor } = await inbox.read(w.tenant, kid.users[0]!);
    expect(items).toHaveLength(1);
    expect(items[0]?.text).toContain(maskName(kid.name));
    expect(items[0]?.text).toContain("公示");
    expect(containsUnmaskedPersonalData(items[0]!.text)).toBe(false);
    expect((await inbox.read(w.tenant, kid.users[0]!, cursor)).items).toHaveLength(0);
  });

  it("records TEMPLATESENDJOBFINISH results by msgid, once", async () => {
    const all = await notificationsOf(w.tenant, listId);
    expect(all.filter((n) => n.status === "sent").length).toBeGreaterThan(2);
    const sent = w.fake.sends.filter((s) => s.msgid !== undefined);
    expect(await recordTemplateResult(notificationOutcomes, w.tenant, String(sent[0]!.msgid), "success")).toBe(true);
    expect(
      await recordTemplateResult(notificationOutcomes, w.tenant, String(sent[1]!.msgid), "failed:user block"),
    ).toBe(true);
    expect(await recordTemplateResult(notificationOutcomes, w.tenant, String(sent[0]!.msgid), "success")).toBe(false);
    const report = (await api(w.bureau, "GET", `/api/events/${listId}/deliveries`)).body;
    expect(report.counts.delivered).toBe(2);
    expect(report.counts.failed).toBe(1);
  });

  it("re-sending the same list changes and sends nothing; a list of already-listed applications is refused", async () => {
    const before = w.fake.sends.length;
    const trail = (await audit.trail(w.tenant, kids[0]!.appId!)).length;
    const again = await api(w.bureau, "POST", "/api/lists", listRequest);
    expect(again.status).toBe(200);
    expect(again.body.list.id).toBe(listId);
    expect(again.body.moved).toBe(30);
    expect(again.body.refused).toHaveLength(3);

    const other = await api(w.bureau, "POST", "/api/lists", {
      ...listRequest,
      applicationIds: kids.map((k) => k.appId!),
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("nothing_to_list");
    expect(other.body.error.details).toHaveLength(30);

    await settled(w.bureau, listId);
    await runner.idle();
    expect(w.fake.sends.length).toBe(before);
    expect((await audit.trail(w.tenant, kids[0]!.appId!)).length).toBe(trail);
  }, 120_000); // waits for the queue workers: generous on a loaded machine (a hang guard, not a timing check)

  it("keeps the report inside the token's scope: the list's school sees it, another school gets 404", async () => {
    expect((await api(w.schoolToken, "GET", `/api/events/${listId}/deliveries`)).status).toBe(200);
    const other = await api(w.otherSchoolToken, "GET", `/api/events/${listId}/deliveries`);
    expect(other.status).toBe(404);
    const missing = await api(w.otherSchoolToken, "GET", `/api/events/evt_0000000000000000/deliveries`);
    expect(missing.body).toMatchObject({ error: { code: other.body.error.code, message: other.body.error.message } });
  });

  it("refuses lists from a school token", async () => {
    const res = await api(w.schoolToken, "POST", "/api/lists", {
      programme: "compulsory_living",
      term,
      scope: { kind: "school", schoolId: SCHOOL },
      applicationIds: [kids[0]!.appId!],
      publicity,
      objectionContact: "向阳小学资助办",
    });
    expect(res.status).toBe(403);
  });

  it("closes the list after its period: no objection → approved, objections stay", async () => {
    await applications.transition(w.tenant, kids[2]!.appId!, {
      to: "objected",
      reason: "家长反映情况有变",
      actor: { id: "tok_x", role: "school" },
      level: "school",
    });
    const res = await api(w.bureau, "POST", `/api/lists/${listId}/close`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ approved: 29, objected: [kids[2]!.appId!], other: 0 });
    expect((await applications.fromId(w.tenant, kids[0]!.appId!))?.stage).toBe("approved");
    expect((await applications.fromId(w.tenant, kids[2]!.appId!))?.stage).toBe("objected");
    const again = await api(w.bureau, "POST", `/api/lists/${listId}/close`);
    expect(again.body).toMatchObject({ approved: 29, other: 0 });
    expect((await audit.trail(w.tenant, kids[0]!.appId!)).filter((r) => r.to === "approved")).toHaveLength(1);
  });

  it("will not close a list whose period is still running", async () => {
    const more = await addKids(w.tenant, 1, {
      guardians: () => 0,
      application: { programme: "compulsory_living", term, stage: "county_approved", amountFen: 62500 },
    });
    const res = await api(w.bureau, "POST", "/api/lists", {
      programme: "compulsory_living",
      term,
      scope: { kind: "school", schoolId: SCHOOL },
      applicationIds: [more[0]!.appId!],
      publicity: { start: "2025-11-01", end: "2999-12-31" },
      objectionContact: "向阳小学资助办",
    });
    expect(res.status).toBe(201);
    const close = await api(w.bureau, "POST", `/api/lists/${res.body.list.id}/close`);
    expect(close.status).toBe(409);
    expect(close.body.error.code).toBe("publicity_not_over");
  });

  it("publishes a long list (read through the indexes) the same way", async () => {
    const many = await addKids(w.tenant, 110, {
      guardians: () => 0,
      grade: (i) => String((i % 6) + 1),
      application: { programme: "senior_grant", term, stage: "county_approved", amountFen: 100000 },
    });
    const res = await api(w.bureau, "POST", "/api/lists", {
      programme: "senior_grant",
      term,
      scope: { kind: "school", schoolId: SCHOOL },
      applicationIds: [...many.map((k) => k.appId!), kids[0]!.appId!],
      publicity,
      objectionContact: "向阳小学资助办",
    });
    expect(res.status).toBe(201);
    expect(res.body.moved).toBe(110);
    expect(res.body.refused).toEqual([
      expect.objectContaining({ applicationId: kids[0]!.appId!, code: "wrong_programme_or_term" }),
    ]);
    const report = await settled(w.bureau, res.body.list.id, 60_000);
    expect(report.counts.unreachable).toBe(110);
    expect(report.unreached.students.map((s: { student: string }) => s.student).sort()).toEqual(
      many.map((k) => maskName(k.name)).sort(),
    );
    expect(new Set(report.unreached.students.map((s: { grade: string }) => s.grade))).toEqual(
      new Set(["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]),
    );
  }, 90_000);

  it("documents its routes in the OpenAPI document", async () => {
    const res = await api("", "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    for (const p of [
      "/api/lists",
      "/api/lists/{id}/close",
      "/api/payments",
      "/api/broadcasts",
      "/api/events/{id}/deliveries",
    ])
      expect(Object.keys(res.body.paths)).toContain(p);
    expect(Object.keys(res.body.paths["/api/payments"].post.requestBody.content)).toEqual([
      "application/json",
      "text/csv",
      "application/octet-stream",
    ]);
  });
});
