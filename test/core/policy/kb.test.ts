import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  applySettings,
  defaultKbDir,
  fillPlaceholders,
  KbError,
  loadKb,
  mergeKb,
  parseFrontMatter,
  parseKbFile,
} from "../../../core/policy/kb";

const fixtures = fileURLToPath(new URL("../../fixtures/kb/", import.meta.url));

const entry = (front: string, body = "## 第一段\n第一段的内容。") => `---\n${front}\n---\n${body}\n`;
const valid = "id: demo\ntitle: 示例\nsources: [某文件]\neffective: 2024-01-01";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kb-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("front matter", () => {
  it("parses inline lists, booleans and plain strings", () => {
    const f = parseFrontMatter(
      "id: a-b\nkeywords: [助学金, 低保，寄宿生]\nvaries_locally: true\ntitle: 标题（2024）",
      "x.md",
    );
    expect(f).toEqual({
      id: "a-b",
      keywords: ["助学金", "低保", "寄宿生"],
      varies_locally: true,
      title: "标题（2024）",
    });
  });

  it("names the file and line of a malformed line", () => {
    expect(() => parseFrontMatter("id: a\nthis is not a pair", "prompts/kb/a.md")).toThrow(
      /prompts\/kb\/a\.md.*line 3/,
    );
  });

  it("rejects a key given twice", () => {
    expect(() => parseFrontMatter("id: a\nid: b", "a.md")).toThrow(/appears twice/);
  });
});

