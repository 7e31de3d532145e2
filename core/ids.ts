/**
 * Prefixed ids, so a log line says what it refers to. Ids derived from business
 * keys are deterministic (same input → same id): that is what makes re-uploads
 * and redeliveries idempotent.
 */
import { createHash, randomBytes } from "node:crypto";

export const IdPrefix = {
  tenant: "ten",
  school: "sch",
  student: "stu",
  application: "app",
  event: "evt",
  notification: "ntf",
  session: "ses",
  token: "tok",
  audit: "aud",
  request: "req",
  alert: "alr",
  job: "job",
} as const;
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

/**
 * Crockford-ish base32, lower case (no i, l, o, u): the characters of every generated id and token secret. Fan-out
 * splits students into segments by the first character of their id, so it iterates this alphabet too.
 */
export const BASE32_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const alphabet = BASE32_ALPHABET;

/**
 * A tenant (county) id: lower-case letters, digits and "-", at most 32 characters (docs/design.md §4.5). Keys,
 * staff tokens and session cookies embed it, so it is checked the same way everywhere; `TENANT_ID_CHARS` is the
 * unanchored pattern for formats that contain a tenant id.
 */
export const TENANT_ID_CHARS = "[a-z0-9][a-z0-9-]{0,31}";
export const TENANT_ID = new RegExp(`^${TENANT_ID_CHARS}$`);
export function isTenantId(s: string): boolean {
  return TENANT_ID.test(s);
}

function base32(bytes: Uint8Array, length: number): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= length) break;
  }
  return out;
}

/** A fresh random id, e.g. `app_7k2m…`. */
export function newId(prefix: IdPrefix, length = 16): string {
  return `${prefix}_${base32(randomBytes(16), length)}`;
}

/** A deterministic id from business keys, e.g. the student id from tenant + 学籍号. */
export function stableId(prefix: IdPrefix, ...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest();
  return `${prefix}_${base32(h, 16)}`;
}

export function sha256Hex(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}
