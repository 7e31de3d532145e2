/**
 * Comments and docs cite design and protocol sections as `docs/<name>.md §<n>`. A citation of a file that is not in
 * the repository, or of a section that file does not have, is drift: these tests find it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SCANNED = [
  "core",
  "functions",
  "prompts",
  "scripts",
  "test",
  "console/src",
  "docs",
  "README.md",
  "sst.config.ts",
];
const SKIPPED = new Set(["node_modules", "dist", "fixtures"]);

function files(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { withFileTypes: true }).flatMap((d) => {
    if (SKIPPED.has(d.name)) return [];
    const rel = `${path}/${d.name}`;
    if (d.isDirectory()) return files(rel);
    return /\.(ts|tsx|md)$/.test(d.name) ? [rel] : [];
  });
}

/** `docs/design.md §4.5, §4.6` → ["docs/design.md", ["4.5", "4.6"]]; a range `§1–3` cites both ends. */
const CITATION = /((?:[\w-]+\/)*[\w-]+\.md)((?:,? ?§\d+(?:\.\d+)*(?:[–-]\d+(?:\.\d+)*)?)+)/g;

interface Citation {
  where: string;
  doc: string;
  sections: string[];
}

function citations(): Citation[] {
  const out: Citation[] = [];
  for (const file of SCANNED.flatMap(files)) {
    const text = readFileSync(join(root, file), "utf8");
    for (const m of text.matchAll(CITATION)) {
      const line = text.slice(0, m.index).split("\n").length;
      const sections = [...m[2]!.matchAll(/\d+(?:\.\d+)*/g)].map((s) => s[0]);
      out.push({ where: `${file}:${line}`, doc: m[1]!, sections });
    }
  }
  return out;
}

/** Section numbers a markdown file's headings carry: `## 3. Flows` → 3, `### 3.1 A parent's message` → 3.1. */
function sectionsOf(doc: string): Set<string> {
  const text = readFileSync(join(root, doc), "utf8");
  return new Set([...text.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)].map((m) => m[1]!));
}

describe("citations of the docs", () => {
  const found = citations();

  it("finds the citations the code makes (so the check below is not vacuous)", () => {
    expect(found.filter((c) => c.doc === "docs/design.md").length).toBeGreaterThan(5);
    expect(found.filter((c) => c.doc === "docs/wechat-protocol.md").length).toBeGreaterThan(5);
  });

  it("cites only documents that are in the repository's docs folder", () => {
    const outside = found.filter(
      (c) => !c.doc.startsWith("docs/") || !statSync(join(root, c.doc), { throwIfNoEntry: false }),
    );
    expect(outside.map((c) => `${c.where} cites ${c.doc}`)).toEqual([]);
  });

  it("cites only sections the cited document has", () => {
    const missing = found
      .filter((c) => c.doc.startsWith("docs/") && statSync(join(root, c.doc), { throwIfNoEntry: false }))
      .flatMap((c) => {
        const have = sectionsOf(c.doc);
        return c.sections.filter((s) => !have.has(s)).map((s) => `${c.where} cites ${c.doc} §${s}`);
      });
    expect(missing).toEqual([]);
  });

  it("reads section numbers from headings the way the docs write them", () => {
    const design = sectionsOf("docs/design.md");
    expect(design.has("4")).toBe(true);
    expect(design.has("4.3")).toBe(true);
    expect(design.has("4.99")).toBe(false);
  });
});
