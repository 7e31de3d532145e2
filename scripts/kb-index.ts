/**
 * `npm run kb:index` (also run by `npm run dev`): builds ahead of time what the assistant would otherwise build on
 * a cold start — the retrieval index of prompts/kb into prompts/kb.index.json (core/policy/prebuilt.ts) and the
 * homophone table into prompts/homophones.index.json (core/assistant/homophones.ts). Run it after editing the
 * knowledge base, the retrieval vocabulary or the homophone vocabulary; test/core/policy/prebuilt.test.ts and
 * test/core/assistant/homophones.test.ts fail until you do.
 */
import { defaultHomophoneFile, writeHomophoneTable } from "../core/assistant/homophones";
import { defaultIndexFile, writePrebuilt } from "../core/policy/prebuilt";

let started = performance.now();
const file = defaultIndexFile();
const built = writePrebuilt(file);
console.log(
  `kb index: ${built.data.passages.docs.length} passages → ${file} (${(performance.now() - started).toFixed(0)} ms)`,
);
started = performance.now();
const homophones = defaultHomophoneFile();
const table = await writeHomophoneTable(homophones);
const chars = Object.values(table.bySyllable).reduce((n, cs) => n + cs.length, 0);
console.log(
  `homophone table: ${table.keys.length} words, ${Object.keys(table.bySyllable).length} syllables over ${chars} characters → ${homophones} (${(performance.now() - started).toFixed(0)} ms)`,
);
