/**
 * The privacy lifecycle through the HTTP API against DynamoDB Local: a family erases its own data from the web chat
 * (注销 → 确认注销), and a school deletes a student's personal data with a reason (docs/privacy.md).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ddb, nowSeconds, queryAll, tableName, TTL } from "../../../core/db/client.js";
import * as inbox from "../../../core/channels/web/inbox.js";
import { keys } from "../../../core/db/keys.js";
import * as audit from "../../../core/audit/index.js";
import * as bindings from "../../../core/families/bindings.js";
import * as handoffs from "../../../core/families/handoffs.js";
import { app } from "../../../functions/http/app.js";
import { call, county, studentRow, type Json } from "./api/support.js";

let c: Awaited<ReturnType<typeof county>>;
let ip = 0;

beforeAll(async () => {
  c = await county();
});

/** One web-chat message; each test uses its own client address so the rate limits of one never touch another. */
async function say(text: string, session?: string, from = `198.51.100.${++ip}`) {
  const res = await app.request(
    `/chat/${c.tenant}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, ...(session ? { session } : {}) }),
    },
    { incoming: { socket: { remoteAddress: from } } },
  );
  const body = (await res.json()) as Json;
  return {
    status: res.status,
    session: body.session as string,
    text: ((body.replies ?? []) as Json[]).map((r) => r.text).join("\n"),
  };
}

async function addStudent(no: string, name: string, school = "a1"): Promise<string> {
  const r = await call(c.tokens.bureau, "POST", "/api/students", { students: [studentRow(no, name, school)] });
  return r.body.rows[0].studentId as string;
}

async function itemsOfUser(userKey: string) {
  return queryAll<Json>({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.chatUser(c.tenant, userKey).pk },
  });
}

describe("a family erases its own data (注销)", () => {
  it("explains what goes and what stays, and changes nothing until 「确认注销」", async () => {
    const studentId = await addStudent("G510000201601018001", "周小雨");
    const first = await say("绑定 周小雨 G510000201601018001 5678");
    expect(first.text).toMatch(/绑定成功|已绑定/);
    const [binding] = await bindings.usersOf(c.tenant, studentId);
    expect(binding).toBeDefined();

    const asked = await say("注销", first.session);
    expect(asked.text).toContain("您绑定的孩子（1 个）");
    expect(asked.text).toContain("由学校和县资助中心依规保存");
    expect(asked.text).toContain("请回复「确认注销」");
    expect(await bindings.usersOf(c.tenant, studentId)).toHaveLength(1);
  });

  it("on 「确认注销」 deletes the bindings, sessions, memory, inbox and handoff messages, and audits it by reference", async () => {
    const studentId = await addStudent("G510000201601018002", "吴小风");
    const bound = await say("绑定 吴小风 G510000201601018002 5678");
    const session = bound.session;
    await say("孩子的申请到哪一步了", session);
    await say("寄宿生生活补助一年多少钱", session);
    await say("我要找人工，电话 139 1234 5678", session);
    const userKey = (await bindings.usersOf(c.tenant, studentId))[0]!.userKey;
    const ref = handoffs.userRef(c.tenant, userKey);
    expect((await itemsOfUser(userKey)).map((i) => i.sk)).toContain("SESSION#TOPIC");
    expect((await handoffs.list(c.tenant)).items.some((h) => h.userRef === ref)).toBe(true);

    const done = await say("确认注销", session);
    expect(done.status).toBe(200);
    expect(done.text).toMatch(/^已注销：您的绑定（1 个孩子）/);

    expect(await bindings.usersOf(c.tenant, studentId)).toEqual([]);
    expect(await bindings.studentsOf(c.tenant, userKey)).toEqual([]);
    expect(await itemsOfUser(userKey)).toEqual([]);
    expect((await handoffs.list(c.tenant)).items.some((h) => h.userRef === ref)).toBe(false);
    const trail = await audit.trail(c.tenant, ref);
    expect(trail.map((a) => a.action)).toEqual(["erased_on_request"]);
    expect(JSON.stringify(trail)).not.toContain(userKey);

    // The same session now knows no child; the student's own record is untouched.
    const after = await say("孩子的申请到哪一步了", session);
    expect(after.text).not.toContain("吴");
    expect((await call(c.tokens.a1, "GET", `/api/students/${studentId}`)).status).toBe(200);
  });

  it("leaves a question about 注销 to the assistant", async () => {
    const r = await say("银行卡注销了怎么办");
    expect(r.text).not.toContain("确认注销");
  });
});

describe("a school deletes a student (POST /api/students/{id}/erase)", () => {
  it("needs a reason and the student in scope (another school's answers 404 like a missing one)", async () => {
    const studentId = await addStudent("G510000201601018003", "郑小山");
    const noReason = await call(c.tokens.a1, "POST", `/api/students/${studentId}/erase`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/原因/);
    const short = await call(c.tokens.a1, "POST", `/api/students/${studentId}/erase`, { reason: "删" });
    expect(short.body.error.message).toMatch(/请写明删除原因/);
    const other = await call(c.tokens.b1, "POST", `/api/students/${studentId}/erase`, { reason: "转学离开本县" });
    const missing = await call(c.tokens.b1, "POST", `/api/students/stu_0000000000000000/erase`, {
      reason: "转学离开本县",
    });
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe(missing.body.error.message);
    const township = await call(c.tokens.chengguan, "POST", `/api/students/${studentId}/erase`, {
      reason: "转学离开本县",
    });
    expect(township.status).toBe(403);
    expect((await call(c.tokens.a1, "GET", `/api/students/${studentId}`)).status).toBe(200);
  });

  it("deletes the profile and the family's binding, keeps the application de-identified, and audits who and why", async () => {
    const studentId = await addStudent("G510000201601018004", "冯小河");
    const bound = await say("绑定 冯小河 G510000201601018004 5678");
    expect(await bindings.usersOf(c.tenant, studentId)).toHaveLength(1);
    const app1 = await call(c.tokens.a1, "POST", "/api/applications", {
      studentId,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 625,
    });
    expect(app1.status).toBe(201);
    const appId = app1.body.application.id as string;

    const r = await call(c.tokens.a1, "POST", `/api/students/${studentId}/erase`, { reason: "重复录入" });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ studentId, bindingsRemoved: 1 });

    expect((await call(c.tokens.a1, "GET", `/api/students/${studentId}`)).status).toBe(404);
    const list = await call(c.tokens.a1, "GET", "/api/students?schoolId=a1");
    expect((list.body.items as Json[]).some((s) => s.id === studentId)).toBe(false);
    expect(await bindings.usersOf(c.tenant, studentId)).toEqual([]);
    const kept = await call(c.tokens.bureau, "GET", `/api/applications/${appId}`);
    expect(JSON.stringify(kept.body)).not.toMatch(/冯小河|G510000201601018004|13912345678/);
    const trail = await audit.trail(c.tenant, studentId);
    expect(trail.at(-1)).toMatchObject({ action: "student_deleted", reason: "重复录入" });
    expect(trail.at(-1)!.actor.id).toMatch(/^tok_/);

    const status = await say("孩子的申请到哪一步了", bound.session);
    expect(status.text).not.toContain("冯");
    const again = await call(c.tokens.a1, "POST", `/api/students/${studentId}/erase`, { reason: "重复录入" });
    expect(again.status).toBe(404);
  });
});

describe("retention", () => {
  it("stops showing a handoff message or an inbox item once its time is up, before DynamoDB deletes it", async () => {
    const h = await handoffs.record(c.tenant, "web:retention-test", "想问问补助的事", []);
    await inbox.push(c.tenant, "web:retention-test", {
      id: "ntf_retention0000001",
      eventId: "evt_retention000001",
      kind: "broadcast",
      at: new Date().toISOString(),
      text: "测试通知",
    });
    expect((await handoffs.list(c.tenant)).items.some((i) => i.id === h.id)).toBe(true);
    expect((await inbox.read(c.tenant, "web:retention-test")).items).toHaveLength(1);
    const expire = (key: { pk: string; sk: string }) =>
      ddb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: "SET #t = :t",
          ExpressionAttributeNames: { "#t": TTL },
          ExpressionAttributeValues: { ":t": nowSeconds() - 1 },
        }),
      );
    await expire(keys.handoff(c.tenant, h.at, h.id));
    for (const item of await itemsOfUser("web:retention-test")) await expire({ pk: item.pk, sk: item.sk });
    expect((await handoffs.list(c.tenant)).items.some((i) => i.id === h.id)).toBe(false);
    expect((await inbox.read(c.tenant, "web:retention-test")).items).toEqual([]);
  });
});
