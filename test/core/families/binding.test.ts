/**
 * Proving a family's link to a child, against the in-memory table (test/support/fake-table.ts): what counts as the
 * right details (name, 学籍号, exactly four phone digits), the budgets a failure costs and a success gives back, the
 * per-student threshold that slows strangers and alerts the school but never keeps the real family out, and codes.
 * The same verbs run against DynamoDB Local in test/core/families/binding.int.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bindWithCode, bindWithDetails } from "../../../core/families/binding.js";
import { CODE_TTL_SECONDS, consume, issue, release } from "../../../core/families/codes.js";
import { importItems, type StudentInfo } from "../../../core/students/index.js";
import { family } from "../../../prompts/family.js";
import { fakeTable, type FakeTable } from "../../support/fake-table.js";

const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const start = T0 / 1000;
const DAY = 24 * 3600;
let table: FakeTable;
let li: StudentInfo;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  table = fakeTable();
  const { items, students } = importItems("demo", [
    {
      studentNo: "G510101201201011234",
      name: "李四",
      schoolId: "s01",
      grade: "五年级",
      class: "2班",
      guardians: [
        { name: "李大山", relation: "父亲", phone: "13800001234" },
        { name: "王小花", relation: "母亲", phone: "139 0000 5678" },
      ],
    },
    {
      studentNo: "G510101201201015555",
      name: "阿依·买买提",
      schoolId: "s02",
      grade: "七年级",
      class: "1班",
      guardians: [{ name: "买买提", relation: "父亲", phone: "13700007777" }],
    },
  ]);
  for (const item of items) table.put(item);
  li = students[0]!;
});
afterEach(() => {
  table.restore();
  vi.useRealTimers();
});

const right = { name: "李四", studentNo: "G510101201201011234", phoneLast4: "1234" };
const wrong = { ...right, phoneLast4: "0000" };
const IP = "203.0.113.7";

/** The stored count of a limit subject ("USR#web:u1", "STU#stu_…", "CODES"); 0 when none. */
function used(subject: string): number {
  const found = [...table.items.values()].find((i) => String(i.pk).endsWith(`#LIMIT#${subject}`));
  return Number(found?.count ?? 0);
}
const alerts = () => [...table.items.values()].filter((i) => i.type === "alert");
const bindingsOf = (userKey: string) =>
  [...table.items.values()].filter((i) => i.type === "binding" && i.userKey === userKey);

