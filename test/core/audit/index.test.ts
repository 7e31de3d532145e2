/**
 * The storage-free half of the audit trail: the put a transaction carries. Reading a trail back is covered through
 * the HTTP API in test/functions/http/api/transitions.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { auditPut } from "../../../core/audit/index.js";
import { keys } from "../../../core/db/keys.js";

const record = {
  entityId: "app_1",
  actor: { id: "acc:li", role: "school" as const, name: "李老师（学校资助专干）" },
  action: "approve",
  from: "submitted",
  to: "school_approved",
};

describe("auditPut", () => {
  it("puts a typed audit item under the entity's trail key, at the time given", () => {
    const { Put } = auditPut("zizhu", "demo", { ...record, at: "2025-11-20T08:00:00.000Z" });
    expect(Put.TableName).toBe("zizhu");
    expect(Put.Item).toMatchObject({ type: "audit", ...record, at: "2025-11-20T08:00:00.000Z" });
    expect(Put.Item.id).toMatch(/^aud_/);
    expect(Put.Item).toMatchObject(keys.audit("demo", "app_1", "2025-11-20T08:00:00.000Z", Put.Item.id));
  });

  it("stamps the time now when none is given", () => {
    const before = new Date().toISOString();
    const { Put } = auditPut("zizhu", "demo", record);
    expect(Put.Item.at >= before).toBe(true);
    expect(Put.Item.at <= new Date().toISOString()).toBe(true);
  });

  it("gives each entry its own id, so two entries in the same millisecond do not overwrite each other", () => {
    const at = "2025-11-20T08:00:00.000Z";
    const a = auditPut("zizhu", "demo", { ...record, at }).Put.Item;
    const b = auditPut("zizhu", "demo", { ...record, at }).Put.Item;
    expect(a.id).not.toBe(b.id);
    expect(a.sk).not.toBe(b.sk);
  });

  it("refuses an actor of an unknown role or an over-long name", () => {
    expect(() => auditPut("zizhu", "demo", { ...record, actor: { id: "x", role: "admin" as never } })).toThrow();
    expect(() => auditPut("zizhu", "demo", { ...record, actor: { ...record.actor, name: "某".repeat(61) } })).toThrow();
  });
});
