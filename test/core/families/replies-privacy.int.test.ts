/**
 * Through the assistant, end to end: whatever a family sends, no reply carries an unmasked 学籍号, ID number,
 * phone or account — not when binding, not in status, not when the message itself contained them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../../../core/assistant/index.js";
import * as applications from "../../../core/applications/index.js";
import { createFamily } from "../../../core/families/port.js";
import { containsUnmaskedPersonalData } from "../../../core/mask.js";
import { loadKb } from "../../../core/policy/kb.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { createTenant } from "../../support/stack.js";

const NO = "G510000201201030001";
let tenant: string;
let assistant: ReturnType<typeof createAssistant>;
const system = { id: "system", role: "system" } as const;

beforeAll(async () => {
  const t = await createTenant(undefined, { hotline: "0833-7654321" });
  tenant = t.id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  const { student } = await students.upsert(tenant, {
    studentNo: NO,
    name: "刘小燕",
    schoolId: "s1",
    grade: "6",
    class: "1",
    guardians: [{ name: "刘父", relation: "父亲", phone: "13512349876" }],
  });
  const app = await applications.create(
    tenant,
    { studentId: student.id, schoolId: "s1", programme: "compulsory_living", term: "2025-autumn", amountFen: 62500 },
    system,
  );
  for (const to of [
    "school_approved",
    "township_approved",
    "county_approved",
    "publicizing",
    "approved",
    "paid",
  ] as const) {
    await applications.transition(tenant, app.id, {
      to,
      actor: system,
      ...(to === "paid"
        ? { payment: { batchId: "b", paidDate: "2025-12-01", amountFen: 62500, accountLast4: "6789" } }
        : {}),
    });
  }
  assistant = createAssistant({
    kb: loadKb(),
    tenantSettings: { name: t.name, hotline: t.hotline },
    family: createFamily(),
  });
});

describe("family replies through the assistant", () => {
  it("never contain unmasked personal data", async () => {
    const messages = [
      "查一下进度",
      `绑定 刘小燕 ${NO} 0000`,
      `绑定 刘小燕 ${NO} 9876`,
      "我的孩子",
      "钱发了没有",
      "我家孩子的补助到账了吗",
      "我的身份证号是510101201201011234，银行卡6222021234567890123，手机13512349876",
      "人工",
      "退订",
      "解绑",
    ];
    const all: string[] = [];
    for (const text of messages) {
      const r = await assistant.reply({ tenant, userKey: "wechat:privacy-family", channel: "wechat", text });
      all.push(...r.replies.map((x) => x.text));
    }
    expect(all.some((t) => t.includes("绑定成功"))).toBe(true);
    expect(all.some((t) => t.includes("尾号6789"))).toBe(true);
    for (const t of all) {
      expect(containsUnmaskedPersonalData(t), t).toBe(false);
      expect(t).not.toContain(NO);
      expect(t).not.toContain("刘小燕");
    }
  });
});
