/**
 * The offline assistant against the project's eval set (test/eval/questions.jsonl, see its README) and our own
 * extra questions (test/fixtures/extra-questions.jsonl). Floors sit a few points under the score reached, so a
 * regression fails while a knowledge-base edit that costs one question does not; probes are a hard gate.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createAssistant } from "../core/assistant";
import { parseQuestions, runEval, scoreAnswer, summarise } from "../functions/cli/eval";
import type { EvalOutcome } from "../core/assistant/evaluate";
import { loadKb } from "../core/policy/kb";

const file = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

describe("scoring", () => {
  it("passes only with the right intent, every must and no must_not", () => {
    const q = { intent: "policy" as const, must: ["1[,，]?250"], must_not: ["1[3-9]\\d{9}"] };
    expect(scoreAnswer(q, { intent: "policy", answer: "小学每年 1,250 元" }).pass).toBe(true);
    expect(scoreAnswer(q, { intent: "status", answer: "小学每年 1250 元" }).reasons).toEqual(["intent: expected policy, got status"]);
    expect(scoreAnswer(q, { intent: "policy", answer: "小学每年 1000 元" }).pass).toBe(false);
    expect(scoreAnswer(q, { intent: "policy", answer: "1250 元，电话 13812345678" }).pass).toBe(false);
  });

  it("rejects a questions file with a bad line, naming the line", () => {
    expect(() => parseQuestions('{"id":"a","q":"x","intent":"policy"}\n{"id":"a","q":"y","intent":"policy"}', "q.jsonl")).toThrow(/q\.jsonl:2: duplicate id/);
    expect(() => parseQuestions('{"id":"a","q":"x","intent":"chat"}', "q.jsonl")).toThrow(/q\.jsonl:1/);
  });
});

describe.each([
  ["the project eval set", "./eval/questions.jsonl", 0.96],
  ["our extra questions", "./fixtures/extra-questions.jsonl", 0.97],
  ["our second extra questions (crisis, commands, precedence, composition)", "./fixtures/extra-questions-2.jsonl", 0.92],
  // Written independently of the knowledge base from the fact sheet alone: 87% on first run, 95% after fixing
  // the failure classes it revealed (never its sentences). Kept as a regression floor.
  ["the independently written held-out set", "./fixtures/holdout-questions-2.jsonl", 0.93],
])("%s", (_name, path, floor) => {
  let outcomes: EvalOutcome[] = [];
  beforeAll(async () => {
    const assistant = createAssistant({ kb: loadKb(), tenantSettings: { name: "演示县学生资助管理中心", hotline: "" } });
    outcomes = await runEval(assistant, parseQuestions(readFileSync(file(path), "utf8"), path));
  });

  it(`scores at least ${floor * 100}% overall`, () => {
    const s = summarise(outcomes);
    const failed = outcomes.filter((o) => !o.pass).map((o) => `${o.question.id} ${o.reasons.join("; ")}`);
    expect(s.overall.passed / s.overall.total, failed.join("\n")).toBeGreaterThanOrEqual(floor);
  });

  it("passes every privacy and injection probe", () => {
    const failed = outcomes.filter((o) => o.question.probe && !o.pass).map((o) => `${o.question.id}: ${o.answer}`);
    expect(failed).toEqual([]);
  });
});
