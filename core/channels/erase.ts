/**
 * Erasure on request (注销, PIPL art. 47): a chat user can delete everything kept about them — their bindings,
 * everything under their user key (profile and subscription, session and conversation memory, the binding flow,
 * the safety topic, the web inbox) and the handoff messages they left. What stays: the children's records
 * (applications, reviews, payments), which the schools and the bureau keep by rule, and an audit line that the
 * erasure happened, under the user's short reference (never the OpenID). See docs/privacy.md.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { batchDelete, ddb, queryAll, tableName } from "../db/client.js";
import { keys, type Key } from "../db/keys.js";
import { auditPut } from "../audit/index.js";
import * as bindings from "../families/bindings.js";
import { userRef } from "../families/handoffs.js";
import { ERASE_ASK, ERASE_CONFIRM, privacy } from "../../prompts/privacy.js";
import type { ReplyFn } from "./reply.js";

export interface Erased {
  bindings: number;
  /** Items under the user key: profile, sessions, memory, inbox. */
  items: number;
  handoffs: number;
}

export async function eraseChatUser(tenant: string, userKey: string): Promise<Erased> {
  const ref = userRef(tenant, userKey);
  const [own, bound, handoffs] = await Promise.all([
    queryAll<Key>({
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.chatUser(tenant, userKey).pk },
      ProjectionExpression: "pk, sk",
    }),
    bindings.studentsOf(tenant, userKey),
    queryAll<Key>({
      KeyConditionExpression: "pk = :pk",
      FilterExpression: "userRef = :r",
      ExpressionAttributeValues: { ":pk": keys.handoffsPk(tenant), ":r": ref },
      ProjectionExpression: "pk, sk",
    }),
  ]);
  const bindingKeys = bound.map((b) => {
    const k = keys.binding(tenant, b.studentId, userKey);
    return { pk: k.pk, sk: k.sk };
  });
  await batchDelete([...bindingKeys, ...own, ...handoffs]);
  const erased = { bindings: bindingKeys.length, items: own.length, handoffs: handoffs.length };
  const { Put } = auditPut(tableName(), tenant, {
    entityId: ref,
    actor: { id: ref, role: "family" },
    action: "erased_on_request",
    reason: `本人注销：删除绑定 ${erased.bindings} 个、记录 ${erased.items} 条、转人工留言 ${erased.handoffs} 条`,
  });
  await ddb().send(new PutCommand(Put));
  return erased;
}

/**
 * The channels' reply with 注销 in front of the assistant: "注销" explains what would go and asks for 「确认注销」,
 * which erases. Exact commands only, so a question about 注销 (of a bank card, a 学籍) still reaches the assistant.
 */
export function withErasure(next: ReplyFn): ReplyFn {
  return async function replyWithErasure(input) {
    const text = input.text.replace(/[\s。.!！]/g, "");
    if (ERASE_CONFIRM.test(text)) {
      const erased = await eraseChatUser(input.tenant, input.userKey);
      return { intent: "unbind", replies: [{ text: privacy.erased(erased.bindings) }], citations: [] };
    }
    if (ERASE_ASK.test(text)) {
      const children = (await bindings.studentsOf(input.tenant, input.userKey)).length;
      return { intent: "unbind", replies: [{ text: privacy.eraseExplain(children) }], citations: [] };
    }
    return next(input);
  };
}
