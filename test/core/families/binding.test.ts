import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { ddb, nowSeconds, tableName } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import * as bindings from "../../../core/families/bindings.js";
import * as codes from "../../../core/families/codes.js";
import { createFamily } from "../../../core/families/port.js";
import { containsUnmaskedPersonalData } from "../../../core/mask.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { createTenant } from "../../support/stack.js";

const family = createFamily();
let tenant: string;
let studentId: string;
const NO = "G510000201401010001";
const ctx = (user: string) => ({ tenant, userKey: `web:${user}`, channel: "web" as const });
const said: string[] = [];
const say = (t: string) => (said.push(t), t);

beforeAll(async () => {
  tenant = (await createTenant()).id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  const { student } = await students.upsert(tenant, {
    studentNo: NO,
    name: "张小明",
    schoolId: "s1",
    grade: "3",
    class: "2",
    guardians: [
      { name: "张大山", relation: "父亲", phone: "13800001234" },
      { name: "李秀英", relation: "母亲", phone: "13900005678" },
    ],
  });
  studentId = student.id;
});

describe("binding with name, 学籍号 and phone digits", () => {
  it("binds with the details in one message and confirms with the masked name and the school", async () => {
    const reply = say(await family.bind(ctx("one"), { name: "张小明", studentNo: NO, phoneLast4: "5678" }));
    expect(reply).toContain("张*明");
    expect(reply).toContain("向阳小学");
    expect(reply).not.toContain("张小明");
    expect((await bindings.studentsOf(tenant, "web:one")).map((b) => b.studentId)).toEqual([studentId]);
    expect(say(await family.bind(ctx("one"), { name: "张小明", studentNo: NO.toLowerCase(), phoneLast4: "1234" }))).toContain("已经绑定");
  });

  it("gives the same answer whichever part is wrong, and binds nothing", async () => {
    const wrongName = say(await family.bind(ctx("w1"), { name: "张小亮", studentNo: NO, phoneLast4: "1234" }));
    const wrongNo = say(await family.bind(ctx("w2"), { name: "张小明", studentNo: "G510000201401019999", phoneLast4: "1234" }));
    const wrongPhone = say(await family.bind(ctx("w3"), { name: "张小明", studentNo: NO, phoneLast4: "0000" }));
    const badNo = say(await family.bind(ctx("w4"), { name: "张小明", studentNo: "12", phoneLast4: "1234" }));
    expect(new Set([wrongName, wrongNo, wrongPhone, badNo]).size).toBe(1);
    for (const u of ["w1", "w2", "w3", "w4"]) expect(await bindings.studentsOf(tenant, `web:${u}`)).toEqual([]);
  });

  it("asks step by step for what is missing and binds when the last piece arrives", async () => {
    const c = ctx("steps");
    expect(say(await family.bind(c, {}))).toContain("姓名");
    expect(await family.continueBinding(c, "请问补助什么时候发")).toBeUndefined();
    expect(say((await family.continueBinding(c, "张小明"))!)).toContain("学籍号");
    expect(say((await family.continueBinding(c, NO))!)).toContain("后四位");
    expect(say((await family.continueBinding(c, "1234"))!)).toContain("绑定成功");
    expect(await family.continueBinding(c, "1234")).toBeUndefined();
  });

  it("merges pieces sent with 绑定 across messages, and 取消 ends the flow", async () => {
    const c = ctx("pieces");
    expect(say(await family.bind(c, { name: "张小明" }))).toContain("学籍号");
    expect(say(await family.bind(c, { studentNo: NO }))).toContain("后四位");
    expect(say((await family.continueBinding(c, "取消"))!)).toContain("取消");
    expect(await family.continueBinding(c, "1234")).toBeUndefined();
    expect(await bindings.studentsOf(tenant, c.userKey)).toEqual([]);
  });
});