describe("parsing a knowledge-base file", () => {
  it("splits the body into passages at ## headings and keeps text before the first heading under the title", () => {
    const e = parseKbFile(
      entry(valid, "导语一句。\n\n## 谁能领\n**困难**学生。\n\n## 领多少\n每年 1250 元。"),
      "demo.md",
    );
    expect(e.passages).toEqual([
      { heading: "示例", text: "导语一句。", aspects: [] },
      { heading: "谁能领", text: "困难学生。", aspects: [] },
      { heading: "领多少", text: "每年 1250 元。", aspects: [] },
    ]);
    expect(e.varies_locally).toBe(false);
    expect(e.keywords).toEqual([]);
  });

  it("takes a heading's {aspect=… topics=…} tags off the heading and keeps them on the passage", () => {
    const e = parseKbFile(
      entry(
        `${valid}\ntopics: [两免一补]`,
        "## 领多少 {aspect=amount}\n每年 1250 元。\n\n## 两种能同时办吗 {aspect=combine,what topics=生源地贷款,校园地贷款}\n只能选一种。",
      ),
      "demo.md",
    );
    expect(e.topics).toEqual(["两免一补"]);
    expect(e.passages[0]).toEqual({ heading: "领多少", text: "每年 1250 元。", aspects: ["amount"] });
    expect(e.passages[1]).toMatchObject({
      heading: "两种能同时办吗",
      aspects: ["combine", "what"],
      topics: ["生源地贷款", "校园地贷款"],
    });
  });

  it("rejects an unknown aspect or topic, naming the file", () => {
    expect(() => parseKbFile(entry(valid, "## 领多少 {aspect=money}\n每年 1250 元。"), "prompts/kb/demo.md")).toThrow(
      /demo\.md/,
    );
    expect(() => parseKbFile(entry(`${valid}\ntopics: [不存在的项目]`), "prompts/kb/demo.md")).toThrow(/unknown topic/);
  });

  it("tags every passage of the repository knowledge base with an aspect", () => {
    const untagged = loadKb().entries.flatMap((e) =>
      e.passages.filter((p) => p.aspects.length === 0 && p.heading !== e.title).map((p) => `${e.id}: ${p.heading}`),
    );
    expect(untagged).toEqual([]);
  });

  it("names the file and the field when a required field is missing", () => {
    const err = (() => {
      try {
        parseKbFile(entry("id: demo\ntitle: 示例\neffective: 2024-01-01"), "prompts/kb/demo.md");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(KbError);
    expect((err as KbError).file).toBe("prompts/kb/demo.md");
    expect((err as KbError).field).toBe("sources");
  });

  it("names a field with the wrong type", () => {
    expect(() => parseKbFile(entry(`${valid}\nvaries_locally: maybe`), "demo.md")).toThrow(
      /demo\.md \(varies_locally\)/,
    );
  });

  it("rejects an unknown front-matter key so a typo cannot pass silently", () => {
    expect(() => parseKbFile(entry(`${valid}\nvaries_localy: true`), "demo.md")).toThrow(/demo\.md/);
  });

  it("rejects an id that does not match the file name", () => {
    expect(() => parseKbFile(entry(valid), "prompts/kb/other.md")).toThrow(/does not match the file name/);
  });

  it("rejects a file without front matter or without passages", () => {
    expect(() => parseKbFile("## 只有正文\n内容", "demo.md")).toThrow(/missing front matter/);
    expect(() => parseKbFile(`---\n${valid}\n---\n`, "demo.md")).toThrow(/demo\.md \(passages\)/);
  });
});

describe("loading a folder", () => {
  it("loads every entry of the fixture knowledge base", () => {
    const kb = loadKb(fixtures);
    expect(kb.entries.map((e) => e.id)).toEqual(["boarding-allowance", "scam-warning", "student-loan"]);
    expect(kb.entries[0]!.passages).toHaveLength(3);
  });

  it("rejects two files with the same id", () => {
    const dir = folder({ "demo.md": entry(valid) });
    writeFileSync(join(dir, "copy.md"), entry(valid));
    expect(() => loadKb(dir)).toThrow(/copy\.md/);
  });

  it("finds the repository knowledge base next to the sources by default", () => {
    expect(defaultKbDir()).toMatch(/prompts[\\/]kb[\\/]?$/);
    expect(loadKb().entries.length).toBeGreaterThan(0);
  });
});

describe("tenant overrides", () => {
  const base = loadKb(fixtures);

  it("replaces an entry with the same id and adds a new one", () => {
    const replacement = {
      ...base.entries[0]!,
      title: "本县寄宿生补助",
      passages: [{ heading: "标准", text: "本县每年 1400 元。" }],
    };
    const added = { ...replacement, id: "county-extra", title: "本县特别补助" };
    const merged = mergeKb(base, [replacement, added]);
    expect(merged.entries).toHaveLength(4);
    expect(merged.entries.find((e) => e.id === "boarding-allowance")!.title).toBe("本县寄宿生补助");
    expect(merged.entries.some((e) => e.id === "county-extra")).toBe(true);
  });

  it("patches one passage by heading, appends a new one and removes an emptied one", () => {
    const merged = mergeKb(base, [
      {
        mode: "patch",
        id: "student-loan",
        passages: [
          { heading: "生源地助学贷款在哪里办", text: "到县政务大厅二楼资助中心窗口办理。" },
          { heading: "本县受理时间", text: "每年 7 月 1 日到 8 月 31 日。" },
          { heading: "助学贷款的还本宽限期", text: "" },
        ],
      },
    ]);
    const loan = merged.entries.find((e) => e.id === "student-loan")!;
    expect(loan.passages.map((p) => p.heading)).toEqual([
      "生源地助学贷款能贷多少",
      "生源地助学贷款在哪里办",
      "本县受理时间",
    ]);
    expect(loan.passages[1]!.text).toContain("政务大厅");
    expect(base.entries.find((e) => e.id === "student-loan")!.passages).toHaveLength(3);
  });

  it("hides an entry for the tenant", () => {
    expect(mergeKb(base, [{ mode: "remove", id: "scam-warning" }]).entries.map((e) => e.id)).not.toContain(
      "scam-warning",
    );
  });

  it("names the override and the field when an override is invalid", () => {
    expect(() => mergeKb(base, [{ id: "Bad Id", title: "x" }])).toThrow(/override #1/);
    expect(() => mergeKb(base, [{ mode: "patch", id: "nope" }])).toThrow(/unknown entry/);
  });
});

describe("placeholders", () => {
  it("fills {{hotline}} from the tenant settings", () => {
    const kb = applySettings(loadKb(fixtures), { name: "某县", hotline: "0851-1234567" }, () => "（未配置）");
    expect(kb.entries[0]!.passages[2]!.text).toContain("0851-1234567");
    expect(kb.entries[0]!.passages[2]!.text).not.toContain("{{");
  });

  it("uses the fallback when a setting is missing or empty", () => {
    expect(fillPlaceholders("电话 {{ hotline }}，地址 {{address}}", { hotline: "" }, (k) => `<${k}>`)).toBe(
      "电话 <hotline>，地址 <address>",
    );
  });
});