describe("bindWithDetails", () => {
  it("binds with the child's name, 学籍号 and the last four digits of either registered guardian phone", async () => {
    const out = await bindWithDetails("demo", "web:u1", right, IP);
    expect(out).toMatchObject({ kind: "bound", created: true, student: { id: li.id, name: "李四" } });
    expect(await bindWithDetails("demo", "web:u2", { ...right, phoneLast4: "5678" }, IP)).toMatchObject({
      kind: "bound",
      created: true,
    });
    expect(bindingsOf("web:u1")).toMatchObject([{ studentId: li.id, method: "name_no_phone" }]);
    expect(await bindWithDetails("demo", "web:u1", right, IP)).toMatchObject({ kind: "bound", created: false });
  });

  it("reads names without spaces or the middle dot, a lower-case 学籍号 and digits typed with dashes", async () => {
    const ayi = { name: "阿依 买买提", studentNo: "g510101201201015555", phoneLast4: "7-7-7-7" };
    expect(await bindWithDetails("demo", "web:u1", ayi, IP)).toMatchObject({ kind: "bound" });
    expect(await bindWithDetails("demo", "web:u2", { ...ayi, name: "阿依·买买提" }, IP)).toMatchObject({
      kind: "bound",
    });
    expect(await bindWithDetails("demo", "web:u3", { ...right, name: "李 四" }, IP)).toMatchObject({
      kind: "bound",
    });
  });

  it("needs exactly four phone digits: three, five or the whole number do not bind", async () => {
    for (const phoneLast4 of ["234", "01234", "13800001234", "", "abcd"])
      expect(await bindWithDetails("demo", "web:u1", { ...right, phoneLast4 }, undefined)).toEqual({
        kind: "failed",
        left: expect.any(Number),
      });
    expect(bindingsOf("web:u1")).toEqual([]);
  });

  it("does not bind with another child's name, an empty name or a 学籍号 of no student", async () => {
    for (const d of [
      { ...right, name: "李五" },
      { ...right, name: " · " },
      { ...right, studentNo: "G510101201201019999" },
      { ...right, studentNo: "学籍号" },
    ])
      expect((await bindWithDetails("demo", "web:u1", d, undefined)).kind).toBe("failed");
    expect(bindingsOf("web:u1")).toEqual([]);
  });

  it("counts a user's tries down 4, 3, 2, 1, 0 and then locks for a day, as '今天还能试 N 次' tells them", async () => {
    const left = [];
    for (let i = 0; i < 5; i++) {
      const out = await bindWithDetails("demo", "web:u1", wrong, undefined);
      left.push(out.kind === "failed" ? out.left : -1);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expect(left.map((n) => family.bindFailed(n).match(/今天还能试 \d 次/)?.[0] ?? "")).toEqual([
      "今天还能试 4 次",
      "今天还能试 3 次",
      "今天还能试 2 次",
      "今天还能试 1 次",
      "",
    ]);
    expect(await bindWithDetails("demo", "web:u1", right, undefined)).toEqual({ kind: "locked", until: start + DAY });
    vi.setSystemTime((start + DAY) * 1000);
    expect(await bindWithDetails("demo", "web:u1", right, undefined)).toMatchObject({ kind: "bound" });
  });

  it("gives back every attempt a successful binding was charged: the user's, the address's and the student's", async () => {
    await bindWithDetails("demo", "web:u1", wrong, IP);
    await bindWithDetails("demo", "web:u1", right, IP);
    expect([used("USR#web:u1"), used(`STU#${li.id}`)]).toEqual([1, 1]);
    const client = [...table.items.values()].find((i) => String(i.pk).includes("#LIMIT#CLI#"));
    expect(client?.count).toBe(1);
  });

  it("charges a failure to the chat user and, for web chat, to the client address", async () => {
    await bindWithDetails("demo", "web:u1", wrong, IP);
    await bindWithDetails("demo", "wechat:o1", wrong, undefined);
    expect([used("USR#web:u1"), used("USR#wechat:o1")]).toEqual([1, 1]);
    expect([...table.items.values()].filter((i) => String(i.pk).includes("#LIMIT#CLI#"))).toHaveLength(1);
  });

  it("locks an address after thirty failures a day from fresh chat users, giving back what it took from the user", async () => {
    for (let i = 0; i < 30; i++) await bindWithDetails("demo", `web:s${i}`, wrong, IP);
    expect(await bindWithDetails("demo", "web:fresh", wrong, IP)).toEqual({ kind: "locked", until: start + DAY });
    expect(used("USR#web:fresh")).toBe(0);
    expect((await bindWithDetails("demo", "web:fresh", right, "198.51.100.9")).kind).toBe("bound");
  });

  it("never keeps the real family out, however many strangers guessed wrong on their child", async () => {
    for (let i = 0; i < 25; i++) await bindWithDetails("demo", `web:s${i}`, wrong, `198.51.100.${i}`);
    expect(await bindWithDetails("demo", "wechat:parent", right, undefined)).toMatchObject({
      kind: "bound",
      created: true,
    });
  });

  it("past ten failures on one child, makes each wrong guess cost double and alerts the school once", async () => {
    for (let i = 0; i < 9; i++) await bindWithDetails("demo", `web:s${i}`, wrong, `198.51.100.${i}`);
    // The tenth failure still costs one.
    expect(await bindWithDetails("demo", "web:s9", wrong, "198.51.100.9")).toEqual({ kind: "failed", left: 4 });
    expect(alerts()).toEqual([]);
    expect(await bindWithDetails("demo", "web:g", wrong, "192.0.2.1")).toEqual({ kind: "failed", left: 3 });
    expect(alerts()).toMatchObject([{ kind: "binding_guessing", studentId: li.id, schoolId: "s01", failures: 11 }]);
    expect(await bindWithDetails("demo", "web:g", wrong, "192.0.2.1")).toEqual({ kind: "failed", left: 1 });
    expect(await bindWithDetails("demo", "web:g", wrong, "192.0.2.1")).toEqual({ kind: "failed", left: 0 });
    expect(alerts()).toHaveLength(1);
    const alert = JSON.stringify(alerts());
    for (const secret of ["G510101201201011234", "李四", "13800001234"]) expect(alert).not.toContain(secret);
  });

  it("alerts without a school when the guessed 学籍号 belongs to no student", async () => {
    const ghost = { ...right, studentNo: "G510101201201019999" };
    for (let i = 0; i < 11; i++) await bindWithDetails("demo", `web:s${i}`, ghost, `198.51.100.${i}`);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).not.toHaveProperty("schoolId");
    expect(alerts()[0]).toMatchObject({ failures: 11 });
  });

  it("never matches a name that is only dots and spaces, even against a record that has one", async () => {
    const { items } = importItems("demo", [
      {
        studentNo: "G510101201201017777",
        name: "·",
        schoolId: "s01",
        grade: "五年级",
        class: "2班",
        guardians: [{ name: "某", relation: "父亲", phone: "13800007777" }],
      },
    ]);
    for (const item of items) table.put(item);
    const out = await bindWithDetails("demo", "web:u1", {
      name: " ",
      studentNo: "G510101201201017777",
      phoneLast4: "7777",
    });
    expect(out.kind).toBe("failed");
  });

  it("does not count a 学籍号 that is no 学籍号 against any student", async () => {
    await bindWithDetails("demo", "web:u1", { ...right, studentNo: "12" }, undefined);
    expect([...table.items.values()].filter((i) => String(i.pk).includes("#LIMIT#STU#"))).toEqual([]);
  });
});

