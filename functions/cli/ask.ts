/**
 * `npm run ask -- "问题"` prints one answer and its citations.
 * `npm run ask -- --jsonl` reads `{"id","q"}` lines on stdin and writes `{"id","intent","answer","citations"}` lines —
 * each a fresh, unbound user; no server, no database, nothing else on stdout.
 * With OPENAI_API_KEY and OPENAI_MODEL set, policy and status questions go through LLM mode (no memory: every line
 * is a new user); logs go to stderr so stdout stays answers only.
 */
import { createInterface } from "node:readline";
import { createAssistant } from "../../core/assistant";
import { llmFromConfig, noMemory } from "../../core/assistant/llm";
import { logSink } from "../../core/log";
import { loadKb } from "../../core/policy/kb";
import { cliTenant } from "./tenant";

async function main(argv: string[]): Promise<number> {
  logSink.write = (line) => process.stderr.write(line + "\n");
  const assistant = createAssistant({
    kb: loadKb(),
    tenantSettings: cliTenant,
    llm: llmFromConfig({ memory: noMemory }),
  });
  const ask = (text: string, userKey: string) => assistant.reply({ tenant: "demo", userKey, channel: "cli", text });

  if (argv.includes("--jsonl")) {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      if (line.trim() === "") continue;
      n += 1;
      let id: unknown = null;
      let q = "";
      try {
        const obj = JSON.parse(line) as { id?: unknown; q?: unknown };
        id = obj.id ?? null;
        q = typeof obj.q === "string" ? obj.q : "";
      } catch {
        // Not a JSON line: take the whole line as the question, so one line in still gives one line out.
        q = line.trim();
        process.stderr.write(`line ${n}: not JSON, answered as a plain question\n`);
      }
      const r = await ask(q, `cli-${n}`);
      process.stdout.write(
        JSON.stringify({
          id,
          intent: r.intent,
          answer: r.replies.map((x) => x.text).join("\n"),
          citations: r.citations,
        }) + "\n",
      );
    }
    return 0;
  }

  const question = argv
    .filter((a) => !a.startsWith("--"))
    .join(" ")
    .trim();
  if (!question) {
    process.stderr.write('usage: npm run ask -- "问题"   |   npm run ask -- --jsonl < questions.jsonl\n');
    return 2;
  }
  const r = await ask(question, "cli-1");
  process.stdout.write(`[${r.intent}]\n${r.replies.map((x) => x.text).join("\n")}\n`);
  for (const c of r.citations) process.stdout.write(`  · ${c.id} — ${c.title}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
