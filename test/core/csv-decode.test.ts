import { describe, expect, it } from "vitest";
import { decodeUpload } from "../../core/csv.js";
import { encodeGb18030 } from "../support/gb18030.js";

describe("uploaded files", () => {
  it("decode UTF-8 with a BOM, and GB18030 as Excel on Chinese Windows saves it", () => {
    expect(decodeUpload(new TextEncoder().encode("\uFEFF学籍号,金额"))).toBe("学籍号,金额");
    const gb = Uint8Array.from([0xd1, 0xa7, 0xbc, 0xae, 0xba, 0xc5]); // 学籍号 in GB18030
    expect(decodeUpload(gb)).toBe("学籍号");
  });

  it("reads a GB18030 file whose only Chinese is 元 (D4 AA, also valid UTF-8 for Ԫ) as GB18030", () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode("amount,unit\n625,"), 0xd4, 0xaa, 0x0a]);
    expect(new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toContain("Ԫ"); // the trap
    expect(decodeUpload(bytes)).toBe("amount,unit\n625,元\n");
  });

  it("keeps UTF-8 that is really UTF-8, punctuation and all", () => {
    const text = "姓名,备注\n张三,“住校”·一年级—3班…\n";
    expect(decodeUpload(new TextEncoder().encode(text))).toBe(text);
    expect(decodeUpload(encodeGb18030(text))).toBe(text);
  });
});
