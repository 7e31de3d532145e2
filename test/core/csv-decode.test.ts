import { describe, expect, it } from "vitest";
import { decodeUpload } from "../../core/csv.js";

describe("uploaded files", () => {
  it("decode UTF-8 with a BOM, and GB18030 as Excel on Chinese Windows saves it", () => {
    expect(decodeUpload(new TextEncoder().encode("\uFEFF学籍号,金额"))).toBe("学籍号,金额");
    const gb = Uint8Array.from([0xd1, 0xa7, 0xbc, 0xae, 0xba, 0xc5]); // 学籍号 in GB18030
    expect(decodeUpload(gb)).toBe("学籍号");
  });
});
