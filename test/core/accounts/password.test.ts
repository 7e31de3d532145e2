import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword, initialPassword, NewPassword, verifyPassword } from "../../../core/accounts/password.js";

// scrypt costs 32 MiB and tens of milliseconds a call: hash twice for the whole file and reuse.
const PASSWORD = "café2025"; // composed é (U+00E9)
let stored: string;
let again: string;
beforeAll(async () => {
  [stored, again] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
});

describe("password hashing", () => {
  it("verifies the password it hashed and refuses any other", async () => {
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword("café2026", stored)).toBe(false);
  });

  it("stores the algorithm and its cost with a fresh salt, never the password", () => {
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(again).not.toBe(stored);
    expect(stored).not.toContain("café");
  });

  it("takes the same password in composed and decomposed Unicode as one", async () => {
    const decomposed = "cafe\u03012025";
    expect(decomposed).not.toBe(PASSWORD);
    expect(await verifyPassword(decomposed, stored)).toBe(true);
  });

  it("derives the key with the cost written in the hash, so an altered cost no longer verifies", async () => {
    const [, , r, p, salt, hash] = stored.split("$");
    expect(await verifyPassword(PASSWORD, ["scrypt", 1 << 14, r, p, salt, hash].join("$"))).toBe(false);
  });

  it("refuses a stored value of another shape instead of throwing", async () => {
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$10$abc")).toBe(false);
    expect(await verifyPassword("x", "scrypt$32768$8$1$salt")).toBe(false);
  });
});

describe("NewPassword", () => {
  it("accepts letters and digits of 8 to 64 characters", () => {
    expect(NewPassword.safeParse("abcd1234").success).toBe(true);
    expect(NewPassword.safeParse(`a${"1".repeat(63)}`).success).toBe(true);
  });

  it.each([
    ["abc123", "新密码至少 8 位"],
    [`a${"1".repeat(64)}`, "新密码最多 64 位"],
    ["abcdefgh", "新密码须同时含字母和数字"],
    ["12345678", "新密码须同时含字母和数字"],
  ])("refuses %j saying %s", (value, message) => {
    const out = NewPassword.safeParse(value);
    expect(out.success).toBe(false);
    expect(out.error?.issues.map((i) => i.message)).toContain(message);
  });
});

describe("initialPassword", () => {
  it("is readable (no 0, O, 1, l or I) and satisfies the rule for a new password", () => {
    for (let i = 0; i < 200; i++) {
      const p = initialPassword();
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}-[a-km-zA-HJ-NP-Z2-9]{5}[2-9]a$/);
      expect(NewPassword.safeParse(p).success).toBe(true);
    }
  });

  it("is different each time", () => {
    const seen = new Set(Array.from({ length: 50 }, initialPassword));
    expect(seen.size).toBe(50);
  });
});
