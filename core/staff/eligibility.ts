/**
 * Which programmes a student can apply for, from the school's kind and the student's grade: a 普通高中国家助学金
 * for a primary pupil is refused at entry instead of travelling through three reviews.
 */
import type { Programme } from "../applications/index.js";
import { Programmes } from "../applications/index.js";
import { SchoolKindLabel, type SchoolInfo } from "../schools/index.js";

const KINDS: Record<Programme, SchoolInfo["kind"][]> = {
  preschool_aid: ["kindergarten"],
  compulsory_living: ["primary", "junior", "nine_year", "special"],
  senior_grant: ["senior"],
  senior_fee_waiver: ["senior"],
  vocational_grant: ["vocational"],
  vocational_fee_waiver: ["vocational"],
  vocational_scholarship: ["vocational"],
  student_loan: ["senior", "vocational"],
  yulu: ["vocational"],
  freshman_aid: ["senior", "vocational"],
};

const DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "3", "三年级", "初二", "高一", "七年级" → { level, year } as far as it can tell. */
export function gradeOf(grade: string): { level?: "primary" | "junior" | "senior"; year?: number } {
  const g = grade.trim();
  const n = /\d+/.exec(g)?.[0];
  const cn = [...g].find((ch) => DIGITS[ch] !== undefined);
  const year = n ? Number(n) : cn ? DIGITS[cn] : undefined;
  if (/^高/.test(g)) return { level: "senior", year };
  if (/^初/.test(g)) return { level: "junior", year };
  if (/^小/.test(g)) return { level: "primary", year };
  if (year !== undefined && year >= 7 && year <= 9) return { level: "junior", year: year - 6 };
  return { year };
}

/** Why this programme does not fit this school and grade; undefined when it does. Chinese, for the file's line. */
export function ineligible(programme: Programme, school: Pick<SchoolInfo, "kind" | "name">, grade: string): string | undefined {
  const kinds = KINDS[programme];
  const kindLabel = SchoolKindLabel[school.kind];
  if (!kinds.includes(school.kind)) {
    return `${Programmes[programme]}只面向${kinds.map((k) => SchoolKindLabel[k]).join("、")}学生，${school.name}是${kindLabel}：请核对项目`;
  }
  const g = gradeOf(grade);
  if (school.kind === "nine_year" && programme !== "compulsory_living") return undefined;
  const maxYear = school.kind === "primary" ? 6 : ["junior", "senior", "vocational"].includes(school.kind) ? 3 : undefined;
  if (g.level === "senior" && !["senior", "vocational"].includes(school.kind)) return `年级“${grade}”是高中年级，与${kindLabel}不符：请核对年级`;
  if (maxYear !== undefined && g.year !== undefined && (g.year < 1 || g.year > maxYear) && !(school.kind === "junior" && g.level === "junior")) {
    return `年级“${grade}”不是${kindLabel}的年级：请核对年级`;
  }
  return undefined;
}
