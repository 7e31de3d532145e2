/**
 * What the channels call to answer a message. The WeChat webhook, the inbound worker and the web chat take a
 * `ReplyFn` as a dependency (tests inject a slow or scripted one); `defaultReply` is the one place the real
 * assistant is wired: the tenant's knowledge base (with its overrides), its name and hotline, the family
 * port (bindings, status, handoff) against DynamoDB, and LLM mode when OPENAI_API_KEY / OPENAI_MODEL are set
 * (read per message, so a config change needs no rebuild; conversation memory in DynamoDB).
 */
import { createAssistant, type AssistantInput, type AssistantReply } from "../assistant/index.js";
import { llmFromConfig } from "../assistant/llm/index.js";
import { createFamily } from "../families/port.js";
import { dynamoConversationStore } from "../assistant/conversation-dynamo.js";
import { tenantKb } from "../policy/overrides.js";
import { channelTenant } from "./tenant.js";
import { withErasure } from "./erase.js";
import { withSessionItems } from "../chatusers/session-items.js";
import { withHandoffQuiet } from "./handoff-quiet.js";

export type ReplyInput = AssistantInput;
export type ReplyOutput = Pick<AssistantReply, "intent" | "replies"> &
  Partial<Pick<AssistantReply, "citations" | "flags">>;
export type ReplyFn = (input: ReplyInput) => Promise<ReplyOutput>;

const family = createFamily();
/** Each chat user's last topic (WeChat openid or web session), for follow-ups; 30 minutes of silence forgets it. */
const conversation = dynamoConversationStore();

export const defaultReply: ReplyFn = withErasure(
  withHandoffQuiet(async (input) => {
    const [tenant, kb] = await Promise.all([channelTenant(input.tenant), tenantKb(input.tenant)]);
    const assistant = createAssistant({
      kb,
      tenantSettings: { name: tenant?.name ?? "", hotline: tenant?.hotline ?? "" },
      family,
      llm: llmFromConfig(),
      conversation,
    });
    // The user's SESSION# items (binding flow, topic, safety topic) are read once per message, with one Query.
    return withSessionItems(input.tenant, input.userKey, () => assistant.reply(input));
  }),
);
