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
    const i = parsed.error.issues[0]!;
    throw AppError.validation(
      "invalid_kb_entry",
      `${i.path.join(".") || "entry"}: ${i.message}`,
      parsed.error.issues.slice(0, 20).map((x) => ({ field: x.path.join(".") || undefined, message: x.message })),
    );
  }
  try {
    mergeKb(repositoryKb(), [parsed.data]);
  } catch (e) {
    if (e instanceof KbError) throw AppError.validation("invalid_kb_entry", e.message);
    throw e;
  }
  return parsed.data;
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
