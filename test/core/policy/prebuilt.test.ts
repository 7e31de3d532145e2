/**
 * The retrieval index built ahead of time (core/policy/prebuilt.ts, prompts/kb.index.json): it must be what a fresh
 * build gives — this test is the staleness check that fails when the knowledge base or the retrieval vocabulary
 * changed and `npm run kb:index` (also run by `npm run dev`) was not — it must search exactly as a built index, and
 * it must never be used for a knowledge base it was not built from.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applySettings, loadKb, type Kb } from "../../../core/policy/kb";
import { buildIndex, indexFor, indexFromData } from "../../../core/policy/index";
import { buildPrebuilt, defaultIndexFile, prebuiltFor, writeArtefact } from "../../../core/policy/prebuilt";
import { placeholderFallback } from "../../../prompts/replies";

const filled = (kb: Kb, settings: Record<string, string> = {}) => applySettings(kb, settings, placeholderFallback);

describe("the prebuilt retrieval index", () => {
  it("is what a fresh build of the knowledge base gives (else run `npm run kb:index`)", () => {
    const onDisk = JSON.parse(readFileSync(defaultIndexFile(), "utf8")) as unknown;
    const fresh = JSON.parse(JSON.stringify(buildPrebuilt(loadKb()))) as { fingerprint: string };
    const stale = (onDisk as { fingerprint?: string }).fingerprint !== fresh.fingerprint;
    expect(stale, "prompts/kb.index.json is stale: run `npm run kb:index`").toBe(false);
    expect(onDisk, "prompts/kb.index.json differs from a fresh build: run `npm run kb:index`").toEqual(fresh);
  });

  it("searches exactly as an index built now", () => {
    const kb = filled(loadKb());
    const data = prebuiltFor(kb);
    expect(data).toBeDefined();
    const prebuilt = indexFromData(kb, data!);
    const built = buildIndex(kb);
    for (const q of ["住校的初中生一年补多少", "生源地贷款要带啥材料", "雨露计划打到哪张卡", "公示有意见找谁"]) {
      const a = prebuilt.search(q, 5, { aspects: ["amount"] });
      const b = built.search(q, 5, { aspects: ["amount"] });
      expect(a.hits.map((h) => [h.entry.id, h.index, h.score])).toEqual(
        b.hits.map((h) => [h.entry.id, h.index, h.score]),
      );
      expect(a.confidence).toBe(b.confidence);
      expect(a.domain).toBe(b.domain);
    }
  });

  it("is used for a tenant's own filled copy of the repository's knowledge base", () => {
    const kb = filled(loadKb(), { hotline: "0391-1234567", name: "某县学生资助管理中心" });
    expect(prebuiltFor(kb)).toBeDefined();
    // The hits show the tenant's own text, not the artefact's neutral wording.
    const hit = indexFor(kb)
      .search("资助中心电话多少", 8)
      .hits.find((h) => h.passage.text.includes("0391-1234567"));
    expect(hit).toBeDefined();
  });

  it("is not used for a knowledge base that differs from the one it was built from", () => {
    const kb = loadKb();
    const changed: Kb = {
      entries: kb.entries.map((e, i) =>
        i === 0
          ? { ...e, passages: e.passages.map((p, j) => (j === 0 ? { ...p, text: `${p.text}补充一句。` } : p)) }
          : e,
      ),
    };
    expect(prebuiltFor(filled(changed))).toBeUndefined();
    expect(prebuiltFor({ entries: kb.entries.slice(1) })).toBeUndefined();
  });
});

describe("writing a build artefact", () => {
  it("leaves the file untouched when its content has not changed, and leaves no temporary file", async () => {
    const { mkdtempSync, readdirSync, statSync, readFileSync: read } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "artefact-"));
    const file = join(dir, "a.json");
    writeArtefact(file, "one\n");
    const first = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    writeArtefact(file, "one\n");
    expect(statSync(file).mtimeMs).toBe(first);
    writeArtefact(file, "two\n");
    expect(read(file, "utf8")).toBe("two\n");
    expect(readdirSync(dir)).toEqual(["a.json"]);
  });
});