describe("bindWithCode", () => {
  it("binds with a live code once, and gives back every attempt it was charged", async () => {
    const { code, display } = await issue("demo", li.id, "tok_s");
    expect(await bindWithCode("demo", "web:u1", display, IP)).toMatchObject({
      kind: "bound",
      created: true,
      student: { id: li.id },
    });
    expect(bindingsOf("web:u1")).toMatchObject([{ studentId: li.id, method: "code" }]);
    // A successful binding by code is not a failure (issue 10): nothing stays counted.
    expect([used("USR#web:u1"), used("CODES")]).toEqual([0, 0]);
    expect(await bindWithCode("demo", "web:u2", code, IP)).toEqual({ kind: "code_failed", left: 4 });
  });

  it("counts a wrong code against the user and the county's hourly code budget", async () => {
    expect(await bindWithCode("demo", "web:u1", "1234 5678 9012", IP)).toEqual({ kind: "code_failed", left: 4 });
    expect(await bindWithCode("demo", "web:u1", "1234", IP)).toEqual({ kind: "code_failed", left: 3 });
    expect([used("USR#web:u1"), used("CODES")]).toEqual([2, 2]);
    expect(family.bindCodeFailed(3)).toContain("今天还能试 3 次。");
  });

  it("refuses every code once the county's hour of 600 failed codes is spent, even a live one", async () => {
    const { code } = await issue("demo", li.id, "tok_s");
    table.put({ pk: "T#demo#LIMIT#CODES", sk: "BIND#1h", type: "limit", count: 600, expiresAt: start + 1800 });
    const stored = [...table.items.values()].find((i) => String(i.pk).endsWith("#LIMIT#CODES"));
    expect(stored?.pk).toBe("T#demo#LIMIT#CODES");
    expect(await bindWithCode("demo", "web:u1", code, IP)).toEqual({ kind: "locked", until: start + 1800 });
    expect(used("USR#web:u1")).toBe(0);
  });

  it("puts the code back and gives back the attempts when the binding cannot be written", async () => {
    const { code } = await issue("demo", li.id, "tok_s");
    table.beforeSend = (operation, input) => {
      if (operation === "PutCommand" && input.Item?.type === "binding") throw new Error("storage down");
    };
    await expect(bindWithCode("demo", "web:u1", code, IP)).rejects.toThrow("storage down");
    table.beforeSend = undefined;
    expect([used("USR#web:u1"), used("CODES")]).toEqual([0, 0]);
    expect(await bindWithCode("demo", "web:u1", code, IP)).toMatchObject({ kind: "bound" });
  });
});

