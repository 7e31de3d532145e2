/**
 * `sst deploy` cannot run here, so evaluate sst.config.ts with recording
 * stand-ins for `$config` and `sst.*` and check that what it declares is what
 * the local stack provisions: the table and queues come from the same objects.
 */
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { TableDefinition } from "../../core/db/table.js";
import { QueueDefinitions } from "../../core/queue/definitions.js";

type Declared = { kind: string; name: string; args: Record<string, any>; subscriptions: any[] };

async function evaluateConfig() {
  const declared: Declared[] = [];
  const record = (kind: string) =>
    class {
      arn: string;
      url: string;
      value: string;
      subscriptions: any[] = [];
      constructor(name: string, args: Record<string, any> = {}) {
        this.arn = `arn:${kind}:${name}`;
        this.url = `https://${name}.example`;
        this.value = "";
        declared.push({ kind, name, args, subscriptions: this.subscriptions });
      }
      subscribe(fn: unknown, opts: unknown) {
        this.subscriptions.push({ fn, opts });
      }
    };
  const g = globalThis as any;
  g.$config = (cfg: unknown) => cfg;
  g.sst = {
    Secret: record("Secret"),
    aws: { Dynamo: record("Dynamo"), Queue: record("Queue"), Function: record("Function"), Cron: record("Cron") },
  };
  const mod = (await import(/* @vite-ignore */ new URL("../../sst.config.ts", import.meta.url).href)) as {
    default: { app: (i: any) => any; run: () => Promise<any> };
  };
  const app = mod.default.app({ stage: "ci" });
  const outputs = await mod.default.run();
  return { declared, app, outputs };
}

describe("sst.config.ts", () => {
  it("declares the table exactly as core/db/table.ts defines it", async () => {
    const { declared } = await evaluateConfig();
    const tables = declared.filter((d) => d.kind === "Dynamo");
    expect(tables).toHaveLength(1);
    expect(tables[0]!.name).toBe(TableDefinition.resource);
    expect(tables[0]!.args).toEqual({
      fields: TableDefinition.fields,
      primaryIndex: TableDefinition.primaryIndex,
      globalIndexes: TableDefinition.globalIndexes,
      ttl: TableDefinition.ttl,
    });
  });

  it("declares every queue of core/queue/definitions.ts with a DLQ, its redrive count and a partial-batch subscriber", async () => {
    const { declared } = await evaluateConfig();
    const queues = declared.filter((d) => d.kind === "Queue");
    expect(queues).toHaveLength(Object.keys(QueueDefinitions).length * 2);
    for (const def of Object.values(QueueDefinitions)) {
      const main = queues.find((q) => q.name === def.resource)!;
      expect(main.args.visibilityTimeout).toBe(`${def.visibilityTimeoutSeconds} seconds`);
      expect(main.args.dlq).toEqual({ queue: `arn:Queue:${def.resource}Dlq`, retry: def.maxReceiveCount });
      expect(main.subscriptions).toHaveLength(1);
      const sub = main.subscriptions[0];
      expect(sub.fn.handler).toBe(def.handler);
      expect(sub.fn.runtime).toBe("nodejs22.x");
      expect(sub.fn.architecture).toBe("arm64");
      expect(sub.opts).toEqual({ batch: { size: def.batchSize, partialResponses: true } });
      expect(queues.some((q) => q.name === `${def.resource}Dlq`)).toBe(true);
    }
  });

  it("declares the API with a Function URL, the release cron, and secrets instead of plain env", async () => {
    const { declared, app } = await evaluateConfig();
    const api = declared.find((d) => d.kind === "Function" && d.name === "Api")!;
    expect(api.args.url).toBe(true);
    expect(api.args.handler).toBe("functions/http/lambda.handler");
    expect(api.args.runtime).toBe("nodejs22.x");
    expect(api.args.architecture).toBe("arm64");
    // The same function serves the staff console's static bundle at /console.
    expect(api.args.copyFiles).toEqual(expect.arrayContaining([{ from: "console/dist" }, { from: "prompts" }]));
    const cron = declared.find((d) => d.kind === "Cron")!;
    expect(cron.args.function.handler).toBe("functions/cron/release.handler");
    const secrets = declared.filter((d) => d.kind === "Secret").map((d) => d.name);
    expect(secrets).toEqual(expect.arrayContaining(["WechatAppSecret", "WechatAesKey", "OpenaiApiKey", "TokenPepper"]));
    expect(JSON.stringify(api.args.environment)).not.toMatch(/SECRET|API_KEY/);
    expect(app.name).toBe("zizhu");
  });

  it("points every handler at a module that exists and exports it", async () => {
    const { declared } = await evaluateConfig();
    const handlers = new Set<string>();
    for (const d of declared) {
      if (d.args.handler) handlers.add(d.args.handler);
      if (d.args.function?.handler) handlers.add(d.args.function.handler);
      for (const s of d.subscriptions) handlers.add(s.fn.handler);
    }
    expect(handlers.size).toBeGreaterThanOrEqual(5);
    // Parsed, not imported: importing every entry would load the whole application into the unit run (the queue
    // workers of the integration project invoke these same handlers for real).
    for (const h of handlers) {
      const [file, fn] = [h.slice(0, h.lastIndexOf(".")), h.slice(h.lastIndexOf(".") + 1)];
      const source = readFileSync(new URL(`../../${file}.ts`, import.meta.url), "utf8");
      expect(exportedNames(source), h).toContain(fn);
    }
  });

  it("finds exported names the way the handler check relies on", () => {
    const names = exportedNames(
      "export const handler = 1; export async function other() {} const x = 1; export { x as renamed }; function hidden() {}",
    );
    expect(names.sort()).toEqual(["handler", "other", "renamed"]);
  });
});

/** Names a module exports, from its syntax tree (no type check, no evaluation). */
function exportedNames(source: string): string[] {
  const file = ts.createSourceFile("entry.ts", source, ts.ScriptTarget.Latest);
  const names: string[] = [];
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (ts.isFunctionDeclaration(statement) && exported(statement) && statement.name) {
      names.push(statement.name.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const e of statement.exportClause.elements) names.push(e.name.text);
    }
  }
  return names;
}
