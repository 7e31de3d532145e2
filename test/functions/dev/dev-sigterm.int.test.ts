/**
 * `npm run dev` stops on SIGTERM (issue 10, ops): a process manager, CI or `kill` signals the npm process, not the
 * server. npm hands the signal to the shell running the script; the server (node, under tsx) and DynamoDB Local
 * (java) must stop with it instead of being left running. The stack runs in a temp data dir on free ports.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../../core/local/stack.js";

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
}

function processes(): Proc[] {
  const out = spawnSync("ps", ["-e", "-o", "pid=,ppid=,comm="], { encoding: "utf8" }).stdout;
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length >= 3)
    .map(([pid, ppid, ...comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm: comm.join(" ") }));
}

/** Every process started under `root`, however deep. */
function descendants(root: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const dir = mkdtempSync(join(tmpdir(), "zizhu-dev-sigterm-"));
let npm: ChildProcess | undefined;
let tree: Proc[] = [];
let output = "";

afterAll(() => {
  // Whatever the test found, nothing it started outlives it.
  for (const p of [...tree].reverse()) if (alive(p.pid)) process.kill(p.pid, "SIGKILL");
  if (npm?.pid && alive(npm.pid)) npm.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run dev", () => {
  it("stops the server and DynamoDB Local when the npm process gets SIGTERM", async () => {
    const port = await freePort();
    // Only what a developer's shell would have: not the test stack's endpoints, tables or queue URLs.
    const env: NodeJS.ProcessEnv = { PORT: String(port), DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn" };
    for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "JAVA_HOME", "npm_config_cache"]) {
      if (process.env[k] !== undefined) env[k] = process.env[k];
    }
    npm = spawn("npm", ["run", "dev"], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
    npm.stdout!.on("data", (b: Buffer) => (output += b.toString()));
    npm.stderr!.on("data", (b: Buffer) => (output += b.toString()));
    const npmPid = npm.pid!;

    // Up: health answers (DynamoDB Local behind it). The demo county is most likely still being seeded: the signal
    // must stop the stack then too, not only once it prints "Ctrl-C to stop".
    await until(
      `health on :${port} (output so far:\n${output})`,
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      240_000,
    );
    tree = descendants(npmPid);
    expect(tree.some((p) => p.comm === "java")).toBe(true);
    expect(tree.some((p) => p.comm.startsWith("node"))).toBe(true);

    process.kill(npmPid, "SIGTERM");
    // A hang guard, not a performance limit: a stack that ignores the signal never gets there.
    const left = await until(
      "every process under npm gone",
      () => {
        const running = tree.filter(
          (p) => alive(p.pid) && processes().some((q) => q.pid === p.pid && q.comm === p.comm),
        );
        return running.length === 0 ? [] : undefined;
      },
      60_000,
    ).catch(() => tree.filter((p) => alive(p.pid)));
    expect(left.map((p) => `${p.comm} (${p.pid})`)).toEqual([]);
    expect(alive(npmPid)).toBe(false);
    const refused = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
  }, 330_000);
});
