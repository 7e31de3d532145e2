import { describe, expect, test } from "vitest";
import { followUp, splitParts, understand } from "../../../core/assistant/understand";
import { correctHomophones } from "../../../core/assistant/homophones";
import { memoryConversationStore } from "../../../core/assistant/conversation";

describe("understanding a question", () => {
  test("finds programme, aspect, level and household category", () => {
    expect(understand("生源地助学贷款怎么申请")).toMatchObject({ programme: "生源地贷款", aspects: ["how"] });
    expect(understand("低保户孩子上初中补多少")).toMatchObject({
      programme: "两免一补",
      aspects: ["amount"],
      levels: ["初中"],
      households: ["低保"],
    });
    expect(understand("寄宿生补助什么时候发")).toMatchObject({ programme: "两免一补", variant: "寄宿" });
    expect(understand("寄宿生补助什么时候发").aspects[0]).toBe("when");
  });

  test("a programme of another school level is not what a question naming a level asks", () => {
    expect(understand("孩子高中住校有没有钱补").programme).not.toBe("两免一补");
  });

  test("names both loans when both are named, and the narrower one over the general word", () => {
    expect(understand("生源地贷款和校园地贷款能同时办吗").programmes).toEqual(["生源地贷款", "校园地贷款"]);
    expect(understand("生源地助学贷款在哪办").programmes).toBeUndefined();
  });

  test("splits a two-part question into its parts, and leaves a one-part question whole", () => {
    expect(splitParts("老大初一住校 老二三年级走读 各补多少")).toHaveLength(2);
    expect(splitParts("初中住校一年补多少")).toEqual(["初中住校一年补多少"]);
  });
});

describe("follow-ups", () => {
  test("an aspect alone keeps the programme of the last topic", () => {
    expect(followUp("一年多少钱", { programme: "雨露计划" })?.query).toContain("雨露计划");
  });

  test("a level alone keeps programme and aspect when the programme exists at that level, and drops it otherwise", () => {
    expect(
      followUp("那初中呢", { programme: "两免一补", level: "小学", aspect: "amount" })?.understanding.programme,
    ).toBe("两免一补");
    expect(
      followUp("那初中呢", { programme: "普高助学金", level: "普高", aspect: "amount" })?.understanding.programme,
    ).toBeUndefined();
  });

  test("a message naming a programme is a new topic, and nothing follows without a last topic", () => {
    expect(followUp("大学助学金多少钱", { programme: "雨露计划" })).toBeUndefined();
    expect(followUp("一年多少钱", undefined)).toBeUndefined();
  });

  test("the in-memory store forgets a topic after its TTL", async () => {
    let now = 0;
    const store = memoryConversationStore({ ttlSeconds: 60, now: () => now });
    await store.save("demo", "u1", { programme: "雨露计划" });
    expect(await store.load("demo", "u1")).toEqual({ programme: "雨露计划" });
    now = 61_000;
    expect(await store.load("demo", "u1")).toBeUndefined();
  });
});

describe("voice homophones", () => {
  test("are corrected to the domain word that sounds the same", async () => {
    const fixes: [string, string][] = [
      ["身缘地贷款", "生源地贷款"],
      ["两面一补", "两免一补"],
      ["玉露计划", "雨露计划"],
      ["立志奖学金", "励志奖学金"],
      ["建档里卡户", "建档立卡户"],
      ["低包户", "低保户"],
    ];
    for (const [heard, meant] of fixes) expect((await correctHomophones(heard)).text).toBe(meant);
  });

  test("leave ordinary words and words already right alone", async () => {
    for (const t of ["我们去公园玩", "生源地贷款", "自助餐", "他是个好孩子"])
      expect((await correctHomophones(t)).text).toBe(t);
  });
});
