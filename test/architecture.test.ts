/**
 * The import graph of core/ and functions/, read from the sources (TypeScript's own import scanner, relative paths
 * resolved), checked against the house's layering: no cycle between areas of core/ (an area is the first folder
 * under core/, or a file directly in it), and core/ never imports functions/. Pure: reads files, starts nothing.
 * docs/architecture.md draws the area graph this computes.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** The file an import specifier names (`./x.js` → x.ts, x.tsx, x/index.ts), or undefined when it is not ours. */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(js|jsx|ts|tsx|mjs)$/, "");
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, "index.ts")];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

export interface Edge {
  from: string;
  to: string;
}

/** Every relative import of every file under the given top-level folders (paths relative to the repository). */
export function importEdges(roots: string[]): Edge[] {
  const edges: Edge[] = [];
  for (const file of roots.flatMap((r) => sources(path.join(ROOT, r)))) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    for (const im of info.importedFiles) {
      const target = resolve(file, im.fileName);
      if (target) edges.push({ from: path.relative(ROOT, file), to: path.relative(ROOT, target) });
    }
  }
  return edges;
}

/** core/<area>/… → <area>; core/<file>.ts → <file>.ts; anything else → undefined. */
export function areaOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  return parts[0] === "core" && parts.length >= 2 ? parts[1] : undefined;
}

/** Area → areas it imports (self-imports left out). */
export function areaGraph(edges: Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = areaOf(e.from);
    const b = areaOf(e.to);
    if (!a || !b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b) graph.get(a)!.add(b);
  }
  return graph;
}

/** Strongly connected components of more than one node (Tarjan): each is a set of areas that import each other. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The file-level imports that make up a cycle, so a failure says where to look. */
function cycleEdges(edges: Edge[], members: string[]): string[] {
  const inCycle = new Set(members);
  return edges
    .filter((e) => {
      const a = areaOf(e.from);
      const b = areaOf(e.to);
      return a && b && a !== b && inCycle.has(a) && inCycle.has(b);
    })
    .map((e) => `${e.from} → ${e.to}`);
}

describe("the import graph", () => {
  const edges = importEdges(["core", "functions"]);

  it("is read from the sources: it sees the imports every entry makes", () => {
    // Guards the scanner itself: an empty or unresolved graph would pass every check below.
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: "functions/queues/delivery.ts", to: "core/notifications/delivery.ts" });
    expect(edges).toContainEqual({ from: "core/notifications/delivery.ts", to: "core/channels/registry.ts" });
  });

  it("has no cycle between areas of core/", () => {
    const found = cycles(areaGraph(edges)).map((c) => `${c.join(" ↔ ")}:\n    ${cycleEdges(edges, c).join("\n    ")}`);
    expect(found, `import cycles between areas:\n  ${found.join("\n  ")}`).toEqual([]);
  });

  it("never imports functions/ from core/", () => {
    const upward = edges
      .filter((e) => e.from.startsWith("core/") && e.to.startsWith("functions/"))
      .map((e) => `${e.from} → ${e.to}`);
    expect(upward).toEqual([]);
  });

  it("keeps the staff actions above applications and notifications, and channels below notifications", () => {
    const g = areaGraph(edges);
    for (const below of ["applications", "notifications", "staff"])
      expect([...(g.get(below) ?? [])]).not.toContain("actions");
    expect([...(g.get("channels") ?? [])]).not.toContain("notifications");
  });
});

describe("the cycle finder", () => {
  it("finds a cycle through three areas and leaves a chain alone", () => {
    const g = new Map<string, Set<string>>([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a", "d"])],
      ["d", new Set()],
    ]);
    expect(cycles(g)).toEqual([["a", "b", "c"]]);
    g.get("c")!.delete("a");
    expect(cycles(g)).toEqual([]);
  });

  it("names areas by the first folder under core/, and root files by their name", () => {
    expect(areaOf("core/channels/wechat/api.ts")).toBe("channels");
    expect(areaOf("core/config.ts")).toBe("config.ts");
    expect(areaOf("functions/http/app.ts")).toBeUndefined();
  });
});
