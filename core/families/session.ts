/**
 * The step-by-step binding flow (姓名 → 学籍号 → 手机后四位), kept for 15 minutes in its own item (key 20b) so a
 * guardian can answer one question per message.
 */
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { ddb, expiresIn, getItem, tableName, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";

export const SESSION_SECONDS = 15 * 60;

export const BindingFlow = z.object({
  name: z.string().optional(),
  studentNo: z.string().optional(),
  phoneLast4: z.string().optional(),
});
export type BindingFlow = z.infer<typeof BindingFlow>;

export async function get(tenant: string, userKey: string): Promise<BindingFlow | undefined> {
  const item = await getItem<Record<string, unknown>>(keys.bindingSession(tenant, userKey));
  return item ? BindingFlow.parse(item.flow ?? {}) : undefined;
}

export async function put(tenant: string, userKey: string, flow: BindingFlow): Promise<void> {
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.bindingSession(tenant, userKey),
        type: "bindingFlow",
        flow: BindingFlow.parse(flow),
        [TTL]: expiresIn(SESSION_SECONDS),
      },
    }),
  );
}

export async function clear(tenant: string, userKey: string): Promise<void> {
  await ddb().send(new DeleteCommand({ TableName: tableName(), Key: keys.bindingSession(tenant, userKey) }));
}