describe("binding attempt limits", () => {
  it("locks a chat user after 5 failures in 24 hours, says when to retry, and refuses even correct details", async () => {
    const c = ctx("guesser");
    for (let i = 0; i < 5; i++) say(await family.bind(c, { name: "张小明", studentNo: `G51000020140101100${i}`, phoneLast4: "1234" }));
    const locked = say(await family.bind(c, { name: "张小明", studentNo: NO, phoneLast4: "1234" }));
    expect(locked).toMatch(/\d{1,2}月\d{1,2}日 \d{2}:\d{2} 以后再试/);
    expect(await bindings.studentsOf(tenant, c.userKey)).toEqual([]);
    expect(say(await family.bind(c, { code: "123456" }))).toBe(locked);
  });

  it("opens again once the 24-hour window has passed", async () => {
    const c = ctx("guesser");
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.limit(tenant, `USR#${c.userKey}`, "24h"),
        UpdateExpression: "SET expiresAt = :past",
        ExpressionAttributeValues: { ":past": nowSeconds() - 1 },
      }),
    );
    expect(say(await family.bind(c, { name: "张小明", studentNo: NO, phoneLast4: "1234" }))).toContain("绑定成功");
  });

  it("does not count successful bindings as failures", async () => {
    const c = ctx("careful");
    for (let i = 0; i < 4; i++) await family.bind(c, { name: "张小明", studentNo: NO, phoneLast4: "9999" });
    expect(say(await family.bind(c, { name: "张小明", studentNo: NO, phoneLast4: "1234" }))).toContain("绑定成功");
    await family.unbind(c);
    expect(say(await family.bind(c, { name: "张小明", studentNo: NO, phoneLast4: "1234" }))).toContain("绑定成功");
  });

  it("locks a student after 10 failures from any users, the same way for a 学籍号 that does not exist", async () => {
    const { student } = await students.upsert(tenant, { studentNo: "G510000201401010077", name: "李小红", schoolId: "s1", grade: "1", class: "1", guardians: [{ name: "李父", relation: "父亲", phone: "13800007777" }] });
    const ghost = "G510000201401010078";
    for (const no of [student.studentNo, ghost]) {
      for (let i = 0; i < 10; i++) await family.bind(ctx(`crowd-${no}-${Math.floor(i / 4)}`), { name: "李小绿", studentNo: no, phoneLast4: "7777" });
    }
    const real = say(await family.bind(ctx("real-parent"), { name: "李小红", studentNo: student.studentNo, phoneLast4: "7777" }));
    const fake = say(await family.bind(ctx("real-parent-2"), { name: "李小红", studentNo: ghost, phoneLast4: "7777" }));
    expect(real).toContain("以后再试");
    expect(fake.replace(/\d+月\d+日 \d+:\d+/, "")).toBe(real.replace(/\d+月\d+日 \d+:\d+/, ""));
    expect(await bindings.usersOf(tenant, student.id)).toEqual([]);
    // The parent was refused without a check: their own budget is untouched.
    expect(say(await family.bind(ctx("real-parent"), { name: "张小明", studentNo: NO, phoneLast4: "1234" }))).toContain("绑定成功");
  });

  it("never lets parallel attempts get past the limit", async () => {
    const c = ctx("burst");
    await Promise.all(Array.from({ length: 12 }, (_, i) => family.bind(c, { name: "张小明", studentNo: `G51000020140102${String(i).padStart(4, "0")}`, phoneLast4: "1234" })));
    const item = await ddb().send(new GetCommand({ TableName: tableName(), Key: keys.limit(tenant, `USR#${c.userKey}`, "24h"), ConsistentRead: true }));
    expect(item.Item?.count).toBe(5);
  });
});

describe("binding with a one-time code", () => {
  it("binds once; the same code then fails for everyone", async () => {
    const { code } = await codes.issue(tenant, studentId, "tok_test");
    expect(say(await family.bind(ctx("code-1"), { code }))).toContain("张*明");
    const again = say(await family.bind(ctx("code-2"), { code }));
    expect(again).toContain("绑定码用不了");
    expect(await bindings.studentsOf(tenant, "web:code-2")).toEqual([]);
    expect(say(await family.bind(ctx("code-3"), { code: "000000" }))).toBe(again);
  });

  it("lets exactly one of two simultaneous uses win", async () => {
    const { code } = await codes.issue(tenant, studentId, "tok_test");
    await Promise.all([family.bind(ctx("race-1"), { code }), family.bind(ctx("race-2"), { code })]);
    const bound = [...(await bindings.studentsOf(tenant, "web:race-1")), ...(await bindings.studentsOf(tenant, "web:race-2"))];
    expect(bound).toHaveLength(1);
  });

  it("does not accept an expired code", async () => {
    const { code } = await codes.issue(tenant, studentId, "tok_test");
    await ddb().send(new UpdateCommand({ TableName: tableName(), Key: keys.bindingCode(tenant, code), UpdateExpression: "SET expiresAt = :past", ExpressionAttributeValues: { ":past": nowSeconds() - 1 } }));
    expect(say(await family.bind(ctx("late"), { code }))).toContain("绑定码用不了");
  });
});

describe("what binding replies say", () => {
  it("never contains an unmasked 学籍号, ID number, phone or account", () => {
    expect(said.length).toBeGreaterThan(20);
    for (const t of said) {
      expect(containsUnmaskedPersonalData(t), t).toBe(false);
      expect(t).not.toContain(NO);
      expect(t).not.toMatch(/13800001234|13900005678/);
    }
  });
});
