/**
 * The policy knowledge base: `prompts/kb/<id>.md`, one topic a file (format in docs/architecture.md).
 *
 * Front matter is a strict YAML subset parsed here without a dependency; the body is split into passages at
 * `## ` headings. Entries are zod-validated and every error names the file and the field. Tenants may override
 * entries (whole entries or single passages) and fill placeholders such as `{{hotline}}` from their settings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ASPECTS, programmes } from "../../prompts/understanding";

const TOPIC_IDS = new Set(programmes.map((p) => p.id));
const Topic = z
  .string()
  .trim()
  .refine((t) => TOPIC_IDS.has(t), { message: "unknown topic (see prompts/understanding.ts programmes)" });

const ENTRY_ID = /^[a-z0-9][a-z0-9-]*$/;

export const KbPassage = z.object({
  heading: z.string().trim().min(1, "heading is empty"),
  text: z.string().trim().min(1, "passage text is empty"),
  /** What the passage answers about its programme (`## 领多少 {aspect=amount}`); see prompts/understanding.ts. */
  aspects: z.array(z.enum(ASPECTS)).default([]),
  /** The programmes this passage answers when they differ from its entry's `topics` (`{aspect=combine topics=a,b}`). */
  topics: z
    .array(
      z
        .string()
        .trim()
        .refine((t) => TOPIC_IDS.has(t), { message: "unknown topic" }),
    )
    .optional(),
});
export type KbPassage = z.infer<typeof KbPassage>;

export const KbEntry = z.strictObject({
  id: z.string().regex(ENTRY_ID, "id must be lower-case letters, digits and dashes"),
  title: z.string().trim().min(1),
  stage: z.string().trim().min(1).optional(),
  programme: z.string().trim().min(1).optional(),
  /** The programmes (prompts/understanding.ts ids) the entry's passages answer, for slot-first retrieval. */
  topics: z.array(Topic).default([]),
  keywords: z.array(z.string().trim().min(1)).default([]),
  synonyms: z.array(z.string().trim().min(1)).default([]),
  sources: z.array(z.string().trim().min(1)).min(1, "at least one source is required"),
  effective: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "effective must be a date like 2024-03-01"),
  varies_locally: z.boolean().default(false),
  passages: z.array(KbPassage).min(1, "the body has no `## ` passage"),
});
export type KbEntry = z.infer<typeof KbEntry>;

/**
 * A tenant's change to the repository knowledge base (stored in DynamoDB later, passed in here):
 * - a whole entry (`mode` absent or `"replace"`): same id replaces the repository entry, a new id adds one;
 * - `"patch"`: passages with the same heading replace, new headings are appended, an empty text removes the
 *   passage; any front-matter field given replaces that field;
 * - `"remove"`: hides the repository entry for this tenant.
 */
export const KbOverride = z.union([
  KbEntry.extend({ mode: z.literal("replace").optional() }),
  z.strictObject({
    mode: z.literal("patch"),
    id: z.string().regex(ENTRY_ID),
    title: z.string().trim().min(1).optional(),
    stage: z.string().trim().min(1).optional(),
    programme: z.string().trim().min(1).optional(),
    topics: z.array(Topic).optional(),
    keywords: z.array(z.string().trim().min(1)).optional(),
    synonyms: z.array(z.string().trim().min(1)).optional(),
    sources: z.array(z.string().trim().min(1)).min(1).optional(),
    effective: z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/)
      .optional(),
    varies_locally: z.boolean().optional(),
    passages: z
      .array(
        z.object({
          heading: z.string().trim().min(1),
          text: z.string().trim(),
          aspects: z.array(z.enum(ASPECTS)).optional(),
        }),
      )
      .optional(),
  }),
  z.strictObject({ mode: z.literal("remove"), id: z.string().regex(ENTRY_ID) }),
]);
export type KbOverride = z.input<typeof KbOverride>;

export interface Kb {
  readonly entries: readonly KbEntry[];
}

/** Settings a tenant fills into `{{placeholders}}`; `name` and `hotline` at least. */
export interface TenantSettings {
  name: string;
  hotline: string;
  [key: string]: string;
}

export class KbError extends Error {
  override readonly name = "KbError";
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    message: string,
    /** The schema issue behind it, when there is one (so the console can say it in Chinese). */
    readonly issue?: z.core.$ZodIssue,
  ) {
    super(`${file}${field ? ` (${field})` : ""}: ${message}`);
  }
}

type FrontValue = string | boolean | string[];

