/**
 * The per-module mutation scores of the last `npm run mutate` (reports/mutation/mutation.json), as the Markdown table
 * docs/mutation.md keeps: killed (a test failed, or the mutant hung until the timeout) over all valid mutants, and the
 * survivors by file and line so each can be killed or explained.
 */
import { readFileSync } from "node:fs";
import { mutationModules } from "../mutation.modules.mjs";

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
const report = JSON.parse(readFileSync("reports/mutation/mutation.json", "utf8")) as {
  files: Record<string, { mutants: Mutant[] }>;
};

const inModule = (spec: string, file: string, line: number) => {
  const [path, range] = spec.split(":");
  if (path !== file) return false;
  if (!range) return true;
  const [from, to] = range.split("-").map(Number);
  return line >= from! && line <= to!;
};

const rows: string[] = [];
const survivors: string[] = [];
for (const m of mutationModules) {
  const mutants = Object.entries(report.files).flatMap(([file, f]) =>
    f.mutants
      .filter((x) => m.mutate.some((spec) => inModule(spec, file.replace(/\\/g, "/"), x.location.start.line)))
      .map((x) => ({ ...x, file })),
  );
  if (mutants.length === 0) continue;
  const count = (...s: string[]) => mutants.filter((x) => s.includes(x.status)).length;
  const killed = count("Killed", "Timeout");
  const valid = mutants.length - count("CompileError", "RuntimeError", "Ignored");
  const score = valid ? (100 * killed) / valid : 100;
  rows.push(
    `| ${m.name} | ${valid} | ${killed} | ${count("Survived")} | ${count("NoCoverage")} | ${score.toFixed(1)} % |`,
  );
  for (const x of mutants.filter((y) => y.status === "Survived" || y.status === "NoCoverage"))
    survivors.push(
      `${x.status.padEnd(10)} ${x.file}:${x.location.start.line}:${x.location.start.column} ${x.mutatorName} → ${JSON.stringify(x.replacement ?? "").slice(0, 80)}`,
    );
}
console.log("| module | mutants | killed | survived | no coverage | score |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
if (survivors.length) console.log(`\nSurvivors (${survivors.length}):\n${survivors.join("\n")}`);
