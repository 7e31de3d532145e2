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

/**
 * The plausible amount of one application (one term or one year), in yuan, per programme: a 6250 typed for 625 is
 * refused at entry, with the range in the message, instead of being paid. Wide enough for every county's tiers and
 * for per-term or per-year entry; from the fact sheet (prompts/kb): 两免一补 625–1500 a year (some provinces up to
 * 2000, half a year per term); 高中/中职助学金 1200–3500 a year; 中职国家奖学金 6000; 生源地贷款 up to 20000 (研究生
 * 25000), at least 1000; 雨露计划 3000 a year (1500 a term); 新生入学资助 500 / 1000; preschool aid and fee waivers
 * follow local fees (examples up to 2500 a year; tuition a few thousand).
 */
export const AmountRangeYuan: Record<Programme, readonly [min: number, max: number]> = {
  preschool_aid: [100, 3500],
  compulsory_living: [100, 2500],
  senior_grant: [500, 3500],
  senior_fee_waiver: [100, 10000],
  vocational_grant: [500, 3500],
  vocational_fee_waiver: [100, 10000],
  vocational_scholarship: [3000, 6000],
  student_loan: [1000, 25000],
  yulu: [1000, 3000],
  freshman_aid: [500, 1000],
};

/** Why this amount (fen) is implausible for the programme; undefined when it is within the range. Chinese. */
export function amountOutOfRange(programme: Programme, amountFen: number): string | undefined {
  const [min, max] = AmountRangeYuan[programme];
  if (amountFen >= min * 100 && amountFen <= max * 100) return undefined;
  const y = amountFen / 100;
  return `金额 ${Number.isInteger(y) ? y : y.toFixed(2)} 元不在${Programmes[programme]}的合理范围（${min}–${max} 元）内：请核对金额（是否多写或少写了一位）`;
}

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
export function ineligible(
  programme: Programme,
  school: Pick<SchoolInfo, "kind" | "name">,
  grade: string,
): string | undefined {
  const kinds = KINDS[programme];
  const kindLabel = SchoolKindLabel[school.kind];
  if (!kinds.includes(school.kind)) {
    return `${Programmes[programme]}只面向${kinds.map((k) => SchoolKindLabel[k]).join("、")}学生，${school.name}是${kindLabel}：请核对项目`;
  }
  const g = gradeOf(grade);
  if (school.kind === "nine_year" && programme !== "compulsory_living") return undefined;
  const maxYear =
    school.kind === "primary" ? 6 : ["junior", "senior", "vocational"].includes(school.kind) ? 3 : undefined;
  if (g.level === "senior" && !["senior", "vocational"].includes(school.kind))
    return `年级“${grade}”是高中年级，与${kindLabel}不符：请核对年级`;
  // 七年级 / 初二 at a 小学 (or 小三 at an 初中) is in range by number, but of the other school stage.
  const otherStage =
    (school.kind === "primary" && g.level === "junior") || (school.kind === "junior" && g.level === "primary");
  if (
    otherStage ||
    (maxYear !== undefined &&
      g.year !== undefined &&
      (g.year < 1 || g.year > maxYear) &&
      !(school.kind === "junior" && g.level === "junior"))
  ) {
    return `年级“${grade}”不是${kindLabel}的年级：请核对年级`;
  }
  return undefined;
}

/** The programmes a school of any of these kinds can enter (a 小学 is offered no 普通高中 / 中职 / 贷款 programme). */
export function programmesForKinds(kinds: readonly SchoolInfo["kind"][]): Programme[] {
  return (Object.keys(KINDS) as Programme[]).filter((p) => KINDS[p].some((k) => kinds.includes(k)));
}

/** One suggested amount of one application (one term unless the label says otherwise), in yuan. */
export interface StandardAmount {
  label: string;
  yuan: number;
}

/**
 * The national base standard of one term's application, as the fact sheet (prompts/kb) has it, so the one-student
 * form can fill the amount in: 两免一补 寄宿生 小学 1250 / 初中 1500 元一年 (非寄宿生 half), 高中 / 中职国家助学金
 * 平均 2300 元一年, 中职国家奖学金 6000 元 (once a year), 雨露计划 3000 元一年 (1500 a term), 新生入学资助 500 元
 * (省内) / 1000 元 (省外). Fee waivers, preschool aid and loans follow local fees: no suggestion, the officer types it.
 * Counties that pay more (or tiers) change the amount in the form; the range check still applies.
 */
export function standardAmounts(
  programme: Programme,
  school: Pick<SchoolInfo, "kind">,
  grade: string,
): StandardAmount[] {
  switch (programme) {
    case "compulsory_living": {
      const g = gradeOf(grade);
      const junior = school.kind === "junior" || g.level === "junior";
      return junior
        ? [
            { label: "初中寄宿生（每学期）", yuan: 750 },
            { label: "初中非寄宿生（每学期）", yuan: 375 },
          ]
        : [
            { label: "小学寄宿生（每学期）", yuan: 625 },
            { label: "小学非寄宿生（每学期）", yuan: 312.5 },
          ];
    }
    case "senior_grant":
    case "vocational_grant":
      return [{ label: "全国平均（每学期，本县分档以通知为准）", yuan: 1150 }];
    case "vocational_scholarship":
      return [{ label: "国家奖学金（每年一次）", yuan: 6000 }];
    case "yulu":
      return [{ label: "每学期", yuan: 1500 }];
    case "freshman_aid":
      return [
        { label: "省内就读", yuan: 500 },
        { label: "省外就读", yuan: 1000 },
      ];
    default:
      return [];
  }
}
