/**
 * Structured JSON logs with persistent keys. Personal data never reaches a log:
 * values under sensitive key names are dropped (except the ids in ID_KEYS), and strings are scrubbed of
 * anything shaped like a phone, ID number, 学籍号 or bank account.
 */
import { config } from "./config.js";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

const SENSITIVE_KEY =
  /phone|mobile|idcard|id_number|idnumber|studentno|xjh|account|bank|name|content|text|recognition|secret|token|password|address|openid|fromusername|tousername/i;

/**
 * Ids, not secrets, though their names match SENSITIVE_KEY: which staff token or console account acted. Exact key
 * names only (a `token`, `accessToken` or `accountName` stays redacted); the value is still scrubbed.
 */
const ID_KEYS = new Set(["tokenId", "accountId"]);

export function scrub(s: string): string {
  return s
    .replace(/\d{17}[\dXx]|\d{15}/g, "[id]")
    .replace(/[A-Za-z]?\d{16,19}/g, "[number]")
    .replace(/1[3-9]\d{9}/g, "[phone]")
    .replace(/\d{11,}/g, "[number]");
}

function clean(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "string") return scrub(value);
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Error)
    return { name: value.name, message: scrub(value.message), code: (value as { code?: unknown }).code };
  if (depth > 3) return "[…]";
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => clean(v, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SENSITIVE_KEY.test(k) && !ID_KEYS.has(k) ? "[redacted]" : clean(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
  child(keys: Record<string, unknown>): Logger;
}

/**
 * Lines wait for the end of the current turn of the event loop and go out in one write: a request's handling is
 * never held up by stdout (a pipe on Lambda and under the dev runner, where writes are synchronous). Flushed
 * before the process exits, and at once past 64 KiB.
 */
let pending: string[] = [];
let pendingBytes = 0;
let flushScheduled = false;
function flush(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const chunk = pending.join("");
  pending = [];
  pendingBytes = 0;
  process.stdout.write(chunk);
}
process.once("exit", flush);

/** Where lines go; tests swap it to assert that nothing personal is logged. */
export const logSink: { write: (line: string) => void } = {
  write: (line) => {
    pending.push(line + "\n");
    pendingBytes += line.length + 1;
    if (pendingBytes > 65_536) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  },
};

export function createLogger(keys: Record<string, unknown> = {}): Logger {
  // The persistent keys are cleaned when they are first needed, not on every line (a logger per request).
  let cleanKeys: object | undefined;
  const emit = (level: Level, msg: string, data?: Record<string, unknown>) => {
    let threshold: number;
    try {
      threshold = order[config().logLevel];
    } catch {
      threshold = order.info;
    }
    if (order[level] < threshold) return;
    cleanKeys ??= clean(keys) as object;
    const line = {
      level,
      time: new Date().toISOString(),
      msg: scrub(msg),
      ...cleanKeys,
      ...(clean(data ?? {}) as object),
    };
    logSink.write(JSON.stringify(line));
  };
  return {
    debug: (m, d) => emit("debug", m, d),
    info: (m, d) => emit("info", m, d),
    warn: (m, d) => emit("warn", m, d),
    error: (m, d) => emit("error", m, d),
    child: (more) => createLogger({ ...keys, ...more }),
  };
}

export const log = createLogger({ service: "zizhu" });
