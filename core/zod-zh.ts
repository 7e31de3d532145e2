/**
 * zod issues in the words a county's staff read: what is wrong with which field, and what to do. The HTTP error
 * mapping (functions/http/errors.ts) and the file importers use this one function; error codes stay English.
 */
import type { z } from "zod";

const FIELD: Record<string, string> = {
  name: "姓名",
  studentNo: "学籍号",
  studentId: "学生",
  school: "学校",
  schoolId: "学校",
  grade: "年级",
  class: "班级",
  village: "村（社区）",
  guardians: "监护人",
  phone: "电话",
  relation: "与学生关系",
  programme: "项目",
  term: "学期",
  amount: "金额",
  reason: "原因",
  result: "复核结果",
  township: "乡镇",
  username: "用户名",
  password: "密码",
  current: "当前密码",
  next: "新密码",
  role: "角色",
  label: "用途说明",
  title: "职务",
  applicationIds: "申请",
  publicity: "公示期",
  start: "开始日期",
  end: "结束日期",
  objectionContact: "异议受理联系方式",
  scope: "公示范围",
  kind: "类型",
  text: "内容",
  from: "当前阶段",
  audience: "发送对象",
  sendAt: "发送时间",
  urgent: "是否紧急",
  tenant: "单位代码",
  id: "编号",
  to: "目标状态",
  action: "操作",
  csv: "文件内容",
  students: "学生名单",
  appId: "AppID",
  appSecret: "AppSecret",
  aesKey: "EncodingAESKey",
};

/** Field names one route's body means differently from the shared table (a county's `name` is not a person's 姓名). */
export type FieldLabels = Readonly<Record<string, string>>;

/** "guardians.0.phone" → "监护人1 的 电话"; `labels` (by key) name a route's own fields before the shared table. */
export function fieldLabel(path: readonly PropertyKey[], labels?: FieldLabels): string {
  const parts: string[] = [];
  for (const p of path) {
    if (typeof p === "number") {
      if (parts.length) parts[parts.length - 1] += String(p + 1);
      else parts.push(`第 ${p + 1} 项`);
    } else parts.push(labels?.[String(p)] ?? FIELD[String(p)] ?? String(p));
  }
  return parts.join(" 的 ");
}

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);
const chineseCount = (s: string) => (s.match(/[\u4e00-\u9fff]/g) ?? []).length;
const latinCount = (s: string) => (s.match(/[A-Za-z]/g) ?? []).length;

/** One issue → one Chinese sentence (without the field name). */
export function issueText(issue: z.core.$ZodIssue): string {
  // Our own schemas already speak Chinese where it matters (学籍号, 手机号, passwords…); keep those words.
  // A message that is mostly Chinese is ours even when it names a field or a value ("from（例如 submitted）").
  if (
    hasChinese(issue.message) &&
    chineseCount(issue.message) >= latinCount(issue.message.replace(/学籍号|OpenID|CSV|Excel/g, ""))
  )
    return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? "没有填写：这一项必填"
        : `类型不对（应为${TYPE[issue.expected] ?? issue.expected}）`;
    case "too_small":
      return issue.origin === "string"
        ? Number(issue.minimum) <= 1
          ? "没有填写：这一项必填"
          : `太短：至少 ${issue.minimum} 个字`
        : issue.origin === "array"
          ? `至少要有 ${issue.minimum} 项`
          : `太小：不能小于 ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string"
        ? `太长：最多 ${issue.maximum} 个字`
        : issue.origin === "array"
          ? `太多：最多 ${issue.maximum} 项`
          : `太大：不能大于 ${issue.maximum}`;
    case "invalid_format":
      return FORMAT_HINT(issue.message);
    case "invalid_value":
      return `不是可选的值：请从列表中选择（可选：${issue.values.map(String).join("、")}）`;
    case "invalid_union":
      return "格式不对：请对照说明填写";
    case "unrecognized_keys":
      return `有系统不认识的项：${issue.keys.join("、")}（请删去）`;
    default:
      return `填写有误：请核对后重试（${issue.message}）`;
  }
}

const TYPE: Record<string, string> = {
  string: "文字",
  number: "数字",
  boolean: "是/否",
  object: "对象",
  array: "列表",
  date: "日期",
};

function FORMAT_HINT(message: string): string {
  if (/学籍号/.test(message)) return "格式不对：学籍号应为 8–24 位字母或数字";
  if (/phone|mobile/i.test(message)) return "格式不对：应为 11 位手机号";
  if (/term/i.test(message)) return "格式不对：学期应写成 2025-autumn 或 2026-spring";
  if (/amount|yuan/i.test(message)) return "格式不对：金额写元，最多两位小数，如 625 或 625.50";
  if (/date|YYYY/i.test(message)) return "格式不对：日期应写成 2025-11-20";
  if (/school id/i.test(message)) return "格式不对：学校编号只能用小写字母、数字和 -（请从学校列表中选择）";
  if (/application ids/i.test(message)) return "格式不对：申请编号形如 app_…";
  return "格式不对：请对照说明填写";
}

/** "学籍号：格式不对…"; `labels` (by dotted path, e.g. "templates.payment", or by key) override the shared names. */
export function issueLine(issue: z.core.$ZodIssue, labels?: FieldLabels): string {
  const field = labels?.[issue.path.map(String).join(".")] ?? fieldLabel(issue.path, labels);
  return field ? `${field}：${issueText(issue)}` : issueText(issue);
}
