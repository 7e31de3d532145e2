import { describe, expect, it } from "vitest";
import { namedInQuestion } from "../../../core/families/names.js";

const kids = [{ name: "张小明" }, { name: "张小红" }];

describe("namedInQuestion", () => {
  it("finds one's own child by full or given name", () => {
    expect(namedInQuestion("张小明的钱发了没", kids).mine).toEqual([{ name: "张小明" }]);
    expect(namedInQuestion("小红的助学金到账了吗", kids).mine).toEqual([{ name: "张小红" }]);
  });

  it("notices another child's name", () => {
    for (const q of ["王小刚的补助发了没", "帮我查一下李四的助学金", "查下刘德华同学", "赵敏有没有评上"])
      expect(namedInQuestion(q, kids).other, q).toBe(true);
  });

  it("does not take grades or everyday words for a name", () => {
    for (const q of [
      "高三的补助发了没",
      "高中助学金发了没",
      "我家孩子的钱到账了吗",
      "钱发了没有",
      "孩子的申请到哪一步了",
      "一年级的补助什么时候发",
      "审核过了没",
    ]) {
      expect(namedInQuestion(q, kids), q).toEqual({ mine: [], other: false });
    }
  });
});