/** Parses the front-matter subset: `key: value`, inline `[a, b]` lists, `true`/`false`. */
export function parseFrontMatter(block: string, file: string): Record<string, FrontValue> {
  const out: Record<string, FrontValue> = {};
  block.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new KbError(file, `front matter line ${i + 2}`, `expected "key: value", got "${line}"`);
    const key = m[1]!;
    const value = m[2]!.trim();
    if (key in out) throw new KbError(file, key, "appears twice in the front matter");
    out[key] = parseValue(value, file, key);
  });
  return out;
}

function parseValue(value: string, file: string, key: string): FrontValue {
  if (value.startsWith("[")) {
    if (!value.endsWith("]")) throw new KbError(file, key, "list must be written inline as [a, b, c]");
    const inner = value.slice(1, -1).trim();
    if (inner === "") return [];
    // Writers type Chinese commas too; items never contain commas (format rule), so both separate.
    return inner
      .split(/[,，、]/)
      .map((s) => unquote(s.trim()))
      .filter((s) => s !== "");
  }
  if (value === "true") return true;
  if (value === "false") return false;
  return unquote(value);
}

function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/.exec(s);
  return m ? m[2]! : s;
}

/** Light markdown clean-up: the text is sent as-is to a phone, so emphasis marks and comments go. */
function cleanText(lines: string[]): string {
  return lines
    .join("\n")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/__(.+?)__/g, "$1")
    .replace(/`([^`]+)`/g, "$1")
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .filter((l, i, all) => !(l === "" && (i === 0 || all[i - 1] === "")))
    .join("\n")
    .trim();
}

/** A heading's trailing tag block: `{aspect=amount}`, `{aspect=payment,when}`, `{aspect=combine topics=生源地贷款,校园地贷款}`. */
const HEADING_TAGS = /\s*\{([^}]*)\}\s*$/;

function parseTags(block: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of block.matchAll(/([a-z]+)\s*=\s*([^\s=]+)/g))
    out[m[1]!] = m[2]!
      .split(/[,，]/)
      .map((x) => x.trim())
      .filter((x) => x !== "");
  return out;
}

/**
 * Splits a body into passages at `## ` headings; text before the first heading becomes a passage under the title.
 * A heading may end in `{aspect=a,b}`: the tags are taken off the heading and kept as the passage's `aspects`
 * (validated by the KbEntry schema, so an unknown aspect names its file).
 */
export function splitPassages(body: string, title: string): (Omit<KbPassage, "aspects"> & { aspects: string[] })[] {
  const passages: { heading: string; aspects: string[]; topics?: string[]; lines: string[] }[] = [
    { heading: title, aspects: [], lines: [] },
  ];
  for (const line of body.split(/\r?\n/)) {
    const h = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h && !line.startsWith("###")) {
      const found = HEADING_TAGS.exec(h[1]!);
      const tags = found && /=/.test(found[1]!) ? parseTags(found[1]!) : undefined;
      const heading = tags ? h[1]!.slice(0, found!.index).trim() : h[1]!;
      passages.push({
        heading,
        aspects: tags?.aspect ?? [],
        ...(tags?.topics ? { topics: tags.topics } : {}),
        lines: [],
      });
    } else passages[passages.length - 1]!.lines.push(line);
  }
  return passages
    .map((p) => ({
      heading: p.heading,
      text: cleanText(p.lines),
      aspects: p.aspects,
      ...(p.topics ? { topics: p.topics } : {}),
    }))
    .filter((p) => p.text !== "");
}

/** Parses one knowledge-base file. `file` is used in error messages and, when it ends in `<id>.md`, checked. */
export function parseKbFile(text: string, file: string): KbEntry {
  const src = text.replace(/^\uFEFF/, "");
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(src);
  if (!m) throw new KbError(file, undefined, "missing front matter (a block between two `---` lines at the top)");
  const front = parseFrontMatter(m[1]!, file);
  const title = typeof front.title === "string" ? front.title : "";
  const parsed = KbEntry.safeParse({ ...front, passages: splitPassages(m[2]!, title) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KbError(file, issue.path.join(".") || undefined, issue.message);
  }
  const base = file.split(/[\\/]/).pop() ?? file;
  if (base.endsWith(".md") && base !== `${parsed.data.id}.md`) {
    throw new KbError(
      file,
      "id",
      `id "${parsed.data.id}" does not match the file name (expected ${parsed.data.id}.md)`,
    );
  }
  return parsed.data;
}

/**
 * Where `prompts/kb` is: next to the sources (`core/policy/` → `../../prompts/kb`, under tsx and vitest) or next
 * to a bundle (`<bundle dir>/prompts/kb`, where the Lambda build copies it).
 */
export function defaultKbDir(): string {
  const candidates = ["../../prompts/kb/", "./prompts/kb/", "../prompts/kb/"].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(dir) && statSync(dir).isDirectory()) ?? candidates[0]!;
}

