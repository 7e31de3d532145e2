import { describe, expect, it } from "vitest";
import { BASE32_ALPHABET, isTenantId, newId, sha256Hex, stableId, TENANT_ID_CHARS } from "../../core/ids.js";

describe("ids", () => {
  it("makes a fresh id of its prefix and 16 base32 characters, different every time", () => {
    const a = newId("app");
    const b = newId("app");
    expect(a).toMatch(/^app_[0-9a-hjkmnp-tv-z]{16}$/);
    expect(a).not.toBe(b);
  });

  it("uses only the alphabet's characters, which leave out i, l, o and u", () => {
    expect(BASE32_ALPHABET).toHaveLength(32);
    expect(new Set(BASE32_ALPHABET).size).toBe(32);
    expect(BASE32_ALPHABET).not.toMatch(/[ilou]/);
    const seen = new Set([...Array.from({ length: 200 }, () => newId("evt").slice(4))].join(""));
    for (const c of seen) expect(BASE32_ALPHABET).toContain(c);
  });

  it("derives the same id from the same business keys, and another from other keys", () => {
    expect(stableId("stu", "demo", "G510101200901011234")).toBe(stableId("stu", "demo", "G510101200901011234"));
    expect(stableId("stu", "demo", "G510101200901011234")).not.toBe(stableId("stu", "other", "G510101200901011234"));
    expect(stableId("stu", "demo", "G510101200901011234")).toMatch(/^stu_[0-9a-z]{16}$/);
  });

  it("does not let two parts run together into the same key", () => {
    expect(stableId("ntf", "ab", "c")).not.toBe(stableId("ntf", "a", "bc"));
  });

  it("hashes to lower-case hex SHA-256", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("tenant ids", () => {
  it("accepts lower-case letters, digits and dashes up to 32 characters", () => {
    for (const id of ["demo", "t-1a2b3c4d", "510101", "a", "x".repeat(32)]) expect(isTenantId(id), id).toBe(true);
  });

  it("refuses upper case, a leading dash, other characters, the empty string and 33 characters", () => {
    for (const id of ["Demo", "-demo", "de_mo", "de mo", "demo#1", "", "x".repeat(33), "县"])
      expect(isTenantId(id), id).toBe(false);
  });

  it("gives formats that embed a tenant id the same rule, unanchored", () => {
    const token = new RegExp(`^zz_(${TENANT_ID_CHARS})_x$`);
    expect(token.exec("zz_demo-1_x")?.[1]).toBe("demo-1");
    expect(token.test("zz_Demo_x")).toBe(false);
  });
});
