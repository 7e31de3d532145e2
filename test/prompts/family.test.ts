/** Words a family reads, checked as the family reads them. */
import { describe, expect, it } from "vitest";
import { family } from "../../prompts/family";

const line = {
  child: "张*明",
  school: "向阳小学",
  programme: "义务教育生活补助",
  term: "2025年秋季学期",
  stage: "未通过",
  date: "2025年11月20日",
  next: "",
};

describe("the status line of a rejected application", () => {
  it("ends the reason with one full stop, whether or not the reviewer typed one", () => {
    expect(family.statusLine({ ...line, rejected: { reason: "家庭收入超过认定标准，可下学期重新申请。" } })).toContain(
      "没通过的原因：家庭收入超过认定标准，可下学期重新申请。",
    );
    expect(family.statusLine({ ...line, rejected: { reason: "不是新生" } })).toContain("没通过的原因：不是新生。");
    expect(family.statusLine({ ...line, rejected: { reason: "材料不全！" } })).not.toMatch(/。。|！。/);
  });
});
