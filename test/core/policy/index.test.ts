import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadKb } from "../../../core/policy/kb";
import { buildIndex, indexFor } from "../../../core/policy/index";

const kb = loadKb(fileURLToPath(new URL("../../fixtures/kb/", import.meta.url)));
const index = buildIndex(kb);
const top = (q: string) => {
  const h = index.search(q).hits[0];
  return h ? `${h.entry.id}:${h.passage.heading}` : "";
};

describe("retrieval", () => {
  it("finds the passage that answers the sub-question asked", () => {
    expect(top("小学寄宿生一年补助多少钱")).toBe("boarding-allowance:寄宿生生活补助标准");
    expect(top("住校补助怎么申请")).toBe("boarding-allowance:寄宿生生活补助怎么申请");
    expect(top("生源地贷款在哪办")).toBe("student-loan:生源地助学贷款在哪里办");
    expect(top("毕业后几年开始还本金")).toBe("student-loan:助学贷款的还本宽限期");
  });

  it("still finds the topic through a typo or a dialect word", () => {
    expect(top("助学货款最多能贷好多钱")).toBe("student-loan:生源地助学贷款能贷多少");
    expect(top("有人打电话让俺先交钱才给发补助")).toBe("scam-warning:领助学金要先交钱是真的吗");
  });

  it("is confident when the passage covers the question and not when the question is about something else", () => {
    expect(index.search("生源地贷款在哪里办").confidence).toBeGreaterThan(0.6);
    expect(index.search("孩子校服费能不能免").confidence).toBeLessThan(0.2);
  });

  it("tells whether a question is about student aid at all", () => {
    expect(index.search("助学贷款利息").domain).toBe(true);
    expect(index.search("今天天气怎么样").domain).toBe(false);
  });

  it("builds the index once per knowledge base and reports the build time", () => {
    const a = indexFor(kb);
    expect(indexFor(kb)).toBe(a);
    expect(a.buildMs).toBeGreaterThan(0);
    expect(a.passageCount).toBe(8);
  });
});
