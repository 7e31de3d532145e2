/**
 * A tenant's knowledge-base overrides (local hotline, local amounts, deadlines), stored in DynamoDB (key 27) and
 * merged over the repository entries at read time, so bureau staff change answers without a redeploy. The shape is
 * kb.ts's KbOverride (replace / patch / remove); an override is checked against the repository knowledge base
 * before it is stored, so a bad one never breaks a tenant's answers.
 */
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { AppError } from "../errors.js";
import { ddb, getItem, queryAll, tableName } from "../db/client.js";
import { keys } from "../db/keys.js";
import { KbError, KbOverride, loadKb, mergeKb, type Kb } from "./kb.js";
import { issueLine } from "../zod-zh.js";

/** The knowledge entry's fields as the bureau's editor names them (`title` here is a heading, not a post). */
const KB_LABELS = {
  id: "条目编号",
  mode: "方式",
  title: "标题",
  stage: "学段",
  programme: "项目名称",
  topics: "对应项目",
  keywords: "关键词",
  synonyms: "同义词",
  sources: "政策来源",
  effective: "生效日期",
  varies_locally: "是否各县不同",
  passages: "段落",
  heading: "小标题",
  text: "内容",
  aspects: "回答的方面",
} as const;

export const OverrideRecord = z.object({
  id: z.string(),
  override: z.unknown(),
  updatedAt: z.string(),
  /** Token id of the bureau staff who saved it. */
  updatedBy: z.string(),
});
export type OverrideRecord = z.infer<typeof OverrideRecord>;

let base: Kb | undefined;
/** The repository knowledge base, read once per process. */
export function repositoryKb(): Kb {
  base ??= loadKb();
  return base;
}

/** Validates an override (its shape, and that it merges with the repository entries); throws AppError 400. */
export function checkOverride(id: string, raw: unknown): z.output<typeof KbOverride> {
  const withId = raw && typeof raw === "object" && !Array.isArray(raw) ? { ...(raw as object), id } : raw;
  const parsed = KbOverride.safeParse(withId);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20);
    throw AppError.validation(
      "invalid_kb_entry",
      `知识条目有误：${issueLine(issues[0]!, KB_LABELS)}——请改正后再保存`,
      issues.map((x) => ({ field: x.path.join(".") || undefined, message: issueLine(x, KB_LABELS) })),
    );
  }
  const o = parsed.data;
  if (o.mode === "patch" && !repositoryKb().entries.some((e) => e.id === o.id))
    throw AppError.validation(
      "invalid_kb_entry",
      `要修改的条目“${o.id}”不存在：修改只能针对已有的条目；要新增一条，请填写完整的条目（标题、来源和段落）`,
    );
  try {
    mergeKb(repositoryKb(), [o]);
  } catch (e) {
    if (e instanceof KbError)
      throw AppError.validation(
        "invalid_kb_entry",
        `知识条目修改后有误：${e.issue ? issueLine(e.issue, KB_LABELS) : "请检查各项后再保存"}——请改正后再保存`,
      );
    throw e;
  }
  return o;
}

export async function put(tenant: string, id: string, raw: unknown, updatedBy: string): Promise<OverrideRecord> {
  const override = checkOverride(id, raw);
  const value = OverrideRecord.parse({ id, override, updatedAt: new Date().toISOString(), updatedBy });
  await ddb().send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.kbOverride(tenant, id), type: "kbOverride", ...value } }),
  );
  merged.delete(tenant); // this instance sees its own edit at once; others within OVERRIDE_FRESHNESS_MS
  return value;
}

export async function get(tenant: string, id: string): Promise<OverrideRecord | undefined> {
  const item = await getItem<Record<string, unknown>>(keys.kbOverride(tenant, id));
  return item ? OverrideRecord.parse(item) : undefined;
}

export async function remove(tenant: string, id: string): Promise<boolean> {
  const out = await ddb().send(
    new DeleteCommand({ TableName: tableName(), Key: keys.kbOverride(tenant, id), ReturnValues: "ALL_OLD" }),
  );
  merged.delete(tenant);
  return out.Attributes !== undefined;
}

/** Pattern 27: every override record of a tenant, by entry id. */
export async function list(tenant: string): Promise<OverrideRecord[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": keys.kbOverridesPk(tenant), ":p": "KB#" },
  });
  return items.map((i) => OverrideRecord.parse(i));
}

/** The overrides to pass to mergeKb(), in a stable order. */
export async function loadOverrides(tenant: string): Promise<unknown[]> {
  return (await list(tenant)).map((r) => r.override);
}

/**
 * The tenant's knowledge base: repository entries merged with its overrides. The same Kb object is returned while
 * the overrides are unchanged, so the assistant's per-Kb index cache keeps working.
 */
const merged = new Map<string, { stamp: string; kb: Kb; checkedAt: number }>();
/**
 * How long a warm instance trusts its merged knowledge base before asking DynamoDB again: a staff edit reaches
 * every Lambda within this window, and a busy webhook does not pay one query per message.
 */
export const OVERRIDE_FRESHNESS_MS = 10_000;
export async function tenantKb(tenant: string): Promise<Kb> {
  const fresh = merged.get(tenant);
  if (fresh && Date.now() - fresh.checkedAt < OVERRIDE_FRESHNESS_MS) return fresh.kb;
  const records = await list(tenant);
  const stamp = records.map((r) => `${r.id}@${r.updatedAt}`).join("|");
  const hit = merged.get(tenant);
  if (hit && hit.stamp === stamp) {
    hit.checkedAt = Date.now();
    return hit.kb;
  }
  let kb = repositoryKb();
  for (const r of records) {
    try {
      kb = mergeKb(kb, [r.override]);
    } catch {
      // An override that stopped fitting (the repository entry it patches was renamed) is skipped, not fatal:
      // one stale local edit must not take every answer down.
    }
  }
  merged.set(tenant, { stamp, kb, checkedAt: Date.now() });
  return kb;
}
