import { describe, expect, it } from "vitest";
import { canonical, requireSameRequest, reusedKey } from "../../../core/abuse/idempotency.js";

describe("canonical", () => {
  it("does not count the order of fields, at any depth", () => {
    expect(canonical({ b: 1, a: { d: [1, 2], c: "x" } })).toBe(canonical({ a: { c: "x", d: [1, 2] }, b: 1 }));
    expect(canonical({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it("counts the order of list items", () => {
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });

  it("leaves out undefined fields, so an absent default equals a missing one", () => {
    expect(canonical({ a: 1, b: undefined })).toBe(canonical({ a: 1 }));
  });

  it("keeps null fields apart from missing ones", () => {
    expect(canonical({ a: 1, b: null })).not.toBe(canonical({ a: 1 }));
  });

  it("keeps a number apart from the same digits as text", () => {
    expect(canonical({ amount: 625 })).not.toBe(canonical({ amount: "625" }));
  });

  it("writes Chinese text and quotes in keys safely", () => {
    expect(canonical({ '标"题': "助学金" })).toBe('{"标\\"题":"助学金"}');
  });
});

describe("requireSameRequest", () => {
  it("lets the same request sent again through", () => {
    expect(() =>
      requireSameRequest({ title: "补助到账", schools: ["s01"] }, { schools: ["s01"], title: "补助到账" }),
    ).not.toThrow();
  });

  it("refuses other content under the same key with 422 idempotency_key_reused in Chinese", () => {
    let err: unknown;
    try {
      requireSameRequest({ title: "补助到账" }, { title: "补助已到账（更正）" });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ kind: "unprocessable", code: "idempotency_key_reused" });
    expect((err as Error).message).toBe(reusedKey().message);
    expect((err as Error).message).toMatch(/^这个 Idempotency-Key 已用于另一个内容不同的请求/);
  });
});
