/**
 * 全程留痕: the audit trail of an entity. Records are written inside the same
 * transaction as the change they describe (see applications), never after.
 */
import { z } from "zod";
import { queryAll, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
import { newId } from "../ids.js";

export const Actor = z.object({
  /** Token id (tok_…), account (acc:<username>), "system", or a chat-user reference; never a phone. */
  id: z.string().min(1),
  role: z.enum(["bureau", "township", "school", "system", "family"]),
  /** Staff only: the person and their role as the trail shows them, e.g. 李老师（学校资助专干）. */
  name: z.string().max(60).optional(),
});
export type Actor = z.infer<typeof Actor>;

export const AuditRecord = z.object({
  id: z.string(),
  entityId: z.string(),
  at: z.string(),
  actor: Actor,
  action: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  reason: z.string().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** A put for a TransactWriteItems list. */
export function auditPut(tableName: string, tenant: string, rec: Omit<AuditRecord, "id" | "at"> & { at?: string }) {
  const at = rec.at ?? new Date().toISOString();
  const id = newId("aud", 10);
  const value = AuditRecord.parse({ ...rec, id, at });
  return {
    Put: { TableName: tableName, Item: { ...keys.audit(tenant, value.entityId, at, id), type: "audit", ...value } },
  };
}

export async function trail(tenant: string, entityId: string): Promise<AuditRecord[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.auditPk(tenant, entityId) },
  });
  return items.map((i) => AuditRecord.parse(withoutKeys(i)));
}
