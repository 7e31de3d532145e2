/**
 * Password hashing with scrypt (node:crypto; memory-hard: N=2^15, r=8 → 32 MiB per hash), stored as
 * `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking old hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { z } from "zod";

const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFC"),
      salt,
      KEYLEN,
      { ...opts, maxmem: 128 * (opts.N ?? N) * (opts.r ?? R) * 2 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** What a chosen password must be: long enough and not all one kind of character. */
export const NewPassword = z
  .string()
  .min(8, "新密码至少 8 位")
  .max(64, "新密码最多 64 位")
  .refine((s) => /[A-Za-z]/.test(s) && /\d/.test(s), "新密码须同时含字母和数字");

/** A readable one-time password for a new or reset account (no 0/O/1/l): shown once to the person who set it. */
export function initialPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(12);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  // Always one digit and one letter, so it satisfies NewPassword too.
  return `${out.slice(0, 5)}-${out.slice(5, 10)}${2 + (bytes[0]! % 8)}a`;
}
