/**
 * Bench: cold start of each Lambda handler sst.config.ts declares, bundled as SST bundles them (esbuild, ESM,
 * node22, minified, the AWS SDK left external because the Lambda runtime provides it, `prompts/` copied beside
 * the bundle). For each: the bundle's size, the largest packages in it (esbuild's metafile), and its init time in
 * a fresh Node process — the import of the bundle (module evaluation), median of 10 — and the same plus a first
 * invocation that needs no storage (the API's GET /health; an empty SQS batch; the release job is not invoked:
 * it reads the table at once).
 *
 * What dominates init is told by importing the heavy dependencies alone in fresh processes (median of 5), and the
 * knowledge base (load + index, which the first policy question pays) is timed the same way.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { QueueDefinitions } from "../../core/queue/definitions.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The handlers sst.config.ts declares (the queue subscribers come from QueueDefinitions, as there). */
export function lambdaEntries(): { name: string; entry: string; invoke: string | undefined }[] {
  const sqsEvent = JSON.stringify({ Records: [] });
  return [
    {
      name: "Api (functions/http/lambda)",
      entry: "functions/http/lambda.ts",
      invoke: JSON.stringify({
        version: "2.0",
        routeKey: "$default",
        rawPath: "/health",
        rawQueryString: "",
        headers: { host: "abc.lambda-url.ap-east-1.on.aws" },
        requestContext: {
          http: { method: "GET", path: "/health", protocol: "HTTP/1.1", sourceIp: "203.0.113.1", userAgent: "bench" },
          domainName: "abc.lambda-url.ap-east-1.on.aws",
          requestId: "r",
          routeKey: "$default",
          stage: "$default",
          timeEpoch: 0,
        },
        isBase64Encoded: false,
      }),
    },
    ...Object.entries(QueueDefinitions).map(([name, def]) => ({
      name: `${name} queue (${def.handler.replace(/\.handler$/, "")})`,
      entry: `${def.handler.replace(/\.handler$/, "")}.ts`,
      invoke: sqsEvent,
    })),
    { name: "ReleaseHeld cron (functions/cron/release)", entry: "functions/cron/release.ts", invoke: undefined },
  ];
}

export interface BundleFigure {
  name: string;
  bytes: number;
  /** With code splitting: the entry chunk and the chunks it imports statically (what init loads). */
  splitEntryBytes: number;
  /** The largest inputs by package, bytes in the output. */
  top: { pkg: string; bytes: number }[];
  importMs: number;
  firstCallMs?: number;
}

export interface BundleBench {
  bundles: BundleFigure[];
  parts: { what: string; ms: number }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function pkgOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1]!;
  const parts = input.split("/");
  return parts.slice(0, Math.min(2, parts.length - 1)).join("/") || input;
}

/** Runs a snippet in a fresh Node process and returns the number it prints. */
function timeInFreshNode(code: string, cwd: string, env: NodeJS.ProcessEnv = {}): number {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd,
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
  });
  return Number(out.trim().split("\n").pop());
}

