/**
 * The proven link between a chat user and a student (绑定). One item per pair;
 * the inverted index answers both "whose guardians are reachable" (fan-out) and
 * "which children may this user see" (status). Only core/families creates them,
 * after the proof in binding.ts succeeds.
 */
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ddb, queryAll, tableName, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";

export const BindingInfo = z.object({
  tenant: z.string(),
  studentId: z.string(),
  userKey: z.string(),
  /** How the link was proven. */
  method: z.enum(["name_no_phone", "code", "seed"]),
  boundAt: z.string(),
});
export type BindingInfo = z.infer<typeof BindingInfo>;

/** Idempotent: binding twice keeps the first record. */
export async function bind(
  tenant: string,
  studentId: string,
  userKey: string,
  method: BindingInfo["method"],
): Promise<{ created: boolean }> {
  const value = BindingInfo.parse({ tenant, studentId, userKey, method, boundAt: new Date().toISOString() });
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.binding(tenant, studentId, userKey), type: "binding", ...value },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return { created: true };
  } catch (e) {
    if ((e as { name?: string }).name === "ConditionalCheckFailedException") return { created: false };
    throw e;
  }
}

export async function unbind(tenant: string, studentId: string, userKey: string): Promise<void> {
  const k = keys.binding(tenant, studentId, userKey);
  await ddb().send(new DeleteCommand({ TableName: tableName(), Key: { pk: k.pk, sk: k.sk } }));
}

/** Pattern 8: the students this chat user has proven a link to. */
export async function studentsOf(tenant: string, userKey: string): Promise<BindingInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.bindingsOfUserPk(tenant, userKey) },
  });
  return items.map((i) => BindingInfo.parse(withoutKeys(i)));
}

/** Pattern 7: the chat users bound to a student (its reachable guardians). */
export async function usersOf(tenant: string, studentId: string): Promise<BindingInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
    ExpressionAttributeValues: { ":pk": keys.bindingsOfStudentPk(tenant, studentId), ":p": "BIND#" },
  });
  return items.map((i) => BindingInfo.parse(withoutKeys(i)));
}
