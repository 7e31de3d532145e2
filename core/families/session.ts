/**
 * The step-by-step binding flow (姓名 → 学籍号 → 手机后四位), kept for 15 minutes in its own item (key 20b) so a
 * guardian can answer one question per message. Read with the user's other SESSION# items
 * (core/chatusers/session-items.ts): inside a message that has read them, "no flow" costs nothing.
 */
import { z } from "zod";
import { deleteSessionItem, putSessionItem, readSessionItem } from "../chatusers/session-items.js";
import { expiresIn, TTL } from "../db/client.js";
import { keys } from "../db/keys.js";

export const SESSION_SECONDS = 15 * 60;

export const BindingFlow = z.object({
  name: z.string().optional(),
  studentNo: z.string().optional(),
  phoneLast4: z.string().optional(),
});
export type BindingFlow = z.infer<typeof BindingFlow>;

export async function get(tenant: string, userKey: string): Promise<BindingFlow | undefined> {
  const item = await readSessionItem(keys.bindingSession(tenant, userKey));
  return item ? BindingFlow.parse(item.flow ?? {}) : undefined;
}

export async function put(tenant: string, userKey: string, flow: BindingFlow): Promise<void> {
  await putSessionItem({
    ...keys.bindingSession(tenant, userKey),
    type: "bindingFlow",
    flow: BindingFlow.parse(flow),
    [TTL]: expiresIn(SESSION_SECONDS),
  });
}

export async function clear(tenant: string, userKey: string): Promise<void> {
  await deleteSessionItem(keys.bindingSession(tenant, userKey));
}
