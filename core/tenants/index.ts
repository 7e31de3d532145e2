/**
 * Tenants: one county bureau each. Settings families see (name, hotline) and
 * what delivery needs (time zone, quiet hours, WeChat template ids).
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { auditPut, type Actor } from "../audit/index.js";
import { ddb, getItem, queryAll, tableName, transact, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
import { AppError } from "../errors.js";
import { TENANT_ID } from "../ids.js";

export const TenantId = z.string().regex(TENANT_ID, "tenant id: lower-case letters, digits and -");

export const TenantInfo = z.object({
  id: TenantId,
  name: z.string().min(1).max(60),
  /** 县学生资助管理中心 hotline shown to families. */
  hotline: z.string().min(3).max(40),
  timeZone: z.string().default("Asia/Shanghai"),
  /** The Official Account's follow link (公众号二维码 URL) printed as a QR code on binding slips; the web chat when unset. */
  followUrl: z.string().url().optional(),
  /** WeChat template ids by notification kind; the field keys follow each template's own keywords. */
  templates: z
    .object({
      publicity: z.string().optional(),
      payment: z.string().optional(),
      broadcast: z.string().optional(),
    })
    .default({}),
  createdAt: z.string(),
});
export type TenantInfo = z.infer<typeof TenantInfo>;

export async function put(info: Omit<TenantInfo, "createdAt"> & { createdAt?: string }): Promise<TenantInfo> {
  const value = TenantInfo.parse({ ...info, createdAt: info.createdAt ?? new Date().toISOString() });
  await ddb().send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.tenant(value.id), type: "tenant", ...value } }),
  );
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.tenantRegistry(value.id), type: "tenantRef", id: value.id },
    }),
  );
  return value;
}

/** What a parent scans to reach this county: its Official Account when it saved a follow link, else its web chat. */
export const Entry = z.object({
  kind: z.enum(["official_account", "web_chat"]),
  url: z.string(),
});
export type Entry = z.infer<typeof Entry>;

/**
 * The county's own entry for a QR code. The web chat picks its county from `?tenant=` (functions/http/web/page.ts;
 * without it the page serves the demo county), so the link always names the tenant. `origin` is the deployment's
 * address as the staff's browser reached it.
 */
export function entry(t: Pick<TenantInfo, "id" | "followUrl">, origin: string): Entry {
  if (t.followUrl) return { kind: "official_account", url: t.followUrl };
  return { kind: "web_chat", url: `${origin.replace(/\/+$/, "")}/?tenant=${encodeURIComponent(t.id)}` };
}

export async function fromId(id: string): Promise<TenantInfo | undefined> {
  if (!TenantId.safeParse(id).success) return undefined;
  const item = await getItem(keys.tenant(id));
  return item ? TenantInfo.parse(withoutKeys(item)) : undefined;
}

export async function list(): Promise<string[]> {
  const items = await queryAll<{ id: string }>({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.tenantRegistryPk() },
  });
  return items.map((i) => i.id);
}

const TemplateId = z
  .string()
  .trim()
  .min(1, "没有填写模板 ID：不用这类通知请清空")
  .max(64, "模板 ID 太长：最多 64 位，请从公众号后台“模板消息”里原样复制")
  .regex(/^[A-Za-z0-9_-]+$/, "模板 ID 只能有字母、数字、_ 和 -：请从公众号后台“模板消息”里原样复制");

/** A follow link as WeChat gives it: the Official Account's QR code content (http://weixin.qq.com/r/…) or a page. */
const FollowUrl = z
  .string()
  .trim()
  .max(500, "链接太长：最多 500 个字符")
  .url({
    protocol: /^https?$/,
    error: "应为完整的网址，以 http:// 或 https:// 开头（公众号后台“设置与开发 → 公众号设置”里的二维码链接）",
  });

