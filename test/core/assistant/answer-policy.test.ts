import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { applySettings, loadKb } from "../../../core/policy/kb";
import { buildIndex } from "../../../core/policy/index";
import {
  answerPolicy,
  defaultComposeOptions,
  extractNumbers,
  numbersGrounded,
  parseChineseNumber,
  ungroundedNumbers,
} from "../../../core/assistant/answer-policy";
import { placeholderFallback, replies } from "../../../prompts/replies";

const settings = { name: "某县学生资助管理中心", hotline: "0851-1234567" };
const kb = applySettings(
  loadKb(fileURLToPath(new URL("../../fixtures/kb/", import.meta.url))),
  settings,
  placeholderFallback,
);
const index = buildIndex(kb);

describe("numbers in answers", () => {
  it("reads Chinese numerals, including colloquial and 零 forms", () => {
    expect(parseChineseNumber("两千三")).toBe(2300);
    expect(parseChineseNumber("一千二百五")).toBe(1250);
    expect(parseChineseNumber("一百零五")).toBe(105);
    expect(parseChineseNumber("两万五")).toBe(25000);
    expect(parseChineseNumber("二十二")).toBe(22);
  });

  it("extracts arabic numbers with separators and 万, and Chinese numerals with a unit", () => {
    expect(extractNumbers("每年 1,250 元，最多 2.5万元，宽限期五年，一卡通").map((n) => n.value)).toEqual([
      1250, 25000, 5,
    ]);
  });

  it("accepts an answer whose every number is in the passages, in any spelling", () => {
    const passage = "本专科学生每人每年最多 20000 元，宽限期 5 年。";
    expect(numbersGrounded("每年最多 20000 元，宽限期 5 年", [passage])).toBe(true);
    expect(numbersGrounded("每年最多两万元，宽限期五年", [passage])).toBe(true);
    expect(numbersGrounded("每年最多 2 万元", [{ text: passage }])).toBe(true);
  });

  it("rejects an answer with a number the passages do not state", () => {
    const passage = "小学每生每年 1250 元。";
    expect(numbersGrounded("小学每生每年 1500 元", [passage])).toBe(false);
    expect(ungroundedNumbers("小学每年一千五百元，初中 1250 元", [passage])).toEqual(["一千五百"]);
  });

  it("allows numbers from extra trusted text such as the hotline", () => {
    expect(numbersGrounded("请拨打 0851-1234567", [], ["0851-1234567"])).toBe(true);
  });
});

describe("composing a policy answer", () => {
  it("answers from the best passage, amounts verbatim, and cites the source", () => {
    const a = answerPolicy(index, "小学寄宿生一年补助多少钱", settings);
    expect(a.confident).toBe(true);
    expect(a.text).toContain("小学每生每年 1250 元");
    expect(a.text).toContain("来源：义务教育寄宿生生活补助");
    expect(a.citations).toEqual([{ id: "boarding-allowance", title: "义务教育寄宿生生活补助" }]);
    expect(
      numbersGrounded(
        a.text,
        a.passages.map((p) => p.passage),
        a.citations.map((c) => c.title),
      ),
    ).toBe(true);
  });

  it("adds 以本县通知为准 once when the entry varies locally", () => {
    const a = answerPolicy(index, "初中寄宿生补助标准", settings);
    expect(a.text.match(/以本县通知为准/g)).toHaveLength(1);
    const loan = answerPolicy(index, "生源地贷款能贷多少", settings);
    expect(loan.text).not.toContain("以本县通知为准");
  });

  it("fills the tenant's hotline into the passage", () => {
    expect(answerPolicy(index, "住校补助怎么申请", settings).text).toContain("0851-1234567");
  });

  it("says a passage that opens with a bare yes/no after its heading, so the yes/no has its question", () => {
    expect(answerPolicy(index, "有人打电话让我先交钱才给发助学金", settings).text).toContain(
      "领助学金要先交钱是真的吗？是诈骗。",
    );
  });

  it("stays phone-sized", () => {
    for (const q of ["寄宿生补助", "助学贷款", "生源地贷款在哪办 能贷多少 宽限期几年"]) {
      expect(answerPolicy(index, q, settings).text.length).toBeLessThanOrEqual(320);
    }
  });

  it("says it is not sure, offers a person and the hotline, when confidence is below the threshold", () => {
    const a = answerPolicy(index, "孩子校服费能不能免", settings);
    expect(a.confident).toBe(false);
    expect(a.text).toBe(replies.notSure(settings));
    expect(a.text).toContain("人工");
    expect(a.text).toContain("0851-1234567");
    expect(a.citations).toEqual([]);
  });

  it("gives the closest passage as such, with an offer of a person, when the question turns on something unknown", () => {
    const a = answerPolicy(index, "孩子近视了配眼镜有没有补助", settings);
    expect(a.text.startsWith(replies.closest())).toBe(true);
    expect(a.text).toContain(replies.confirmWithPerson());
  });

  it("a higher threshold turns a weak match into the not-sure reply", () => {
    const q = "寄宿生补助和贷款宽限期";
    expect(answerPolicy(index, q, settings, { ...defaultComposeOptions, threshold: 0 }).confident).toBe(true);
    expect(answerPolicy(index, q, settings, { ...defaultComposeOptions, threshold: 1.01 }).confident).toBe(false);
  });
});
