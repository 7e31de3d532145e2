/**
 * The storage-free half of staff scope: who sees which school, and the refusals a school token gets before any read.
 * The reads themselves (schoolInScope, visibleSchools, requireStudent…) are covered through the HTTP API in
 * test/functions/http/api/scope.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { AppError } from "../../../core/errors.js";
import {
  actorOf,
  canSeeSchool,
  canSeeSchoolId,
  levelOf,
  requireRole,
  requireSchool,
  schoolInScope,
  type Staff,
} from "../../../core/staff/scope.js";

const bureau: Staff = { tokenId: "tok_b", tenant: "demo", role: "bureau" };
const township: Staff = { tokenId: "tok_t", tenant: "demo", role: "township", township: "城关镇" };
const school: Staff = { tokenId: "tok_s", tenant: "demo", role: "school", schoolId: "s01" };

const own = { id: "s01", township: "城关镇", tenant: "demo" };
const sameTownship = { id: "s02", township: "城关镇", tenant: "demo" };
const otherTownship = { id: "s03", township: "河口乡", tenant: "demo" };
const otherTenant = { id: "s01", township: "城关镇", tenant: "other" };

describe("canSeeSchool", () => {
  it("lets a bureau token see every school of its tenant", () => {
    expect([own, sameTownship, otherTownship].map((s) => canSeeSchool(bureau, s))).toEqual([true, true, true]);
  });

  it("lets a township token see the schools of its township only", () => {
    expect([own, sameTownship, otherTownship].map((s) => canSeeSchool(township, s))).toEqual([true, true, false]);
  });

  it("lets a school token see its own school only", () => {
    expect([own, sameTownship, otherTownship].map((s) => canSeeSchool(school, s))).toEqual([true, false, false]);
  });

  it("never lets any token see a school of another tenant, even with the same id and township", () => {
    expect([bureau, township, school].map((s) => canSeeSchool(s, otherTenant))).toEqual([false, false, false]);
  });

  it("does not let a township token without a township see schools that have none", () => {
    const noTownship: Staff = { tokenId: "tok_x", tenant: "demo", role: "township" };
    expect(canSeeSchool(noTownship, { id: "s09", township: "城关镇", tenant: "demo" })).toBe(false);
  });
});

describe("a school token asking for another school", () => {
  it("gets nothing, without a read", async () => {
    expect(await schoolInScope(school, "s02")).toBeUndefined();
    expect(await canSeeSchoolId(school, "s02")).toBe(false);
  });

  it("is told the school does not exist, exactly as for a missing one", async () => {
    const err = await requireSchool(school, "s02").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: "not_found", code: "not_found", message: "school not found" });
  });
});

describe("requireRole", () => {
  it("lets a listed role through", () => {
    expect(() => requireRole(bureau, "bureau")).not.toThrow();
    expect(() => requireRole(township, "bureau", "township")).not.toThrow();
  });

  it("refuses any other role with 403 role_required, naming the roles that may", () => {
    const err = (() => {
      try {
        requireRole(school, "bureau", "township");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({
      kind: "forbidden",
      code: "role_required",
      message: "this needs a bureau or township token",
    });
  });
});

describe("actorOf and levelOf", () => {
  it("makes the audit actor from the token, with the person's name when there is one", () => {
    expect(actorOf(school)).toEqual({ id: "tok_s", role: "school" });
    expect(actorOf({ ...school, tokenId: "acc:li", person: "李老师（学校资助专干）" })).toEqual({
      id: "acc:li",
      role: "school",
      name: "李老师（学校资助专干）",
    });
  });

  it("cuts a long person label to the audit trail's 60 characters", () => {
    expect(actorOf({ ...bureau, person: "某".repeat(80) }).name).toHaveLength(60);
  });

  it("acts at the review level named by the role", () => {
    expect([bureau, township, school].map(levelOf)).toEqual(["bureau", "township", "school"]);
  });
});
