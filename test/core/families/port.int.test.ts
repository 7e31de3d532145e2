import { beforeAll, describe, expect, it } from "vitest";
import * as bindings from "../../../core/families/bindings.js";
import * as handoffs from "../../../core/families/handoffs.js";
import { createFamily } from "../../../core/families/port.js";
import * as chatusers from "../../../core/chatusers/index.js";
import { containsUnmaskedPersonalData } from "../../../core/mask.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { createTenant } from "../../support/stack.js";

const family = createFamily();
let tenant: string;
const ids: string[] = [];
const ctx = (user: string) => ({ tenant, userKey: `wechat:${user}`, channel: "wechat" as const });

beforeAll(async () => {
  tenant = (await createTenant(undefined, { hotline: "0833-7654321" })).id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  for (const [no, name] of [
    ["G510000201301020001", "陈小东"],
    ["G510000201301020002", "陈小西"],
    ["G510000201301020003", "陈小南"],
  ] as const) {
    const { student } = await students.upsert(tenant, {
      studentNo: no,
      name,
      schoolId: "s1",
      grade: "2",
      class: "1",
      guardians: [{ name: "陈父", relation: "父亲", phone: "13600002222" }],
    });
    ids.push(student.id);
  }
});

describe("the family port", () => {
  it("lists bound children masked, one line each, or explains how to bind", async () => {
    expect((await family.listChildren(ctx("p1")))[0]).toContain("还没有绑定孩子");
    await bindings.bind(tenant, ids[0]!, "wechat:p1", "seed");
    await bindings.bind(tenant, ids[1]!, "wechat:p1", "seed");
    const [text] = await family.listChildren(ctx("p1"));
    expect(text).toContain("1. 陈*东（向阳小学）");
    expect(text).toContain("2. 陈*西（向阳小学）");
    expect(text).not.toMatch(/陈小东|陈小西/);
  });

  it("asks which child to unbind when there are several, then unbinds by name or position", async () => {
    expect(await family.unbind(ctx("p1"))).toContain("解绑 全部");
    expect(await family.unbind(ctx("p1"), "陈小北")).toContain("没有找到");
    expect(await family.unbind(ctx("p1"), "小西")).toContain("陈*西");
    expect((await bindings.studentsOf(tenant, "wechat:p1")).map((b) => b.studentId)).toEqual([ids[0]]);
    expect(await family.unbind(ctx("p1"), "1")).toContain("陈*东");
    expect(await family.unbind(ctx("p1"))).toContain("没有绑定");
  });

  it("unbinds the only child without asking, and all children at once", async () => {
    await bindings.bind(tenant, ids[2]!, "wechat:p2", "seed");
    expect(await family.unbind(ctx("p2"))).toContain("陈*南");
    for (const id of ids) await bindings.bind(tenant, id, "wechat:p3", "seed");
    expect(await family.unbind(ctx("p3"), "全部")).toContain("全部 3 个");
    expect(await bindings.studentsOf(tenant, "wechat:p3")).toEqual([]);
  });

  it("turns school broadcasts off and says notices about one's own child still come", async () => {
    const off = await family.setSubscription(ctx("p4"), false);
    expect(off).toMatch(/自己孩子的补助发放和公示通知仍会照常发给您/);
    expect((await chatusers.get(tenant, "wechat:p4")).broadcasts).toBe(false);
    expect(await family.setSubscription(ctx("p4"), true)).toContain("恢复");
    expect((await chatusers.get(tenant, "wechat:p4")).broadcasts).toBe(true);
  });

  it("records a handoff without personal numbers and replies with the hotline", async () => {
    await bindings.bind(tenant, ids[0]!, "wechat:p5", "seed");
    const reply = await family.handoff(ctx("p5"), "我要人工！我电话13812345678，孩子学籍号G510000201301020001");
    expect(reply).toContain("0833-7654321");
    const { items } = await handoffs.list(tenant);
    const mine = items.find((h) => h.userRef === handoffs.userRef(tenant, "wechat:p5"))!;
    expect(mine.children).toEqual([{ name: "陈*东", schoolId: "s1" }]);
    expect(containsUnmaskedPersonalData(JSON.stringify(mine))).toBe(false);
    // The chat user's OpenID ("p5") is not stored as a value (random ids and hashes may contain the letters by chance).
    expect(Object.values(mine).map(String)).not.toContain("p5");
    expect(JSON.stringify(mine)).not.toContain("wechat:p5");
  });
});
