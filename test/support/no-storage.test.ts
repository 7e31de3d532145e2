import { describe, expect, it } from "vitest";
import { getItem } from "../../core/db/client.js";

const refuser = (globalThis as typeof globalThis & { __zizhuNoStorage?: { touched: string[] } }).__zizhuNoStorage;

describe("the unit project's storage guard", () => {
  it("refuses a DynamoDB call from a unit test by name and records it for the after-each check", async () => {
    expect(refuser).toBeDefined();
    await expect(getItem({ pk: "T#demo#X", sk: "Y" })).rejects.toThrow(
      /unit tests have no storage \(DynamoDB_20120810\.GetItem\)/,
    );
    // The after-each hook would fail this test for the call; take the record so the guard's own test can pass.
    expect(refuser!.touched.splice(0)).toContain("DynamoDB_20120810.GetItem");
  });
});
