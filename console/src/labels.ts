/** Words the console shows for the API's stable codes. */
export const ROLE_LABEL = { bureau: "县资助中心", township: "乡镇中心校", school: "学校" } as const;
export const PROGRAMMES: [string, string][] = [
  ["compulsory_living", "义务教育家庭经济困难学生生活补助"],
  ["preschool_aid", "学前教育资助"],
  ["senior_grant", "普通高中国家助学金"],
  ["senior_fee_waiver", "普通高中免学杂费"],
  ["vocational_grant", "中职国家助学金"],
  ["vocational_fee_waiver", "中职免学费"],
  ["vocational_scholarship", "中职国家奖学金"],
  ["student_loan", "生源地信用助学贷款"],
  ["yulu", "雨露计划职业教育补助"],
  ["freshman_aid", "新生入学资助"],
];
export function terms(now = new Date()): [string, string][] {
  const y = now.getFullYear();
  const out: [string, string][] = [];
  for (const year of [y, y - 1])
    for (const s of ["autumn", "spring"] as const)
      out.push([`${year}-${s}`, `${year}年${s === "spring" ? "春季" : "秋季"}学期`]);
  return out;
}
export const STAGES: [string, string][] = [
  ["submitted", "已提交申请"],
  ["school_approved", "学校审核通过"],
  ["township_approved", "乡镇审核通过"],
  ["county_approved", "县级审核通过"],
  ["publicizing", "公示中"],
  ["approved", "公示无异议"],
  ["paid", "已发放"],
  ["rejected", "未通过"],
  ["objected", "异议复核中"],
];
export const STAGE_COLOR: Record<string, string> = {
  submitted: "default",
  school_approved: "blue",
  township_approved: "geekblue",
  county_approved: "purple",
  publicizing: "orange",
  approved: "cyan",
  paid: "green",
  rejected: "red",
  objected: "magenta",
};
