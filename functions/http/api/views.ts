/**
 * Response schemas of the HTTP API, for the OpenAPI document (and so the console's generated types). Built from the
 * domain's own zod schemas where core has them; written here for the shapes core returns as plain TypeScript.
 * Objects that may carry more fields than listed are `looseObject`.
 */
import { z } from "zod";
import * as applications from "../../../core/applications/index.js";
import { AuditRecord } from "../../../core/audit/index.js";
import { AlertInfo } from "../../../core/families/alerts.js";
import { HandoffInfo } from "../../../core/families/handoffs.js";
import { EventStatus, ListScope, Audience } from "../../../core/notifications/events.js";
import { MissingTemplate } from "../../../core/actions/compose.js";
import { OverrideRecord } from "../../../core/policy/overrides.js";
import { KbEntry } from "../../../core/policy/kb.js";
import { SchoolInfo } from "../../../core/schools/index.js";
import { TokenInfo, Role } from "../../../core/staff/tokens.js";
import { TenantInfo } from "../../../core/tenants/index.js";

const Masked = (what: string) => z.string().describe(`${what}（打码，如 G51****0011、尾号5678）`);

export const StudentView = z.object({
  id: z.string().describe("学生编号 stu_…"),
  name: z.string(),
  studentNo: Masked("学籍号"),
  schoolId: z.string(),
  grade: z.string(),
  class: z.string(),
  village: z.string().optional(),
  guardians: z.array(z.object({ name: z.string(), relation: z.string(), phone: Masked("监护人手机") })),
  boundGuardians: z.number().int().optional().describe("已绑定的家长人数"),
  updatedAt: z.string(),
});

export const ApplicationView = applications.ApplicationInfo.extend({
  amountYuan: z.string().describe("金额（元），如 625.50"),
  stageLabel: z.string().describe("给家长看的阶段名称，如 学校审核通过"),
  termLabel: z.string(),
  programmeLabel: z.string(),
  payment: z
    .object({
      batchId: z.string(),
      paidDate: z.string(),
      amountFen: applications.AmountFen,
      amountYuan: z.string(),
      accountLast4: z.string(),
    })
    .optional(),
});

export const Application = z.object({ application: ApplicationView });
export const Items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), cursor: z.string().optional().describe("下一页；没有则已到最后") });

export const StaffView = z.object({
  tokenId: z.string(),
  tenant: z.string(),
  role: Role,
  schoolId: z.string().optional(),
  township: z.string().optional(),
  person: z.string().optional(),
  username: z.string().optional(),
});

export const StudentImport = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rows: z.array(
    z.object({
      line: z.number().int().optional(),
      index: z.number().int(),
      studentId: z.string(),
      outcome: z.enum(["created", "updated", "unchanged"]),
    }),
  ),
  ignoredColumns: z.array(z.string()).optional().describe("上传文件时：被忽略的多余列"),
  skipped: z
    .array(
      z.object({
        line: z.number().int().optional().describe("Excel 行号（文本文件为行号）"),
        seq: z.string().optional().describe("文件自己的“序号”列"),
        index: z.number().int(),
        problems: z.array(z.string()),
      }),
    )
    .describe("skipInvalid=true 时跳过的有错行（其余各行已保存）"),
});

export const BindingCode = z.object({
  code: z
    .string()
    .regex(/^\d{12}$/)
    .describe("12 位绑定码，一次有效，14 天"),
  display: z.string().describe("分组显示：1234 5678 9012"),
  expiresAt: z.string(),
});

export const SearchHit = StudentView.extend({ schoolName: z.string() });
export const UnmaskedStudent = z.looseObject({
  id: z.string(),
  name: z.string(),
  studentNo: z.string().describe("完整学籍号（只对本校显示，每次查看都记审计）"),
  schoolId: z.string(),
  grade: z.string(),
  class: z.string(),
  guardians: z.array(z.object({ name: z.string(), relation: z.string(), phone: z.string() })),
});

export const ListView = z.object({
  id: z.string(),
  programme: z.string(),
  term: z.string(),
  scope: ListScope,
  publicity: z.object({ start: z.string(), end: z.string() }),
  objectionContact: z.string(),
  status: EventStatus,
  createdAt: z.string(),
});

