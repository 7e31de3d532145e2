/** The students list's order: grades as a school counts them (一年级 … 六年级, 七年级 …), not as strings sort. */
import { describe, expect, test } from "vitest";
import { inSchoolOrder } from "../../../core/staff/student-search.js";

const s = (name: string, grade: string, klass = "1班", schoolName = "城关镇第一小学") => ({
  name,
  grade,
  class: klass,
  schoolName,
});

describe("the students list order", () => {
  test("puts grades in school order, 一年级 before 二年级 … 六年级 before 七年级, 高一 after 九年级", () => {
    const list = [
      s("甲", "七年级"),
      s("乙", "二年级"),
      s("丙", "六年级"),
      s("丁", "一年级"),
      s("戊", "高一"),
      s("己", "三年级"),
      s("庚", "九年级"),
    ];
    expect(inSchoolOrder(list).map((x) => x.grade)).toEqual([
      "一年级",
      "二年级",
      "三年级",
      "六年级",
      "七年级",
      "九年级",
      "高一",
    ]);
    // String order would have put 七年级 before 三年级 and 一年级 first only by accident.
    expect([...list].sort((a, b) => a.grade.localeCompare(b.grade)).map((x) => x.grade)).not.toEqual(
      inSchoolOrder(list).map((x) => x.grade),
    );
  });

  test("orders classes by number (2班 before 10班) and keeps each school together", () => {
    const list = [s("甲", "一年级", "10班"), s("乙", "一年级", "2班", "青松小学"), s("丙", "一年级", "2班")];
    expect(inSchoolOrder(list).map((x) => `${x.schoolName}${x.class}`)).toEqual([
      "城关镇第一小学2班",
      "城关镇第一小学10班",
      "青松小学2班",
    ]);
  });
});
