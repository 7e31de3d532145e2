/**
 * The aid programmes, each with its official name (staff views, status replies, the full text of a notice) and a
 * short name that fits a 20-character WeChat template field (docs/wechat-protocol.md §6). The programme union is
 * this table's keys, so a programme cannot be added without both names. Pure: no storage, no zod.
 */
export const ProgrammeNames = {
  preschool_aid: { name: "学前教育资助", short: "学前教育资助" },
  compulsory_living: { name: "义务教育家庭经济困难学生生活补助", short: "义务教育生活补助" },
  senior_grant: { name: "普通高中国家助学金", short: "普通高中国家助学金" },
  senior_fee_waiver: { name: "普通高中免学杂费", short: "普通高中免学杂费" },
  vocational_grant: { name: "中职国家助学金", short: "中职国家助学金" },
  vocational_fee_waiver: { name: "中职免学费", short: "中职免学费" },
  vocational_scholarship: { name: "中职国家奖学金", short: "中职国家奖学金" },
  student_loan: { name: "生源地信用助学贷款", short: "生源地信用助学贷款" },
  yulu: { name: "雨露计划职业教育补助", short: "雨露计划补助" },
  freshman_aid: { name: "新生入学资助", short: "新生入学资助" },
} as const satisfies Record<string, { name: string; short: string }>;

export type Programme = keyof typeof ProgrammeNames;

/** Programme → official name. */
export const Programmes = Object.fromEntries(Object.entries(ProgrammeNames).map(([id, names]) => [id, names.name])) as {
  readonly [P in Programme]: (typeof ProgrammeNames)[P]["name"];
};

/** Programme → short name, for a template field. */
export const ProgrammeShortNames = Object.fromEntries(
  Object.entries(ProgrammeNames).map(([id, names]) => [id, names.short]),
) as { readonly [P in Programme]: (typeof ProgrammeNames)[P]["short"] };

/** A programme as a staff file names it: its id or its official name ("义务教育家庭经济困难学生生活补助"). */
const programmeByName = new Map<string, Programme>(
  Object.entries(Programmes).flatMap(([id, name]) => [
    [id, id as Programme],
    [name, id as Programme],
  ]),
);

export function programmeFromCell(text: string): Programme | undefined {
  return programmeByName.get(text);
}

/** A term as a staff file writes it: "2025-autumn", "2025年秋季学期", "2026 年 春季" → 2025-autumn / 2026-spring. */
export function parseTerm(s: string): string | undefined {
  if (/^\d{4}-(spring|autumn)$/.test(s)) return s;
  const m = /^(\d{4})\s*年?\s*(春|秋)季?(学期)?$/.exec(s);
  return m ? `${m[1]}-${m[2] === "春" ? "spring" : "autumn"}` : undefined;
}