export async function benchBundles(opts: { runs?: number } = {}): Promise<BundleBench> {
  const runs = opts.runs ?? 10;
  const esbuild = await import("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "zizhu-bundles-"));
  // copyFiles: prompts beside the bundle, as on Lambda; the SDK (external) resolves from the repository's node_modules.
  symlinkSync(join(root, "prompts"), join(dir, "prompts"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  // Enough configuration for the handlers to load; nothing is called that needs it to be real.
  const env = {
    TABLE_NAME: "bench",
    AWS_REGION: "ap-east-1",
    AWS_ACCESS_KEY_ID: "x",
    AWS_SECRET_ACCESS_KEY: "x",
    TOKEN_PEPPER: "bench-pepper-bench-pepper",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const bundles: BundleFigure[] = [];
  try {
    for (const [i, e] of lambdaEntries().entries()) {
      const outfile = join(dir, `bundle${i}.mjs`);
      const result = await esbuild.build({
        entryPoints: [join(root, e.entry)],
        bundle: true,
        platform: "node",
        target: "node22",
        format: "esm",
        minify: true,
        outfile,
        metafile: true,
        external: ["@aws-sdk/*", "@smithy/*"],
        // SST's ESM banner: bundled CommonJS dependencies may call require().
        banner: {
          js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);",
        },
        logLevel: "silent",
      });
      // The same with esbuild's code splitting (SST: `nodejs: { splitting: true }`): what is loaded lazily
      // (exceljs, openai) goes to chunks of its own, and the entry chunk is what a cold start reads.
      const splitDir = join(dir, `split${i}`);
      const split = await esbuild.build({
        entryPoints: [join(root, e.entry)],
        bundle: true,
        splitting: true,
        platform: "node",
        target: "node22",
        format: "esm",
        minify: true,
        outdir: splitDir,
        metafile: true,
        external: ["@aws-sdk/*", "@smithy/*"],
        banner: {
          js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);",
        },
        logLevel: "silent",
      });
      // Dynamically imported modules are entry points of their own chunks: the handler's is the one named after it.
      const entryOut = Object.entries(split.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith(e.entry))!;
      const splitEntryBytes = entryOut[1].bytes;
      // Static imports of the entry (shared chunks) load at cold start too.
      const staticChunks = entryOut[1].imports
        .filter((im) => im.kind === "import-statement" && !im.external)
        .reduce((n, im) => n + (split.metafile.outputs[im.path]?.bytes ?? 0), 0);
      const byPkg = new Map<string, number>();
      for (const [input, info] of Object.entries(
        result.metafile.outputs[Object.keys(result.metafile.outputs)[0]!]!.inputs,
      )) {
        byPkg.set(pkgOf(input), (byPkg.get(pkgOf(input)) ?? 0) + info.bytesInOutput);
      }
      const top = [...byPkg.entries()]
        .map(([pkg, bytes]) => ({ pkg, bytes }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 4);
      const url = `./bundle${i}.mjs`;
      const imports: number[] = [];
      const firsts: number[] = [];
      for (let r = 0; r < runs; r++) {
        imports.push(
          timeInFreshNode(
            `const t=performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now()-t)`,
            dir,
            env,
          ),
        );
        if (e.invoke) {
          firsts.push(
            timeInFreshNode(
              `const t=performance.now(); const m=await import(${JSON.stringify(url)}); await m.handler(${e.invoke}, {}); console.log(performance.now()-t)`,
              dir,
              env,
            ),
          );
        }
      }
      bundles.push({
        name: e.name,
        bytes: statSync(outfile).size,
        splitEntryBytes: splitEntryBytes + staticChunks,
        top,
        importMs: median(imports),
        ...(firsts.length ? { firstCallMs: median(firsts) } : {}),
      });
    }
    // What dominates: the heavy dependencies alone, and the knowledge base, each in a fresh process.
    const parts: { what: string; ms: number }[] = [];
    const alone = (what: string, code: string, cwd = dir) => {
      const xs = Array.from({ length: 5 }, () => timeInFreshNode(code, cwd, env));
      parts.push({ what, ms: median(xs) });
    };
    for (const pkg of [
      "zod",
      "hono",
      "openai",
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/lib-dynamodb",
      "@aws-sdk/client-sqs",
    ]) {
      alone(
        `import "${pkg}"`,
        `const t=performance.now(); await import(${JSON.stringify(pkg)}); console.log(performance.now()-t)`,
      );
    }
    // The knowledge base: a bundle of just its loader, timed for load + the first retrieval (which builds the index).
    const kbEntry = join(dir, "kb-entry.ts");
    writeFileSync(
      kbEntry,
      `import { repositoryKb } from ${JSON.stringify(join(root, "core/policy/overrides.ts"))};\n` +
        `import { indexFor } from ${JSON.stringify(join(root, "core/policy/index.ts"))};\n` +
        `export function run() { const kb = repositoryKb(); return indexFor(kb); }\n`,
    );
    const kbOut = join(dir, "kb.mjs");
    const kbBuilt = await esbuild
      .build({
        entryPoints: [kbEntry],
        bundle: true,
        platform: "node",
        target: "node22",
        format: "esm",
        minify: true,
        outfile: kbOut,
        external: ["@aws-sdk/*", "@smithy/*"],
        logLevel: "silent",
        banner: {
          js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);",
        },
      })
      .then(() => true)
      .catch(() => false);
    if (kbBuilt) {
      alone(
        "knowledge base: import its modules",
        `const t=performance.now(); await import("./kb.mjs"); console.log(performance.now()-t)`,
      );
      alone(
        "knowledge base: import + load + first retrieval (index built)",
        `const t=performance.now(); const m=await import("./kb.mjs"); m.run(); console.log(performance.now()-t)`,
      );
    }
    return { bundles, parts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBundles(b: BundleBench, load: string): void {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  console.log(
    "\n## Cold start: each Lambda handler bundled as SST does (esbuild, ESM, node22, minified, AWS SDK external)",
  );
  console.log(`Init in a fresh Node ${process.version} process, median of 10; goal < 1 MB and < 150 ms. Load: ${load}`);
  console.log(
    "| handler | bundle | < 1 MB | with splitting: loaded at init | largest inputs | import ms | import + first call ms | < 150 ms |",
  );
  console.log("|---|---:|:--:|---:|---|---:|---:|:--:|");
  for (const f of b.bundles) {
    const worst = Math.max(f.importMs, f.firstCallMs ?? 0);
    console.log(
      `| ${f.name} | ${kb(f.bytes)} | ${f.bytes < 1024 * 1024 ? "yes" : "no"} | ${kb(f.splitEntryBytes)} | ${f.top.map((t) => `${t.pkg} ${kb(t.bytes)}`).join(", ")} | ${f.importMs.toFixed(0)} | ${f.firstCallMs === undefined ? "—" : f.firstCallMs.toFixed(0)} | ${worst < 150 ? "yes" : "no"} |`,
    );
  }
  console.log("\nWhat init is made of (each alone in a fresh process, median of 5):");
  console.log("| part | ms |");
  console.log("|---|---:|");
  for (const p of b.parts) console.log(`| ${p.what} | ${p.ms.toFixed(0)} |`);
}