export const PublishResult = z.object({
  created: z.boolean(),
  list: ListView,
  moved: z.number().int().describe("进入公示中的申请数"),
  refused: z.array(
    z.object({
      applicationId: z.string(),
      code: z.enum([
        "not_found",
        "wrong_programme_or_term",
        "out_of_scope",
        "wrong_stage",
        "duplicate_student",
        "changed_meanwhile",
      ]),
      message: z.string(),
    }),
  ),
});

export const CloseResult = z.object({
  list: ListView,
  approved: z.number().int(),
  objected: z.array(z.string()).describe("有异议、未转为公示无异议的申请编号"),
  other: z.number().int(),
});

const LineError = z.object({ line: z.number().int().optional(), field: z.string().optional(), message: z.string() });

export const ImportJobView = z
  .object({
    id: z.string().describe("导入任务编号 job_…"),
    kind: z.literal("payment"),
    batchId: z.string().optional(),
    eventId: z.string().optional(),
    state: z
      .enum(["checking", "applying", "done", "invalid"])
      .describe("checking 检查中 → applying 发放中 → done 完成；invalid：有错误，未做任何发放"),
    total: z.number().int().describe("文件的发放明细行数"),
    totalFen: z.number().int(),
    rowsChecked: z.number().int().describe("已检查的行数"),
    rowsDone: z.number().int().describe("已处理（发放）的行数"),
    errorCount: z.number().int().describe("检查发现的错误数（invalid 时）"),
    failedRows: z.number().int().describe("检查后申请被改动、未能发放的行数（done 时）"),
    errors: z.array(LineError).describe("结束后：前 200 处错误（按行号），最后一条说明其余的数目"),
    createdAt: z.string(),
    finishedAt: z.string().optional(),
  })
  .describe("a long file's import job (more than 1,000 rows): checked, then applied, by the imports queue");

export const PaymentResult = z.object({
  batchId: z.string(),
  eventId: z.string(),
  rows: z.number().int(),
  totalFen: z.number().int(),
  duplicate: z.boolean().describe("同一批次再次导入：什么也没改、什么也没发"),
  job: ImportJobView.optional().describe("长文件：由后台任务检查并发放，轮询 GET /api/jobs/{id} 看进度和结果"),
});

export const PaymentPreview = z.object({
  batchId: z.string().optional(),
  rows: z.array(
    z.object({
      line: z.number().int(),
      studentNo: Masked("学籍号"),
      programme: z.string(),
      term: z.string(),
      amountFen: z.number().int(),
      paidDate: z.string(),
      accountLast4: z.string(),
    }),
  ),
  totalFen: z.number().int(),
  errors: z.array(LineError),
  long: z
    .boolean()
    .optional()
    .describe(
      "长文件（超过 1000 行）：这里只列文件本身的问题和前 200 行；与学生、申请的核对在确认导入后由后台任务完成",
    ),
  total: z.number().int().optional().describe("长文件的明细行数"),
});

export const BroadcastView = z.object({
  id: z.string(),
  status: EventStatus,
  audience: Audience,
  urgent: z.boolean(),
  sendAt: z.string().optional(),
  createdAt: z.string(),
});

const Count = z.number().int();
export const DeliveryReport = z.object({
  event: z.object({
    id: z.string(),
    kind: z.enum(["publicity", "payment", "broadcast", "objection"]),
    status: EventStatus,
    createdAt: z.string(),
    sendAt: z.string().optional(),
    fanoutDone: z.boolean(),
    finishedAt: z.string().optional(),
  }),
  students: Count,
  reached: Count.describe("至少一位家长收到通知的学生数"),
  counts: z.object({
    queued: Count,
    sent: Count,
    delivered: Count,
    failed: Count,
    held: Count,
    unreachable: Count,
    skipped: Count,
  }),
  unreached: z.object({
    total: Count,
    students: z.array(
      z.looseObject({
        studentId: z.string(),
        student: z.string().describe("打码的姓名"),
        school: z.string(),
        schoolId: z.string(),
        grade: z.string(),
        class: z.string(),
        reason: z.string(),
        reasonLabel: z.string(),
      }),
    ),
  }),
});

export const TenantView = z.object({ tenant: TenantInfo, missingTemplates: z.array(MissingTemplate).optional() });

export const KbOne = z.object({ override: OverrideRecord.nullable(), effective: KbEntry.nullable() });

export { AlertInfo, AuditRecord, HandoffInfo, OverrideRecord, SchoolInfo, TokenInfo };

export const Ok = z.object({ ok: z.literal(true) });
