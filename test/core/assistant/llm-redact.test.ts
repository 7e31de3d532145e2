import { describe, expect, it } from "vitest";
import { createRedactor } from "../../../core/assistant/llm/redact";
import { containsUnmaskedPersonalData } from "../../../core/mask";

describe("redacting what leaves for the model provider", () => {
  it.each([
    ["我手机13800138000", "手机号"],
    ["电话 138 0013 8000", "手机号"],
    ["电话138-0013-8000", "手机号"],
    ["+86 138 0013 8000", "手机号"],
    ["身份证510101201201011234", "身份证号"],
    ["身份证 510101 20120101 123X", "身份证号"],
    ["学籍号G510101201201011234", "学籍号"],
    ["学籍号 g5101-0120-1201-0112-34", "学籍号"],
    ["卡号6222021234567890123", "银行卡号"],
    ["卡号 6222 0212 3456 7890", "银行卡号"],
    ["手机１３８００１３８０００", "手机号"],
  ])("replaces %s", (text, kind) => {
    const out = createRedactor().redact(text);
    expect(out).toContain(`〔${kind}1〕`);
    expect(containsUnmaskedPersonalData(out.replace(/\s|-/g, ""))).toBe(false);
    expect(out.replace(/〔[^〕]*〕/g, "")).not.toMatch(/\d{5,}/);
  });

  it.each(["县资助中心电话0833-7654321", "打到尾号1234的账户", "一年补1250元", "2025年11月20日发放", "绑定码 123456"])(
    "leaves numbers that are not personal: %s",
    (text) => {
      expect(createRedactor().redact(text)).toBe(text);
    },
  );

  it("gives one value one placeholder and restores it for a tool", () => {
    const r = createRedactor();
    const a = r.redact("学籍号G510101201201011234 再说一遍 G510101201201011234");
    expect(a.match(/〔学籍号1〕/g)).toHaveLength(2);
    expect(r.restore('{"studentNo":"〔学籍号1〕"}')).toBe('{"studentNo":"G510101201201011234"}');
    expect(r.restore("〔学籍号9〕")).toBe("〔学籍号9〕");
  });
});
