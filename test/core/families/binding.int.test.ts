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
import * as alerts from "../../../core/families/alerts.js";
import { withOrigin } from "../../../core/abuse/origin.js";
import { parseBindArgs } from "../../../core/assistant/route.js";

/** The count of a binding-limit counter (0 when absent). */
async function counter(subject: string, window = "24h"): Promise<number> {
  const out = await ddb().send(
    new GetCommand({ TableName: tableName(), Key: keys.limit(tenant, subject, window), ConsistentRead: true }),
  );
  return Number(out.Item?.count ?? 0);
}

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
    expect(
      say(await family.bind(ctx("one"), { name: "张小明", studentNo: NO.toLowerCase(), phoneLast4: "1234" })),
    ).toContain("已经绑定");
  });

  it("gives the same answer whichever part is wrong, and binds nothing", async () => {
    const wrongName = say(await family.bind(ctx("w1"), { name: "张小亮", studentNo: NO, phoneLast4: "1234" }));
    const wrongNo = say(
      await family.bind(ctx("w2"), { name: "张小明", studentNo: "G510000201401019999", phoneLast4: "1234" }),
    );
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

  it("after a status question from an unbound parent, takes the child's name said plainly as the first piece", async () => {
    const c = ctx("status-first");
    const [answer] = await family.status(c, "孩子的补助到哪一步了");
    expect(answer).toContain("绑定");
    expect(say((await family.continueBinding(c, "娃叫张小明"))!)).toContain("学籍号");
    expect(say((await family.continueBinding(c, NO))!)).toContain("后四位");
    expect(say((await family.continueBinding(c, "1234"))!)).toContain("绑定成功");
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
    for (let i = 0; i < 5; i++)
      say(await family.bind(c, { name: "张小明", studentNo: `G51000020140101100${i}`, phoneLast4: "1234" }));
    const locked = say(await family.bind(c, { name: "张小明", studentNo: NO, phoneLast4: "1234" }));
    expect(locked).toMatch(/\d{1,2}月\d{1,2}日 \d{2}:\d{2} 以后再试/);
    expect(await bindings.studentsOf(tenant, c.userKey)).toEqual([]);
    expect(say(await family.bind(c, { code: "123456789012" }))).toBe(locked);
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

  it("never locks a student: after strangers' failures the family with the right details still binds, and the school gets one alert", async () => {
    const { student } = await students.upsert(tenant, {
      studentNo: "G510000201401010077",
      name: "李小红",
      schoolId: "s1",
      grade: "1",
      class: "1",
      guardians: [{ name: "李父", relation: "父亲", phone: "13800007777" }],
    });
    const ghost = "G510000201401010078";
    for (const no of [student.studentNo, ghost]) {
      for (let i = 0; i < 15; i++)
        await family.bind(ctx(`crowd-${no}-${i}`), { name: "李小红", studentNo: no, phoneLast4: String(1000 + i) });
    }
    const real = say(
      await family.bind(ctx("real-parent"), { name: "李小红", studentNo: student.studentNo, phoneLast4: "7777" }),
    );
    expect(real).toContain("绑定成功");
    expect((await bindings.usersOf(tenant, student.id)).map((b) => b.userKey)).toEqual(["web:real-parent"]);
    const mine = (await alerts.recent(tenant)).filter(
      (a) => a.studentId === student.id || a.studentId === students.idFor(tenant, ghost),
    );
    // One alert per student when the 11th attempt in the window arrives, not one per guess; the unknown 学籍号
    // alerts the bureau the same way, without a school.
    expect(mine.map((a) => [a.kind, a.studentId, a.schoolId ?? null, a.failures]).sort()).toEqual(
      [
        ["binding_guessing", student.id, "s1", 11],
        ["binding_guessing", students.idFor(tenant, ghost), null, 11],
      ].sort(),
    );
  });

  it("charges a wrong guess on a student under attack twice, so a guesser gets fewer tries", async () => {
    const { student } = await students.upsert(tenant, {
      studentNo: "G510000201401010088",
      name: "王小兰",
      schoolId: "s1",
      grade: "1",
      class: "1",
      guardians: [{ name: "王父", relation: "父亲", phone: "13800008888" }],
    });
    for (let i = 0; i < 10; i++)
      await family.bind(ctx(`warm-${i}`), {
        name: "王小兰",
        studentNo: student.studentNo,
        phoneLast4: String(2000 + i),
      });
    const first = say(
      await family.bind(ctx("late-guesser"), { name: "王小兰", studentNo: student.studentNo, phoneLast4: "3001" }),
    );
    expect(first).toContain("今天还能试 3 次");
    const second = say(
      await family.bind(ctx("late-guesser"), { name: "王小兰", studentNo: student.studentNo, phoneLast4: "3002" }),
    );
    expect(second).toContain("今天还能试 1 次");
    // A wrong guess on a quiet student still costs one.
    expect(
      say(await family.bind(ctx("quiet-guesser"), { name: "张小明", studentNo: NO, phoneLast4: "0000" })),
    ).toContain("今天还能试 4 次");
  });

  it("counts failures per client address too: a client with 30 failures is paused for every new session, other clients are not", async () => {
    const client = "198.51.100.7";
    for (let i = 0; i < 30; i++) {
      await withOrigin({ client }, () =>
        family.bind(ctx(`cgn-${Math.floor(i / 5)}`), { name: "张小明", studentNo: NO, phoneLast4: String(4000 + i) }),
      );
    }
    const fresh = say(
      await withOrigin({ client }, () =>
        family.bind(ctx("cgn-fresh"), { name: "张小明", studentNo: NO, phoneLast4: "1234" }),
      ),
    );
    expect(fresh).toContain("以后再试");
    expect(await bindings.studentsOf(tenant, "web:cgn-fresh")).toEqual([]);
    // The refused attempt was not checked, so the new user's own budget is untouched.
    expect(await counter(`USR#web:cgn-fresh`)).toBe(0);
    const elsewhere = say(
      await withOrigin({ client: "203.0.113.9" }, () =>
        family.bind(ctx("cgn-other"), { name: "张小明", studentNo: NO, phoneLast4: "1234" }),
      ),
    );
    expect(elsewhere).toContain("绑定成功");
  });

  it("never lets parallel attempts get past the limit", async () => {
    const c = ctx("burst");
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        family.bind(c, {
          name: "张小明",
          studentNo: `G51000020140102${String(i).padStart(4, "0")}`,
          phoneLast4: "1234",
        }),
      ),
    );
    const item = await ddb().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.limit(tenant, `USR#${c.userKey}`, "24h"),
        ConsistentRead: true,
      }),
    );
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
    expect(say(await family.bind(ctx("code-3"), { code: "000000000000" }))).toBe(again);
  });

  it("issues 12-digit codes and accepts them typed in groups", async () => {
    const issued = await codes.issue(tenant, studentId, "tok_test");
    expect(issued.code).toMatch(/^\d{12}$/);
    expect(issued.display).toBe(`${issued.code.slice(0, 4)} ${issued.code.slice(4, 8)} ${issued.code.slice(8)}`);
    expect(say(await family.bind(ctx("grouped"), { code: issued.display.replace(" ", "-") }))).toContain("张*明");
  });

  it("says what a code looks like when the one given is not a code's shape, and counts no try", async () => {
    const c = ctx("letters-code");
    const codesBefore = await counter(`CODES`, "1h");
    const reply = say(await family.bind(c, parseBindArgs("绑定码 7KQ2MX")));
    expect(reply).toContain("12 位数字");
    expect(reply).toContain("不算试错次数");
    expect(await counter(`USR#${c.userKey}`)).toBe(0);
    expect(await counter(`CODES`, "1h")).toBe(codesBefore);
  });

  it("does not count a successful binding by code as a failure, nor against the county's code budget", async () => {
    const c = ctx("code-after-typo");
    // Typos on a quiet 学籍号 (one attempt each; 张小明's own is under attack by now in this file).
    await family.bind(c, { name: "张小明", studentNo: "G510000201401019991", phoneLast4: "0001" });
    await family.bind(c, { name: "张小明", studentNo: "G510000201401019992", phoneLast4: "0002" });
    const codesBefore = await counter(`CODES`, "1h");
    const { code } = await codes.issue(tenant, studentId, "tok_test");
    expect(say(await family.bind(c, { code }))).toContain("绑定成功");
    expect(await counter(`USR#${c.userKey}`)).toBe(2);
    expect(await counter(`CODES`, "1h")).toBe(codesBefore);
  });

  it("lets exactly one of two simultaneous uses win", async () => {
    const { code } = await codes.issue(tenant, studentId, "tok_test");
    await Promise.all([family.bind(ctx("race-1"), { code }), family.bind(ctx("race-2"), { code })]);
    const bound = [
      ...(await bindings.studentsOf(tenant, "web:race-1")),
      ...(await bindings.studentsOf(tenant, "web:race-2")),
    ];
    expect(bound).toHaveLength(1);
  });

  it("does not accept an expired code", async () => {
    const { code } = await codes.issue(tenant, studentId, "tok_test");
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.bindingCode(tenant, code),
        UpdateExpression: "SET expiresAt = :past",
        ExpressionAttributeValues: { ":past": nowSeconds() - 1 },
      }),
    );
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
