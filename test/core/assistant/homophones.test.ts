/**
 * The homophone corrector's table built ahead of time (prompts/homophones.index.json, `npm run kb:index`): it must be
 * what a fresh build gives — the staleness check that fails when the homophone vocabulary or pinyin-pro changed and
 * the table was not rebuilt — and it may only spare pinyin-pro for messages it would find nothing in: every
 * correction is the one pinyin-pro gives when it reads every message.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildHomophoneTable,
  correctHomophones,
  defaultHomophoneFile,
  needsPinyin,
} from "../../../core/assistant/homophones";
import { parseQuestions } from "../../../core/assistant/evaluate";

const evalQuestions = (file: string) =>
  parseQuestions(readFileSync(new URL(`../../eval/${file}`, import.meta.url), "utf8")).map((q) => q.q);

describe("the prebuilt homophone table", () => {
  it("is what a fresh build gives (else run `npm run kb:index`)", async () => {
    const onDisk = JSON.parse(readFileSync(defaultHomophoneFile(), "utf8")) as { fingerprint?: string };
    const fresh = JSON.parse(JSON.stringify(await buildHomophoneTable())) as { fingerprint: string };
    expect(onDisk.fingerprint, "prompts/homophones.index.json is stale: run `npm run kb:index`").toBe(
      fresh.fingerprint,
    );
    expect(onDisk, "prompts/homophones.index.json differs from a fresh build: run `npm run kb:index`").toEqual(fresh);
  });

  it("sends the voice slips to pinyin-pro and lets ordinary messages pass without it", () => {
    for (const slip of ["身缘地贷款在哪办", "两面一补", "玉露计划", "低包户孩子上初中补多少", "建档里卡户"])
      expect(needsPinyin(slip), slip).toBe(true);
    for (const plain of ["你好", "生源地贷款在哪办", "娃读初中要交学费不", "我们去公园玩", "谢谢"])
      expect(needsPinyin(plain), plain).toBe(false);
  });

  it("sends a message with a character it does not describe to pinyin-pro", () => {
    expect(needsPinyin("〇")).toBe(true);
    expect(needsPinyin("𠀀")).toBe(true);
  });

  it("gives every correction that reading each message with pinyin-pro gives, on the eval questions", async () => {
    const messages = [
      ...evalQuestions("questions.jsonl"),
      ...evalQuestions("tune-9a-questions.jsonl"),
      "身缘地贷款 两面一补 玉露计划 立志奖学金 建档里卡户 低包户",
      "公司的例子",
    ];
    let corrected = 0;
    for (const m of messages) {
      const withTable = await correctHomophones(m);
      const everyMessage = await correctHomophones(m, { prebuilt: false });
      expect(withTable, m).toEqual(everyMessage);
      if (everyMessage.corrections.length > 0) corrected += 1;
    }
    // The comparison covers messages that are corrected, not only ones left alone.
    expect(corrected).toBeGreaterThan(5);
  });
});
