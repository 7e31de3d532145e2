/**
 * Schools of a tenant, grouped by township. A school directly under the county
 * (县直学校) skips the township review level.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { AppError, isConditionFailure } from "../errors.js";
import { ddb, getItem, queryAll, tableName, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";

export const SchoolKind = z.enum(["kindergarten", "primary", "junior", "senior", "vocational", "nine_year", "special"]);
export const SchoolKindLabel: Record<z.infer<typeof SchoolKind>, string> = {
  kindergarten: "幼儿园",
  primary: "小学",
  junior: "初中",
  senior: "普通高中",
  vocational: "中职学校",
  nine_year: "九年一贯制学校",
  special: "特殊教育学校",
};

export const SchoolId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "school id: lower-case letters, digits and -, 2–40 chars");

export const SchoolInput = z.object({
  id: SchoolId,
  name: z.string().trim().min(2).max(60),
  kind: SchoolKind,
  township: z.string().trim().min(1).max(40),
  /** 县直学校: reviewed by the county directly, no township level. */
  directlyUnderCounty: z.boolean().default(false),
});
export type SchoolInput = z.input<typeof SchoolInput>;

export const SchoolInfo = SchoolInput.extend({ tenant: z.string(), createdAt: z.string() });
export type SchoolInfo = z.infer<typeof SchoolInfo>;

/** Create a school; an existing id is a conflict (no silent overwrite). */
export async function create(tenant: string, input: SchoolInput): Promise<SchoolInfo> {
  const value = SchoolInfo.parse({ ...SchoolInput.parse(input), tenant, createdAt: new Date().toISOString() });
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.school(tenant, value.id), type: "school", ...value },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) throw AppError.conflict("school_exists", `school ${value.id} already exists`);
    throw e;
  }
  return value;
}

/** Create or replace (seed and imports). */
export async function upsert(tenant: string, input: SchoolInput): Promise<SchoolInfo> {
  const existing = await fromId(tenant, SchoolId.parse(input.id));
  const value = SchoolInfo.parse({
    ...SchoolInput.parse(input),
    tenant,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  });
  await ddb().send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.school(tenant, value.id), type: "school", ...value } }),
  );
  return value;
}

export async function fromId(tenant: string, id: string): Promise<SchoolInfo | undefined> {
  if (!SchoolId.safeParse(id).success) return undefined;
  const item = await getItem(keys.school(tenant, id));
  return item ? SchoolInfo.parse(withoutKeys(item)) : undefined;
}

export async function list(tenant: string): Promise<SchoolInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": keys.schoolsPk(tenant), ":p": "SCH#" },
  });
  return items.map((i) => SchoolInfo.parse(withoutKeys(i)));
}