/** What the bureau may change in 本县设置; an absent field is kept, `null` clears an optional one. */
export const SettingsUpdate = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "没有填写：请填写县（区）名称，家长在告知单和通知里看到它")
    .max(60, "太长：最多 60 个字")
    .optional()
    .describe("县（区）或资助中心的名称，家长会看到"),
  hotline: z
    .string()
    .trim()
    .min(3, "没有填写或太短：请填写县资助中心的咨询电话，如 0833-1234567")
    .max(40, "太长：最多 40 个字")
    .optional()
    .describe("县资助中心电话，家长会看到"),
  followUrl: FollowUrl.nullable()
    .optional()
    .describe("公众号关注链接（公众号二维码里的网址）；绑定告知单的二维码用它，null 清除后用本县网页聊天"),
  templates: z
    .strictObject({
      publicity: TemplateId.nullable().optional(),
      payment: TemplateId.nullable().optional(),
      broadcast: TemplateId.nullable().optional(),
    })
    .optional()
    .describe("微信模板消息 id；null 清除"),
});
export type SettingsUpdate = z.output<typeof SettingsUpdate>;

/** The Chinese names of the settings' fields, for validation messages (a county's `name` is not a person's 姓名). */
export const SETTINGS_LABELS = {
  name: "县（区）名称",
  hotline: "咨询电话",
  followUrl: "公众号关注链接",
  templates: "微信模板",
  "templates.publicity": "公示通知模板 ID",
  "templates.payment": "发放通知模板 ID",
  "templates.broadcast": "学校通知模板 ID",
} as const;

const TEMPLATE_LABEL: Record<keyof TenantInfo["templates"], string> = {
  publicity: SETTINGS_LABELS["templates.publicity"],
  payment: SETTINGS_LABELS["templates.payment"],
  broadcast: SETTINGS_LABELS["templates.broadcast"],
};

/**
 * 本县设置 saved: the fields sent are changed, the rest kept, and the change is audited on the tenant with the names
 * of the fields changed (in one transaction, so a setting never changes unrecorded). Nothing changed → no write.
 */
export async function updateSettings(
  id: string,
  actor: Actor,
  patch: SettingsUpdate,
): Promise<{ tenant: TenantInfo; changed: string[] }> {
  const t = await fromId(id);
  // The caller's credential resolved, so the tenant was provisioned; a missing record is an operations problem.
  if (!t) throw new AppError("internal", "tenant_missing", "本县的设置记录不存在：请联系运维人员");
  const next: TenantInfo = { ...t, templates: { ...t.templates } };
  const changed: string[] = [];
  if (patch.name !== undefined && patch.name !== t.name) {
    next.name = patch.name;
    changed.push(SETTINGS_LABELS.name);
  }
  if (patch.hotline !== undefined && patch.hotline !== t.hotline) {
    next.hotline = patch.hotline;
    changed.push(SETTINGS_LABELS.hotline);
  }
  if (patch.followUrl !== undefined && (patch.followUrl ?? undefined) !== t.followUrl) {
    if (patch.followUrl === null) delete next.followUrl;
    else next.followUrl = patch.followUrl;
    changed.push(SETTINGS_LABELS.followUrl);
  }
  for (const k of Object.keys(TEMPLATE_LABEL) as (keyof TenantInfo["templates"])[]) {
    const v = patch.templates?.[k];
    if (v === undefined || (v ?? undefined) === t.templates[k]) continue;
    if (v === null) delete next.templates[k];
    else next.templates[k] = v;
    changed.push(TEMPLATE_LABEL[k]);
  }
  if (changed.length === 0) return { tenant: t, changed };
  const value = TenantInfo.parse(next);
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.tenant(value.id), type: "tenant", ...value },
        ConditionExpression: "attribute_exists(pk)",
      },
    },
    auditPut(tableName(), id, {
      entityId: `tenant:${id}`,
      actor,
      action: "tenant_settings",
      reason: `修改本县设置：${changed.join("、")}`,
    }),
  ]);
  return { tenant: value, changed };
}
