/**
 * The storage-free half of students: what a student record accepts (学籍号, phones, grades in one spelling), the
 * id derived from the 学籍号, and the items of a bulk import. Reads and upserts are covered through the HTTP API in
 * test/functions/http/api/students.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { idFor, importItems, Phone, StudentInput, StudentNo } from "../../../core/students/index.js";

const pupil = {
  studentNo: "G510101200901011234",
  name: "张小明",
  schoolId: "s01",
  grade: "5",
  class: "(2)",
  guardians: [{ name: "张大山", relation: "父亲", phone: "138-0000-1234" }],
};

describe("StudentNo", () => {
  it("takes 8 to 24 letters or digits, trimmed and in capitals", () => {
    expect(StudentNo.parse(" g510101200901011234 ")).toBe("G510101200901011234");
    expect(StudentNo.parse("12345678")).toBe("12345678");
  });

  it.each(["1234567", "G".repeat(25), "G5101-0120", "G51010120090101123４"])("refuses %j", (value) => {
    expect(StudentNo.safeParse(value).success).toBe(false);
  });
});

describe("Phone", () => {
  it("takes a mainland mobile number with spaces or dashes", () => {
    expect(Phone.parse(" 138 0000 1234 ")).toBe("13800001234");
    expect(Phone.parse("139-1234-5678")).toBe("13912345678");
  });

  it.each(["12800001234", "1380000123", "138000012345", "010-12345678", "+8613800001234"])("refuses %j", (value) => {
    expect(Phone.safeParse(value).success).toBe(false);
  });
});

describe("StudentInput", () => {
  it("stores the grade and class in their one spelling", () => {
    const s = StudentInput.parse(pupil);
    expect(s.grade).toBe("五年级");
    expect(s.class).toBe("2班");
    expect(s.guardians[0]?.phone).toBe("13800001234");
  });

  it("defaults to no guardians and refuses more than four", () => {
    const { guardians: _, ...without } = pupil;
    expect(StudentInput.parse(without).guardians).toEqual([]);
    const five = Array.from({ length: 5 }, () => pupil.guardians[0]);
    expect(StudentInput.safeParse({ ...pupil, guardians: five }).success).toBe(false);
  });
});

describe("idFor", () => {
  it("gives the same id for the same 学籍号 however it was typed", () => {
    expect(idFor("demo", "G510101200901011234")).toBe(idFor("demo", " g510101200901011234"));
    expect(idFor("demo", "G510101200901011234")).toMatch(/^stu_[0-9a-z]{16}$/);
  });

  it("gives another id in another tenant and for another 学籍号", () => {
    const id = idFor("demo", "G510101200901011234");
    expect(idFor("other", "G510101200901011234")).not.toBe(id);
    expect(idFor("demo", "G510101200901011235")).not.toBe(id);
  });

  it("refuses a malformed 学籍号 instead of deriving an id from it", () => {
    expect(() => idFor("demo", "短")).toThrow();
  });
});

describe("importItems", () => {
  it("makes one storage item per student, keyed by the derived id, with the canonical grade", () => {
    const { items, students } = importItems("demo", [pupil]);
    expect(students).toHaveLength(1);
    expect(students[0]).toMatchObject({ id: idFor("demo", pupil.studentNo), tenant: "demo", grade: "五年级" });
    expect(items[0]).toMatchObject({ type: "student", id: students[0]?.id, name: "张小明" });
    expect(String(items[0]?.pk)).toContain(students[0]?.id);
  });
});
