/**
 * Tenants: one county bureau each. Settings families see (name, hotline) and
 * what delivery needs (time zone, quiet hours, WeChat template ids).
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ddb, getItem, queryAll, tableName, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
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
