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
  it("replaces every personal number of a kind in one text, not only the first", () => {
    const r = createRedactor();
    expect(r.redact("学籍号G510101201201011234和G510101201201015678")).toBe("学籍号〔学籍号1〕和〔学籍号2〕");
    expect(r.redact("身份证510101201201011234，母亲510101198001011228")).toBe("身份证〔身份证号1〕，母亲〔身份证号2〕");
    expect(r.redact("卡号6222021234567890123 旧卡6222021234560000")).toBe("卡号〔银行卡号1〕 旧卡〔银行卡号2〕");
    expect(r.redact("手机13800138000 备用13900139000")).toBe("手机〔手机号1〕 备用〔手机号2〕");
  });

  it("restores a number typed with spaces as the bare number, so a tool gets it as the school registered it", () => {
    const r = createRedactor();
    expect(r.redact("电话 138 0013 8000")).toBe("电话 〔手机号1〕");
    expect(r.restore("〔手机号1〕")).toBe("13800138000");
    expect(r.redact("学籍号 g5101-0120-1201-0112-34")).toBe("学籍号 〔学籍号1〕");
    expect(r.restore("〔学籍号1〕")).toBe("G510101201201011234");
  });

  it("restores placeholders past the ninth", () => {
    const r = createRedactor();
    const phones = Array.from({ length: 12 }, (_, i) => `1380013${String(8000 + i)}`);
    expect(r.redact(phones.join("，"))).toContain("〔手机号12〕");
    expect(r.restore("〔手机号10〕和〔手机号12〕")).toBe("13800138009和13800138011");
  });
});
