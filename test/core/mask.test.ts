/** Masking and the personal-data detector, with literal expected values (no fixture has only three-character names). */
import { describe, expect, it } from "vitest";
import { containsUnmaskedPersonalData, maskName, maskStudentNo, maskTail, phoneLast4 } from "../../core/mask.js";

describe("maskName", () => {
  it.each([
    ["李四", "李*"],
    ["张小明", "张*明"],
    ["欧阳娜娜", "欧**娜"],
    ["阿依·买买提", "阿****提"],
    ["王", "*"],
    ["  李四  ", "李*"],
    ["", "*"],
  ])("masks %j as %j", (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it("never leaves a two-character name whole", () => {
    for (const name of ["李四", "王五", "张三", "赵六"]) expect(maskName(name)).not.toContain(name);
  });
});

describe("maskTail, maskStudentNo, phoneLast4", () => {
  it("keeps only the last four digits", () => {
    expect(maskTail("13800001234")).toBe("******1234");
    expect(maskTail("6222 0212 3456 7890 123")).toBe("******0123");
    expect(maskTail("123")).toBe("***");
    expect(maskTail("1234")).toBe("****");
    expect(maskTail("1234567")).toBe("***4567");
    expect(maskStudentNo(" G510101200901011234 ")).toBe("G51************1234");
    expect(maskStudentNo("G510101200901011234")).toBe("G51************1234");
    expect(maskStudentNo("1234567")).toBe("*******");
    expect(phoneLast4("138-0000-1234")).toBe("1234");
    expect(phoneLast4("+86 138 0000 5678")).toBe("5678");
    expect(phoneLast4("13800001234 ")).toBe("1234");
    expect(phoneLast4("13800001234（母亲）")).toBe("1234");
  });
});

describe("containsUnmaskedPersonalData", () => {
  it.each([
    ["a mobile number", "请拨打 13800001234 联系"],
    ["an 18-digit ID number", "身份证号 51010120090101123X"],
    ["an ID number ending in a digit", "证件 510101200901011234 已核"],
    ["a 学籍号 with its letter", "学籍号G510101200901011234"],
    ["a lower-case 学籍号", "g510101200901011234"],
    ["a 16-digit bank card", "卡号 6222021234567890"],
    ["a 19-digit bank card", "卡号6222021234567890123"],
    ["a bank card followed by words", "卡号6222021234567890，请核对"],
    ["a 学籍号 run together with more digits", "学籍号G5101012009010112340101"],
    ["a mobile number split by spaces", "电话 138 0000 1234"],
    ["a mobile number split by dashes", "电话138-0000-1234"],
    ["a bank card split in fours", "卡号 6222 0212 3456 7890"],
  ])("catches %s", (_what, text) => {
    expect(containsUnmaskedPersonalData(text)).toBe(true);
  });

  it.each([
    ["a masked phone", "尾号1234"],
    ["a masked 学籍号", "G51************1234"],
    ["an amount and a date", "1250 元，2025年11月20日到账"],
    ["a hotline", "0851-1234567"],
    ["a 12-digit binding code", "绑定码 1234 5678 9012"],
    ["a 28-digit WeChat Pay transaction number", "交易单号4200001234202501011234567890"],
  ])("lets %s through", (_what, text) => {
    expect(containsUnmaskedPersonalData(text)).toBe(false);
  });
});
