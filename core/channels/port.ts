/**
 * The channel port: the one way core/notifications reaches a chat user. Each channel (WeChat, the web chat) lives
 * in its own folder, implements ChatChannel, and is registered once in core/channels/registry.ts under the prefix
 * of the user keys it serves (`wechat:<openid>`, `web:<id>`). Delivery looks the channel up and calls `send`; it
 * never asks which channel it has.
 *
 * A channel learns some outcomes only later (WeChat's TEMPLATESENDJOBFINISH): it tells them through LateOutcomes,
 * which core/notifications implements (core/notifications/outcomes.ts) and which is handed to the channel's
 * callback handling by the composition root (functions/http/wechat.ts). This file is types only, so a channel
 * never imports the notifications area and the notifications area imports no channel internals.
 */
import type { TenantInfo } from "../tenants/index.js";

/** Who receives: the user key (`<channel>:<id>`) and the id the channel itself knows them by (OpenID, web user id). */
export interface ChatRecipient {
  tenant: string;
  userKey: string;
  channelId: string;
}

/** A notice as rendered (core/notifications/render.ts): template fields for a push channel, the whole text for an inbox. */
export interface OutgoingNotice {
  /** The notification id: the idempotency key of the send (WeChat client_msg_id, the inbox item id). */
  id: string;
  eventId: string;
  kind: "publicity" | "payment" | "broadcast" | "objection";
  /** Which of the tenant's WeChat templates carries it (an objection result goes out in the 通知 template). */
  template: "publicity" | "payment" | "broadcast";
  /** Template fields, one line of at most 20 characters each. */
  fields: Record<string, { value: string }>;
  /** The whole notice. */
  text: string;
}

export interface SendContext {
  /** The tenant's settings (a channel takes what it needs, e.g. WeChat template ids by kind). */
  tenant: TenantInfo;
  /** How many times the queue has handed out this delivery (1 on the first try), for a channel's backoff. */
  receiveCount: number;
  /** A time fixed at the first attempt of this notice: every retry gets the same one (an inbox orders by it). */
  firstAttemptAt(): Promise<string>;
  /** Log fields that say which notice this is (tenant, event, notification); never personal data. */
  logFields: Record<string, string>;
}

/**
 * What became of a send. `sent`: accepted, the final word may come later (`ref` = the channel's message id, the
 * one LateOutcomes reports against); `delivered`: it reached the user; `failed`: permanently not (`reason` is a code,
 * never personal data); `retry`: try again after `afterSeconds` (on the queue's last try delivery records it as
 * failed). A channel that throws leaves the notice to the queue's retry as an unexpected error.
 */
export type DeliveryOutcome =
  | { status: "sent" | "delivered" | "failed"; ref?: string; errcode?: number; reason?: string }
  | { status: "retry"; afterSeconds: number; reason: string; errcode?: number; detail: string };

export interface ChatChannel {
  /** The user-key prefix it serves and registers under. */
  readonly name: string;
  send(to: ChatRecipient, notice: OutgoingNotice, ctx: SendContext): Promise<DeliveryOutcome>;
}

/** A late outcome of a notice, reported by the channel that sent it. */
export interface LateOutcome {
  eventId: string;
  notificationId: string;
  status: "delivered" | "failed";
  /** The channel's message id. */
  ref: string;
  reason?: string;
}

/** Implemented by core/notifications (outcomes.ts); the only thing a channel may do to a notification. Returns whether it changed. */
export interface LateOutcomes {
  settle(tenant: string, outcome: LateOutcome): Promise<boolean>;
}