/** Loads every `*.md` under `dir` (default: the repository's prompts/kb), sorted by file name. */
export function loadKb(dir: string = defaultKbDir()): Kb {
  if (!existsSync(dir)) throw new KbError(dir, undefined, "knowledge-base folder not found");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".md") && !f.startsWith("_") && f.toLowerCase() !== "readme.md")
    .sort();
  const entries: KbEntry[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const entry = parseKbFile(readFileSync(join(dir, f), "utf8"), join(dir, f));
    const prev = seen.get(entry.id);
    if (prev) throw new KbError(join(dir, f), "id", `duplicate id "${entry.id}" (also in ${prev})`);
    seen.set(entry.id, f);
    entries.push(entry);
  }
  return { entries };
}

/** Repository entries + a tenant's overrides (same id replaces, new id adds; `patch` edits passages). */
export function mergeKb(base: Kb, overrides: readonly unknown[]): Kb {
  const byId = new Map(base.entries.map((e) => [e.id, e] as const));
  overrides.forEach((raw, i) => {
    const parsed = KbOverride.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const id = (raw as { id?: unknown } | null)?.id;
      throw new KbError(
        `override #${i + 1}${typeof id === "string" ? ` (${id})` : ""}`,
        issue.path.join(".") || undefined,
        issue.message,
      );
    }
    const o = parsed.data;
    if (o.mode === "remove") {
      byId.delete(o.id);
      return;
    }
    if (o.mode === "patch") {
      const current = byId.get(o.id);
      if (!current) throw new KbError(`override #${i + 1} (${o.id})`, "id", "patch refers to an unknown entry");
      const { mode: _mode, passages: patchPassages, ...fields } = o;
      const passages = [...current.passages];
      for (const p of patchPassages ?? []) {
        const at = passages.findIndex((q) => q.heading === p.heading);
        if (p.text === "") {
          if (at >= 0) passages.splice(at, 1);
        } else if (at >= 0)
          passages[at] = { heading: p.heading, text: p.text, aspects: p.aspects ?? passages[at]!.aspects };
        else passages.push({ heading: p.heading, text: p.text, aspects: p.aspects ?? [] });
      }
      const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      const merged = KbEntry.safeParse({ ...current, ...defined, passages });
      if (!merged.success) {
        throw new KbError(
          `override #${i + 1} (${o.id})`,
          merged.error.issues[0]!.path.join("."),
          merged.error.issues[0]!.message,
          merged.error.issues[0],
        );
      }
      byId.set(o.id, merged.data);
      return;
    }
    const { mode: _mode, ...entry } = o;
    byId.set(entry.id, entry);
  });
  return { entries: [...byId.values()] };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Fills `{{key}}` from tenant settings. A placeholder with no (or an empty) setting is replaced by `fallback(key)`
 * so a parent never sees raw braces.
 */
export function fillPlaceholders(
  text: string,
  settings: Readonly<Record<string, string>>,
  fallback: (key: string) => string,
): string {
  return text.replace(PLACEHOLDER, (_m, key: string) => {
    const v = settings[key];
    return v !== undefined && v.trim() !== "" ? v : fallback(key);
  });
}

/** The knowledge base with every placeholder in titles and passages filled for one tenant. */
export function applySettings(
  kb: Kb,
  settings: Readonly<Record<string, string>>,
  fallback: (key: string) => string,
): Kb {
  const fill = (s: string) => fillPlaceholders(s, settings, fallback);
  const filled: Kb = {
    entries: kb.entries.map((e) => ({
      ...e,
      title: fill(e.title),
      passages: e.passages.map((p) => ({ ...p, heading: fill(p.heading), text: fill(p.text) })),
    })),
  };
  filledFrom.set(filled, sourceOf(kb));
  return filled;
}

/** Each filled knowledge base's source (before its placeholders were filled). */
const filledFrom = new WeakMap<Kb, Kb>();

/** The knowledge base `kb` was filled from by `applySettings` (itself when it was not filled). */
export function sourceOf(kb: Kb): Kb {
  return filledFrom.get(kb) ?? kb;
}