describe("binding codes", () => {
  it("issues a twelve-digit code that lives fourteen days", async () => {
    const out = await issue("demo", li.id, "tok_s");
    expect(out.code).toMatch(/^\d{12}$/);
    expect(out.display).toBe(out.code.replace(/(\d{4})(\d{4})(\d{4})/, "$1 $2 $3"));
    expect(out.expiresAt).toBe("2026-03-16T08:00:00.000Z");
    expect(CODE_TTL_SECONDS).toBe(14 * DAY);
    const stored = [...table.items.values()].find((i) => i.type === "bindingCode");
    expect(stored).toMatchObject({
      studentId: li.id,
      issuedBy: "tok_s",
      createdAt: "2026-03-02T08:00:00.000Z",
      expiresAt: start + 14 * DAY,
    });
  });

  it("keeps leading zeros: every code is twelve digits", async () => {
    // Two draws of six digits each; in 300 codes some half starts with 0 (the chance that none does is 0.9^600).
    const all = [];
    for (let i = 0; i < 300; i++) all.push((await issue("demo", li.id, "tok_s")).code);
    expect(all.filter((c) => !/^\d{12}$/.test(c))).toEqual([]);
  });

  it("does not touch storage for a code that is not twelve digits", async () => {
    expect(await consume("demo", "1234 5678", "web:u1")).toBeUndefined();
    await release("demo", "1234 5678", "web:u1");
    expect(table.sent).toEqual([]);
  });

  it("passes a storage fault on instead of taking it for a used or a free code", async () => {
    const { code } = await issue("demo", li.id, "tok_s");
    table.beforeSend = () => {
      throw Object.assign(new Error("throttled"), { name: "ThrottlingException" });
    };
    await expect(issue("demo", li.id, "tok_s")).rejects.toThrow("throttled");
    await expect(consume("demo", code, "web:u1")).rejects.toThrow("throttled");
    await expect(release("demo", code, "web:u1")).rejects.toThrow("throttled");
  });

  it("binds once: a used code, an expired code and a code of no student give nothing", async () => {
    const { code } = await issue("demo", li.id, "tok_s");
    expect(await consume("demo", code, "web:u1")).toBe(li.id);
    expect(await consume("demo", code, "web:u2")).toBeUndefined();
    const second = await issue("demo", li.id, "tok_s");
    vi.setSystemTime((start + 14 * DAY) * 1000);
    expect(await consume("demo", second.code, "web:u3")).toBeUndefined();
    expect(await consume("demo", "000000000000", "web:u3")).toBeUndefined();
  });

  it("puts a code back only for the user who used it", async () => {
    const { code } = await issue("demo", li.id, "tok_s");
    await consume("demo", code, "web:u1");
    await release("demo", code, "web:u2");
    expect(await consume("demo", code, "web:u3")).toBeUndefined();
    await release("demo", code, "web:u1");
    expect(await consume("demo", code, "web:u3")).toBe(li.id);
  });

  it("draws again when the code it drew is already live", async () => {
    let puts = 0;
    table.beforeSend = (operation, input) => {
      if (operation === "PutCommand" && input.Item?.type === "bindingCode" && puts++ < 3)
        table.put({ ...input.Item, studentId: "stu_other" });
    };
    const out = await issue("demo", li.id, "tok_s");
    expect(table.get({ pk: `T#demo#BCODE#${out.code}`, sk: "BCODE" })).toMatchObject({ studentId: li.id });
    expect(puts).toBe(4);
  });

  it("gives up after eight draws that all hit live codes", async () => {
    table.beforeSend = (operation, input) => {
      if (operation === "PutCommand" && input.Item?.type === "bindingCode") table.put({ ...input.Item });
    };
    await expect(issue("demo", li.id, "tok_s")).rejects.toThrow("could not draw a free binding code");
    expect(table.sent.filter((s) => s === "PutCommand")).toHaveLength(8);
  });
});
