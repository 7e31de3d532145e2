/**
 * `npm run eval` — runs test/eval/questions.jsonl through the offline assistant (each question a fresh unbound user)
 * and prints accuracy overall, per category, intent, programme and aspect, and the probe gate; then the
 * conversations file (docs/design.md §4.7: each conversation one fresh user, context kept by an in-memory conversation
 * store — the same port the DynamoDB one implements), each conversation right when all its turns are.
 *   --questions <path>      another questions file (alias: --file); may be outside the repository
 *   --conversations <path>  another conversations file; may be outside the repository
 *   --no-conversations / --no-questions   skip one part
 *   --verbose       list every failure with the answer given
 *   --calibrate     sweep the confidence threshold: eval accuracy, and what happens to the questions in
 *                   test/fixtures/not-sure-questions.jsonl (which the knowledge base does not cover)
 *   --strict        exit 1 when a probe fails (the report itself always exits 0)
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createAssistant } from "../../core/assistant";
import {
  parseConversations,
  parseQuestions,
  runConversations,
  runEval,
  summarise,
  summariseConversations,
  type Tally,
} from "../../core/assistant/evaluate";
import { memoryConversationStore } from "../../core/assistant/conversation";
import { offlineSession } from "../../core/assistant/ports";
import { loadKb } from "../../core/policy/kb";
import { replies } from "../../prompts/replies";
import { cliTenant } from "./tenant";

export { scoreAnswer, parseQuestions, runEval, summarise } from "../../core/assistant/evaluate";

export const defaultQuestionsFile = fileURLToPath(new URL("../../test/eval/questions.jsonl", import.meta.url));
export const defaultConversationsFile = fileURLToPath(new URL("../../test/eval/conversations.jsonl", import.meta.url));
/** Questions the knowledge base does not cover, for --calibrate. */
const notSureFile = fileURLToPath(new URL("../../test/fixtures/not-sure-questions.jsonl", import.meta.url));

const pct = (t: Tally) =>
  `${((100 * t.passed) / Math.max(1, t.total)).toFixed(1).padStart(5)}%  ${String(t.passed).padStart(3)}/${t.total}`;

async function main(argv: string[]): Promise<number> {
  const flag = (...names: string[]) => {
    for (const n of names) {
      const i = argv.indexOf(n);
      if (i >= 0 && argv[i + 1]) return argv[i + 1]!;
    }
    return undefined;
  };
  const file = flag("--questions", "--file") ?? defaultQuestionsFile;
  const questions = argv.includes("--no-questions") ? [] : parseQuestions(readFileSync(file, "utf8"), file);
  const kb = loadKb();

  if (argv.includes("--calibrate")) {
    // Answerable questions (the eval set) against questions the KB does not cover (our fixture): how many right
    // answers each threshold costs, and how many uncovered questions it stops (not sure) or marks (hedged).
    const uncovered = readFileSync(notSureFile, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { q: string }).q);
    for (const threshold of [0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]) {
      const assistant = createAssistant({ kb, tenantSettings: cliTenant, compose: { threshold } });
      const s = summarise(await runEval(assistant, questions));
      let stopped = 0;
      let hedged = 0;
      for (const [i, q] of uncovered.entries()) {
        const r = await assistant.reply({ tenant: "demo", userKey: `cal-${i}`, channel: "cli", text: q });
        const text = r.replies.map((x) => x.text).join("\n");
        if (r.intent !== "policy" || text === replies.notSure(cliTenant)) stopped += 1;
        else if (text.startsWith(replies.closest())) hedged += 1;
      }
      console.log(
        `threshold ${threshold.toFixed(2)}  eval ${pct(s.overall)}   uncovered: ${stopped} not sure/out of scope, ${hedged} hedged, ${uncovered.length - stopped - hedged} answered`,
      );
    }
    return 0;
  }

  const started = performance.now();
  const outcomes = await runEval(
    createAssistant({ kb, tenantSettings: cliTenant, conversation: memoryConversationStore() }),
    questions,
  );
  const ms = performance.now() - started;
  const s = summarise(outcomes);

  console.log(`eval: ${file}`);
  console.log(`overall      ${pct(s.overall)}   (${(ms / Math.max(1, outcomes.length)).toFixed(2)} ms/question)`);
  console.log(`probes       ${pct(s.probes)}${s.probes.passed === s.probes.total ? "" : "   ← PROBES FAILING"}`);
  console.log("\nby category");
  for (const [k, t] of [...s.byCategory].sort()) console.log(`  ${k.padEnd(16)} ${pct(t)}`);
  console.log("\nby intent");
  for (const [k, t] of [...s.byIntent].sort()) console.log(`  ${k.padEnd(16)} ${pct(t)}`);
  if (s.byProgramme.size) {
    console.log("\nby programme");
    for (const [k, t] of [...s.byProgramme].sort()) console.log(`  ${k.padEnd(16)} ${pct(t)}`);
  }
  if (s.byAspect.size) {
    console.log("\nby aspect");
    for (const [k, t] of [...s.byAspect].sort()) console.log(`  ${k.padEnd(16)} ${pct(t)}`);
  }

  const failures = outcomes.filter((o) => !o.pass);
  if (argv.includes("--verbose")) {
    console.log(`\nfailures (${failures.length})`);
    for (const o of failures) {
      console.log(`\n✗ ${o.question.id} [${o.question.category ?? "-"}] ${o.question.q}`);
      console.log(`  got ${o.intent}; ${o.reasons.join("; ")}`);
      console.log(`  ${o.answer.replace(/\n/g, "\n  ")}`);
    }
  } else if (failures.length) {
    console.log(
      `\n${failures.length} failing: ${failures.map((o) => o.question.id).join(" ")}   (--verbose for details)`,
    );
  }

  const convFile = flag("--conversations") ?? defaultConversationsFile;
  if (!argv.includes("--no-conversations")) {
    const conversations = parseConversations(readFileSync(convFile, "utf8"), convFile);
    // Each conversation one user with a short memory (safety topic, a binding asked for), as the channels keep.
    const assistant = createAssistant({
      kb,
      tenantSettings: cliTenant,
      conversation: memoryConversationStore(),
      family: offlineSession(cliTenant),
    });
    const convs = await runConversations(assistant, conversations);
    const cs = summariseConversations(convs);
    console.log(`\nconversations: ${convFile}`);
    console.log(`fully right  ${pct(cs.conversations)}`);
    console.log(`turns right  ${pct(cs.turns)}`);
    console.log("\nby tag");
    for (const [k, t] of [...cs.byTag].sort()) console.log(`  ${k.padEnd(16)} ${pct(t)}`);
    const bad = convs.filter((c) => !c.pass);
    if (argv.includes("--verbose")) {
      for (const c of bad) {
        console.log(`\n✗ ${c.conversation.id} [${c.conversation.tags.join(",")}]`);
        for (const t of c.turns) {
          console.log(`  ${t.pass ? "✓" : "✗"} ${t.say}  → ${t.intent}${t.pass ? "" : `; ${t.reasons.join("; ")}`}`);
          if (!t.pass) console.log(`    ${t.answer.replace(/\n/g, "\n    ")}`);
        }
      }
    } else if (bad.length) {
      console.log(`\n${bad.length} conversations failing: ${bad.map((c) => c.conversation.id).join(" ")}`);
    }
  }
  return argv.includes("--strict") && s.probes.passed !== s.probes.total ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(2);
    },
  );
}
