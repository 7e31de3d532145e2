/**
 * From a push to what we say, shared by the webhook (passive path) and the inbound worker (customer-service
 * path), so both answer the same way.
 */
import { z } from "zod";
import { userKey } from "../../db/keys.js";
import { TenantId } from "../../tenants/index.js";
import { channelText, type ChannelSettings } from "../../../prompts/channels.js";
import type { ReplyFn } from "../reply.js";
import type { InboundMessage } from "./messages.js";
import { menuAction } from "./menu.js";
import { prepareWechatText } from "./split.js";

/** A question for the assistant; `heard` is set for voice (the transcription, said back before the answer). */
export const Ask = z.object({ text: z.string().max(4096), heard: z.boolean().optional() });
export type Ask = z.infer<typeof Ask>;

/** The job the webhook leaves on the inbound queue (it carries the record id, never a copy of the state). */
export const InboundJob = z.object({
  tenant: TenantId,
  /** The inbound record (dedupe.ts recordId). */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  openId: z.string().min(1).max(128),
  /** Absent when the answer is already in the record (the rest of a long passive answer). */
  ask: Ask.optional(),
  /** The webhook already asked the assistant (and so perhaps the model): the worker answers offline. */
  modelTried: z.boolean().optional(),
});
export type InboundJob = z.infer<typeof InboundJob>;

/** What a push calls for, decided without I/O. */
export type Plan =
  | { kind: "say"; text: string; follow?: boolean }
  | { kind: "ask"; ask: Ask }
  | { kind: "ack"; follow?: boolean }
  | { kind: "templateResult"; msgid: string; status: string };

export function planFor(msg: InboundMessage, settings: ChannelSettings): Plan {
  switch (msg.MsgType) {
    case "text":
      return msg.Content.trim() === ""
        ? { kind: "say", text: channelText.pleaseType() }
        : { kind: "ask", ask: { text: msg.Content } };
    case "voice": {
      const heard = msg.Recognition?.trim() ?? "";
      return heard === ""
        ? { kind: "say", text: channelText.voiceNotUnderstood() }
        : { kind: "ask", ask: { text: heard, heard: true } };
    }
    case "image":
    case "video":
    case "shortvideo":
    case "location":
    case "link":
      return { kind: "say", text: channelText.pleaseType() };
    case "event":
      switch (msg.Event) {
        case "subscribe":
          return { kind: "say", text: channelText.welcome(settings), follow: true };
        case "unsubscribe":
          return { kind: "ack", follow: false };
        case "CLICK": {
          const action = menuAction(msg.EventKey);
          if (action.kind === "ask") return { kind: "ask", ask: { text: action.text } };
          return {
            kind: "say",
            text: action.kind === "policyGuide" ? channelText.policyMenu() : channelText.unknownMenu(),
          };
        }
        case "TEMPLATESENDJOBFINISH":
          return { kind: "templateResult", msgid: msg.MsgID, status: msg.Status };
        case "VIEW":
        case "SCAN":
          return { kind: "ack" };
      }
  }
}

/**
 * Asks the assistant and returns the answer as WeChat messages (markdown stripped, ≤1800 bytes, ≤5). `deadlineAt`
 * bounds the model (the passive window); `modelAllowed: false` answers offline (the model was asked already).
 */
export async function composeAnswer(
  reply: ReplyFn,
  tenant: string,
  openId: string,
  ask: Ask,
  opts: { deadlineAt?: number; modelAllowed?: boolean } = {},
): Promise<string[]> {
  const out = await reply({ tenant, userKey: userKey("wechat", openId), channel: "wechat", text: ask.text, ...opts });
  const body = out.replies
    .map((r) => r.text)
    .filter((t) => t.trim() !== "")
    .join("\n\n");
  return prepareWechatText(ask.heard ? `${channelText.heard(ask.text.trim())}\n${body}` : body);
}
