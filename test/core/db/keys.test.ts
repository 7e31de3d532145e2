import { describe, expect, it } from "vitest";
import { keys, userKey } from "../../../core/db/keys.js";

describe("keys", () => {
  it("scopes every tenant key under T#<tenant>", () => {
    expect(keys.tenant("demo")).toEqual({ pk: "T#demo", sk: "TENANT" });
    expect(keys.school("demo", "sch-1")).toEqual({ pk: "T#demo#SCHOOLS", sk: "SCH#sch-1" });
    expect(keys.student("demo", "stu_1").pk.startsWith("T#demo#")).toBe(true);
  });

  it("lists tenants in the registry without a tenant prefix", () => {
    expect(keys.tenantRegistry("demo")).toEqual({ pk: "TENANTS", sk: "T#demo" });
  });

  it("refuses to build a key for a tenant id that could reach into another tenant's keys", () => {
    expect(() => keys.tenant("demo#STU")).toThrow(/invalid tenant id/);
    expect(() => keys.school("", "sch-1")).toThrow(/invalid tenant id/);
    expect(() => keys.student("DEMO", "stu_1")).toThrow(/invalid tenant id/);
  });

  it("builds a grade-and-class range prefix only as deep as asked", () => {
    expect(keys.studentsOfSchoolPrefix()).toBe("G#");
    expect(keys.studentsOfSchoolPrefix("7")).toBe("G#7#C#");
    expect(keys.studentsOfSchoolPrefix("7", "2")).toBe("G#7#C#2#");
  });

  it("keys a chat user by channel and the channel's own id", () => {
    expect(userKey("wechat", "o123")).toBe("wechat:o123");
    expect(userKey("web", "o123")).not.toBe(userKey("wechat", "o123"));
  });
});
