/**
 * Idempotency-Key semantics, one place: the same key with the same content finds the first result; the same key
 * with other content is refused (422 idempotency_key_reused) — silently returning the first result would tell a
 * school officer their corrected notice went out when the old one did.
 */
import { AppError } from "../errors.js";

/** JSON with keys in a fixed order and undefined fields left out, so field order and absent defaults do not count. */
export function canonical(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function reusedKey(): AppError {
  return new AppError(
    "unprocessable",
    "idempotency_key_reused",
    "这个 Idempotency-Key 已用于另一个内容不同的请求：同一请求重试时才沿用原来的 Key，新的或改过的请求请换一个新的 Key",
  );
}

/** Throws 422 when the request stored under a key differs from the one sent again with it. */
export function requireSameRequest(stored: unknown, sent: unknown): void {
  if (canonical(stored) !== canonical(sent)) throw reusedKey();
}
