/**
 * `npm run kb:index` (also run by `npm run dev`): builds the retrieval index of prompts/kb ahead of time into
 * prompts/kb.index.json (core/policy/prebuilt.ts). Run it after editing the knowledge base or the retrieval
 * vocabulary; test/core/policy/prebuilt.test.ts fails until you do.
 */
import { defaultIndexFile, writePrebuilt } from "../core/policy/prebuilt";

const started = performance.now();
const file = defaultIndexFile();
const built = writePrebuilt(file);
console.log(
  `kb index: ${built.data.passages.docs.length} passages → ${file} (${(performance.now() - started).toFixed(0)} ms)`,
);
