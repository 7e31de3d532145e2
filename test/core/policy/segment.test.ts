import { describe, expect, it } from "vitest";
import {
  builtinDictionary,
  canonical,
  createDictionary,
  normalise,
  prepareQuery,
  segmentWords,
  tokenize,
} from "../../../core/policy/segment";

describe("segmentation", () => {
  it("keeps policy terms whole: 助学金, 生源地, 低保, 中职, 建档立卡", () => {
    const words = segmentWords("俺家是建档立卡户，娃读中职，有低保，想办生源地贷款和国家助学金");
    for (const term of ["建档立卡", "中职", "低保", "生源地", "助学金"]) {
      expect(words.some((w) => w === term || (w.includes(term) && w.length <= term.length + 3))).toBe(true);
    }
    expect(words).not.toContain("助");
  });

  it("prefers the longest domain word (国家助学金 over 助学金)", () => {
    expect(segmentWords("普通高中国家助学金")).toContain("国家助学金");
  });

  it("uses words from the knowledge base as dictionary terms", () => {
    const dict = createDictionary(["惠民惠农一卡通"]);
    expect(segmentWords("钱打到惠民惠农一卡通了吗", dict)).toContain("惠民惠农一卡通");
  });

  it("indexes dictionary words, their nested words, bigrams and content unigrams", () => {
    const terms = tokenize("助学贷款", builtinDictionary).map((t) => `${t.kind}:${t.term}`);
    expect(terms).toEqual(expect.arrayContaining(["w:助学贷款", "w:贷款", "b:助学", "b:学贷", "u:贷"]));
  });

  it("marks a bigram that straddles two words, or holds a function character, as not content", () => {
    const tokens = tokenize("低保户的孩子", builtinDictionary);
    expect(tokens.find((t) => t.term === "户的")?.content).toBe(false);
    expect(tokens.find((t) => t.term === "低保")?.content).toBe(true);
  });
});

describe("normalisation", () => {
  it("turns full-width into half-width, traditional into simplified, upper into lower case", () => {
    expect(normalise("ＡＢＣ１２３ 幼兒園補助學費")).toBe("abc123 幼儿园补助学费");
  });

  it("drops thousands separators and punctuation", () => {
    expect(normalise("每年1,250元！（小学）")).toBe("每年1250元 小学");
  });
});

describe("typos, dialect and fillers", () => {
  it.each([
    ["货款能贷多少", "贷款"],
    ["普通高中国家助学经", "助学金"],
    ["我家是低宝户", "低保"],
    ["俺想问一下", "我"],
    ["有没得补助", "有没有"],
    ["咋申请", "怎么"],
    ["娃读初中", "孩子"],
    ["闺女上高中", "孩子"],
    ["雨漏计划", "雨露计划"],
    ["公式几天", "公示"],
    ["宽线期几年", "宽限期"],
  ])("rewrites %s to use %s", (q, expected) => {
    expect(canonical(q)).toContain(expected);
  });

  it("does not break a standard word with a shorter rule", () => {
    expect(canonical("孩子有没有补助")).toBe("孩子有没有补助");
  });

  it("drops fillers such as 那个 就是 嗯 啊 from a query", () => {
    expect(prepareQuery("嗯 那个 就是 营养餐啊").text).toBe("营养餐");
  });

  it("expands colloquial words into the knowledge base's vocabulary", () => {
    const expansions = (q: string) => prepareQuery(q).expansions.map((x) => x.text);
    expect(expansions("孩子住校有补助吗")).toContain("寄宿");
    expect(expansions("读中专要交学费吗")).toContain("中职");
    expect(expansions("技校有钱补吗")).toEqual(expect.arrayContaining(["中职", "补助"]));
  });
});
