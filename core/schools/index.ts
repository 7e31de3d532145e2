/**
 * Schools of a tenant, grouped by township. A school directly under the county
 * (县直学校) skips the township review level.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { pinyin } from "pinyin-pro";
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
  name: z.string().trim().min(2, "至少 2 个字：请写学校全称，如 城关镇第一小学").max(60, "太长：最多 60 个字"),
  kind: z.enum(SchoolKind.options, { error: "请选择学校类型（小学、初中、普通高中……）" }),
  township: z
    .string()
    .trim()
    .min(1, "没有填写：请选择或填写学校所在的乡镇，如 城关镇；县直学校填“县直”")
    .max(40, "太长：最多 40 个字"),
  /** 县直学校: reviewed by the county directly, no township level. */
  directlyUnderCounty: z.boolean().default(false),
});
export type SchoolInput = z.input<typeof SchoolInput>;

/** A school added in the console: the id is made from the name (城关一小 → cgyx) unless a program sends one. */
export const NewSchool = SchoolInput.extend({
  id: SchoolId.optional().describe("不填时由学校名称的拼音首字母生成，如 城关一小 → cgyx"),
});
export type NewSchool = z.input<typeof NewSchool>;

/** The Chinese names of a school's fields, for validation messages (`name` here is the school's, not a person's). */
export const SCHOOL_LABELS = {
  id: "学校编号",
  name: "学校名称",
  kind: "学校类型",
  township: "所在乡镇",
  directlyUnderCounty: "县直学校",
} as const;

/** A school id from its Chinese name: the pinyin initials, lower-case (城关一小 → cgyx, 县第一中学 → xdyzx). */
export function idFromName(name: string): string {
  const initials = pinyin(name, { pattern: "first", toneType: "none", type: "array", nonZh: "consecutive" })
    .join("")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 24);
  return initials.length >= 2 ? initials : `school${initials}`;
}

export const SchoolInfo = SchoolInput.extend({ tenant: z.string(), createdAt: z.string() });
export type SchoolInfo = z.infer<typeof SchoolInfo>;

/** How many suffixes (cgyx-2, cgyx-3 …) a generated id tries before giving up: names that share initials are few. */
const MAX_SUFFIX = 30;

/**
 * Create a school; an existing id is a conflict (no silent overwrite). Without an id, one is made from the name and
 * the first free one of cgyx, cgyx-2, cgyx-3 … is taken (the put's condition decides, so two at once never share).
 * A school of the same name is refused: a second 城关一小 is a double click or a typo, not a new school.
 */
export async function create(tenant: string, input: NewSchool): Promise<SchoolInfo> {
  const parsed = NewSchool.parse(input);
  const same = (await list(tenant)).find((s) => s.name === parsed.name);
  if (same)
    throw AppError.conflict(
      "school_name_exists",
      `已有同名学校「${same.name}」（${same.township}，编号 ${same.id}）：不用重复添加`,
    );
  const base = parsed.id ?? idFromName(parsed.name);
  const tries = parsed.id ? [base] : [base, ...Array.from({ length: MAX_SUFFIX - 1 }, (_, i) => `${base}-${i + 2}`)];
  for (const id of tries) {
    const value = SchoolInfo.parse({ ...parsed, id, tenant, createdAt: new Date().toISOString() });
    try {
      await ddb().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.school(tenant, value.id), type: "school", ...value },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return value;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
  throw AppError.conflict("school_exists", `学校编号 ${base} 已存在：请换一个编号`);
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
