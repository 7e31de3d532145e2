/**
 * The retrieval index built ahead of time. Reading the knowledge base into the index (segmenting every passage,
 * postings, what each passage states) is most of a cold start; `scripts/kb-index.ts` does it once and writes
 * `prompts/kb.index.json` beside prompts/kb (so it ships with the bundle's copy of prompts/), and `indexFor` loads
 * it instead of building when it fits.
 *
 * It fits when the knowledge base is the repository's (its fingerprint: every entry as loaded, before placeholders
 * are filled, plus the retrieval vocabulary of prompts/ and the format version). A tenant's own filled copy shares
 * its source and uses it — the three placeholder spots are indexed with their neutral wording; a tenant with
 * knowledge-base overrides, or a stale file, is built at run time as before. `test/core/policy/prebuilt.test.ts`
 * fails when the file is not what a fresh build gives, and `npm run dev` regenerates it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { domainTerms } from "../../prompts/synonyms";
import * as retrieval from "../../prompts/retrieval";
import { placeholderFallback } from "../../prompts/replies";
import { applySettings, defaultKbDir, loadKb, sourceOf, type Kb } from "./kb";
import { buildIndexData, type IndexData } from "./index";

/** Bumped when IndexData or the way it is computed changes shape. */
export const INDEX_FORMAT = 1;

export interface PrebuiltIndex {
  format: number;
  fingerprint: string;
  data: IndexData;
}

export function defaultIndexFile(kbDir: string = defaultKbDir()): string {
  return join(dirname(kbDir.replace(/[\\/]+$/, "")), "kb.index.json");
}

/** A vocabulary value as plain JSON: regexes by source and flags, sets as arrays, object keys sorted. */
const plain = (v: unknown): unknown =>
  v instanceof RegExp
    ? `/${v.source}/${v.flags}`
    : v instanceof Set
      ? [...v].map(plain)
      : v instanceof Map
        ? [...v].map(plain)
        : Array.isArray(v)
          ? v.map(plain)
          : v && typeof v === "object"
            ? Object.fromEntries(
                Object.keys(v)
                  .sort()
                  .map((k) => [k, plain((v as Record<string, unknown>)[k])]),
              )
            : v;

/** What the index is computed from: the source knowledge base and the retrieval vocabulary. */
export function kbFingerprint(kb: Kb): string {
  return createHash("sha256")
    .update(JSON.stringify(plain({ format: INDEX_FORMAT, kb: kb.entries, domainTerms, retrieval: { ...retrieval } })))
    .digest("hex");
}

/** The data for the repository's knowledge base, as the artefact holds it (placeholders filled neutrally). */
export function buildPrebuilt(kb: Kb = loadKb()): PrebuiltIndex {
  return {
    format: INDEX_FORMAT,
    fingerprint: kbFingerprint(kb),
    data: buildIndexData(applySettings(kb, {}, placeholderFallback)),
  };
}

export function writePrebuilt(file = defaultIndexFile(), kb: Kb = loadKb()): PrebuiltIndex {
  const built = buildPrebuilt(kb);
  writeArtefact(file, `${JSON.stringify(built)}\n`);
  return built;
}

/**
 * Writes a build artefact only when its content changed, and atomically (a temporary file renamed over it): `npm run
 * dev` rebuilds the artefacts on every start, and a test or a process reading them at that moment must never see a
 * half-written file.
 */
export function writeArtefact(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === text) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

let loaded: { file: string; index: PrebuiltIndex | null } | undefined;

function readPrebuilt(file: string): PrebuiltIndex | null {
  if (loaded?.file === file) return loaded.index;
  let index: PrebuiltIndex | null = null;
  try {
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as PrebuiltIndex;
      if (parsed.format === INDEX_FORMAT) index = parsed;
    }
  } catch {
    index = null; // unreadable: built at run time
  }
  loaded = { file, index };
  return index;
}

/** Fingerprints of source knowledge bases already checked (a KB object does not change once loaded). */
const checked = new WeakMap<Kb, boolean>();

/** The prebuilt data for `kb` when the artefact was built from the same source, otherwise undefined. */
export function prebuiltFor(kb: Kb, file = defaultIndexFile()): IndexData | undefined {
  const source = sourceOf(kb);
  const index = readPrebuilt(file);
  if (!index) return undefined;
  let fits = checked.get(source);
  if (fits === undefined) checked.set(source, (fits = kbFingerprint(source) === index.fingerprint));
  return fits ? index.data : undefined;
}
