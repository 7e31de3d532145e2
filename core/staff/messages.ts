/**
 * The Chinese message a staff member reads for an AppError: every transport (the HTTP API today) maps errors through
 * this one function. Error codes stay English for programs.
 */
import type { AppError } from "../errors.js";

const WHAT: Record<string, string> = {
  school: "学校",
  student: "学生",
  application: "申请",
  list: "公示名单",
  account: "账号",
  token: "令牌",
  event: "通知",
  entry: "条目",
  handoff: "转人工记录",
  batch: "发放批次",
};

/**
 * Staff read these messages: AppErrors raised in English by older modules get their Chinese words here, by code
 * (the code itself stays as it is). Messages already in Chinese pass through.
 */
export function staffMessage(err: AppError): string {
  if (/[\u4e00-\u9fff]/.test(err.message) && !/^[\x00-\x7f]*[a-z]{4,}/i.test(err.message.slice(0, 12)))
    return err.message;
  switch (err.code) {
    case "not_found": {
      const what = /^(\w+) not found$/.exec(err.message)?.[1];
      return `${(what && WHAT[what]) ?? "记录"}不存在，或不在您的管辖范围：请核对后重试`;
    }
    case "unauthorized":
      return "请先登录（控制台）或在请求头带上有效的令牌 Authorization: Bearer <token>";
    case "role_required":
      return "您的账号角色不能做这件事：请联系县资助中心";
    case "invalid_transition":
    case "stale_stage":
      return "这份申请的状态已变化或不允许这样操作：请刷新后查看它当前的状态";
    case "needs_publicity":
      return "县级审核通过的申请要通过“发布公示”进入下一步：请到“公示”页发布";
    case "needs_payment":
      return "申请由导入发放明细标记为已发放：请到“资金发放”页导入";
    case "publicity_not_over":
      return `公示期还没结束，不能提前结束公示：${err.message.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? ""} 之后再结束`;
    case "nothing_to_list":
      return "所选申请都不能列入公示（须为县级审核通过且属于所选学校）：请检查后重选";
    case "batch_conflict":
      return "这个批次号之前导入过不同的内容：改正后的文件请用新的批次号";
    case "csv_encoding":
      return "文件编码无法识别：请在 Excel 中“另存为 CSV UTF-8”或 .xlsx 后再上传";
    case "body_too_large":
      return "文件超过 5 MB：请分成几个文件上传";
    case "invalid_json":
      return "请求内容不是有效的 JSON：请检查格式";
    case "application_exists":
      return "这名学生这个项目这个学期已有申请：无需重复录入";
    case "school_exists":
      return "学校编号已存在：请换一个编号";
    case "already_paid":
      return "已经发放过：无需重复导入";
    default:
      return err.message;
  }
}
