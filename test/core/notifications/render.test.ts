import { describe, expect, it } from "vitest";
import { render, templateField } from "../../../core/notifications/render.js";
import type { EventInfo } from "../../../core/notifications/events.js";
import type { NotificationInfo } from "../../../core/notifications/records.js";
import { containsUnmaskedPersonalData } from "../../../core/mask.js";

const base = {
  tenant: "t1",
  createdAt: "2025-11-20T01:00:00.000Z",
  createdBy: { id: "tok_x", role: "bureau" as const },
  status: "sending" as const,
  urgent: false,
};
const n: NotificationInfo = {
  id: "ntf_0000000000000000",
  tenant: "t1",
  eventId: "evt_0000000000000000",
  kind: "publicity",
  studentId: "stu_0000000000000000",
  schoolId: "xx-primary",
  grade: "3",
  class: "2",
  child: "张*明",
  userKey: "wechat:o1",
  status: "sending",
  createdAt: base.createdAt,
  updatedAt: base.createdAt,
  attempts: 1,
};
const ctx = { localDate: "2025-11-20", schoolName: "向阳小学" };

function expectTemplateSafe(data: Record<string, { value: string }>) {
  for (const { value } of Object.values(data)) {
    expect([...value].length).toBeLessThanOrEqual(20);
    expect(value).not.toMatch(/[\r\n]/);
  }
}

describe("rendering notices", () => {
  it("keeps template fields to 20 characters on one line", () => {
    expect(templateField("第一行\n第二行")).toBe("第一行 第二行");
    const long = "一二三四五六七八九十一二三四五六七八九十一二三";
    expect(templateField(long)).toHaveLength(20);
    expect(templateField(long).endsWith("…")).toBe(true);
    expect(templateField("短")).toBe("短");
  });

  it("tells a guardian about their own child on a 公示 list, masked, without the list", () => {
    const event: EventInfo = {
      ...base,
      id: "evt_0000000000000000",
      kind: "publicity",
      schoolId: "xx-primary",
      publicity: {
        programme: "compulsory_living",
        term: "2025-autumn",
        scope: { kind: "school", schoolId: "xx-primary" },
        start: "2025-11-20",
        end: "2025-11-26",
        objectionContact: "学校资助办 0000-1234567",
      },
    };
    const out = render(event, n, ctx);
    expect(out.text).toContain("张*明");
    expect(out.text).toContain("2025年11月20日至11月26日");
    expect(out.text).toContain("学校资助办 0000-1234567");
    expect(out.data.thing1?.value).toBe("张*明");
    expectTemplateSafe(out.data);
    expect(containsUnmaskedPersonalData(out.text)).toBe(false);
  });

  it("confirms a payment with amount, date and only the account's last four", () => {
    const event: EventInfo = { ...base, id: "evt_0000000000000001", kind: "payment", payment: { batchId: "B1" } };
    const paid = {
      ...n,
      kind: "payment" as const,
      payments: [
        {
          applicationId: "app_1111",
          programme: "compulsory_living" as const,
          term: "2025-autumn",
          amountFen: 62550,
          paidDate: "2025-11-18",
          accountLast4: "0042",
        },
      ],
    };
    const out = render(event, paid, ctx);
    expect(out.text).toContain("625.50元");
    expect(out.text).toContain("尾号0042");
    expect(out.data.amount3?.value).toBe("625.50元");
    expect(out.data.character_string5?.value).toBe("尾号0042");
    expectTemplateSafe(out.data);
  });

  it("sums two payments of one child into one notice", () => {
    const event: EventInfo = { ...base, id: "evt_0000000000000001", kind: "payment", payment: { batchId: "B1" } };
    const line = { term: "2025-autumn", paidDate: "2025-11-18", accountLast4: "1234" };
    const paid = {
      ...n,
      kind: "payment" as const,
      payments: [
        { ...line, applicationId: "app_1111", programme: "senior_grant" as const, amountFen: 100000 },
        { ...line, applicationId: "app_2222", programme: "senior_fee_waiver" as const, amountFen: 80000 },
      ],
    };
    const out = render(event, paid, ctx);
    expect(out.data.amount3?.value).toBe("1800元");
    expect(out.data.thing2?.value).toContain("等2项");
    expect(out.text).toContain("普通高中国家助学金");
    expect(out.text).toContain("普通高中免学杂费");
  });

  it("shortens a long broadcast to the template field and keeps it whole in the inbox text", () => {
    const text = "本周五下午三点召开家长会，请各位家长准时到校。\n地点：学校礼堂。";
    const event: EventInfo = {
      ...base,
      id: "evt_0000000000000002",
      kind: "broadcast",
      schoolId: "xx-primary",
      broadcast: { audience: { schoolId: "xx-primary" }, text },
    };
    const out = render(event, { ...n, kind: "broadcast" }, ctx);
    expect(out.text).toContain(text);
    expect(out.data.thing1?.value).toBe("向阳小学");
    expectTemplateSafe(out.data);
  });

  describe("an objection decided", () => {
    const objection = (verdict: "upheld" | "dismissed"): EventInfo => ({
      ...base,
      id: "evt_0000000000000003",
      kind: "objection",
      schoolId: "xx-primary",
      objection: {
        applicationId: "app_0000000000000000",
        programme: "compulsory_living",
        term: "2025-autumn",
        verdict,
        reason: "经入户核实，家庭年收入超过认定标准",
      },
    });
    const octx = { ...ctx, tenantName: "青川县教育局", hotline: "0839-1234567" };

    it("upheld: says 未通过 with the bureau's reason and whom to ask, in the 通知 template's three fields", () => {
      const out = render(objection("upheld"), { ...n, kind: "objection" }, octx);
      expect(out.text).toBe(
        "【异议复核结果】您的孩子张*明申请的义务教育家庭经济困难学生生活补助（2025年秋季学期）在公示期间有人提出异议，县学生资助管理中心已经复核，结果是：申请未通过。原因：经入户核实，家庭年收入超过认定标准。如有不同意见，可以找学校资助老师，或打电话0839-1234567反映。",
      );
      expect(out.data).toEqual({
        thing1: { value: "青川县教育局" },
        thing2: { value: "张*明的申请复核未通过，回复查进度看原因" },
        time3: { value: "2025年11月20日" },
      });
      expectTemplateSafe(out.data);
      expect(containsUnmaskedPersonalData(out.text)).toBe(false);
    });

    it("dismissed: says the objection does not hold and the application is 公示无异议, without the bureau's reason", () => {
      const out = render(objection("dismissed"), { ...n, kind: "objection" }, octx);
      expect(out.text).toContain("异议不成立，申请恢复为“公示无异议”，接下来按正常流程等待发放，您不用再做什么");
      expect(out.text).not.toContain("未通过");
      expect(out.text).not.toContain("经入户核实");
      expect(out.data.thing2?.value).toBe("张*明的异议不成立，公示无异议");
      expectTemplateSafe(out.data);
    });
  });
});
