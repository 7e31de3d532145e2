/**
 * What the assistant needs from the records / notifications side, declared here so core/assistant does not depend
 * on storage. core/families will implement it against DynamoDB; `unboundUser` is the honest stand-in for a chat
 * user who has bound no child (the `ask` CLI: every line a fresh user, no server, no database).
 */
import { replies, type ReplySettings } from "../../prompts/replies";

export type Channel = "wechat" | "web" | "cli";

export interface ChatContext {
  tenant: string;
  /** The chat user: WeChat openid, web session id, or a CLI id. */
  userKey: string;
  channel: Channel;
}

export interface BindArgs {
  name?: string;
  /** 学籍号 as typed (never echoed back in a reply). */
  studentNo?: string;
  /** Last four digits of the guardian phone number the school registered. */
  phoneLast4?: string;
  /** A one-time binding code issued by staff. */
  code?: string;
}

export interface FamilyPort {
  /**
   * Status of every bound child's applications, already composed; with no binding, how to bind. `question` is the
   * user's message, for a port that narrows the answer to the child it names.
   */
  status(ctx: ChatContext, question?: string): Promise<string[]>;
  /** Binds (or explains what is missing / why it failed). */
  bind(ctx: ChatContext, args: BindArgs): Promise<string>;
  /** The bound children, one line each (masked); with none, how to bind. */
  listChildren(ctx: ChatContext): Promise<string[]>;
  /** Unbinds the named child (`which`: a name or its position), or the only one. */
  unbind(ctx: ChatContext, which?: string): Promise<string>;
  /** Turns notifications off (`退订`) or back on (`订阅`). */
  setSubscription(ctx: ChatContext, on: boolean): Promise<string>;
  /** Hands the conversation to a person; returns what to tell the user. */
  handoff(ctx: ChatContext, text: string): Promise<string>;
  /**
   * Optional step-by-step binding: asked after routing and the safety checks; when the message is the next piece
   * of a binding in progress, returns the reply, otherwise undefined. `freeText` is false when the message routed
   * to a command or a question: then a bare name is not taken from it ("查进度" is not a child's name), only
   * pieces that cannot be anything else (a 学籍号, four digits, a code, 取消, a correction).
   */
  continueBinding?(ctx: ChatContext, text: string, opts?: { freeText: boolean }): Promise<string | undefined>;
  /**
   * Optional: the last safety topic of this chat user (a scam warning, a privacy refusal, a crisis answer), kept
   * for a short while so "我已经填了咋办" after a scam warning is understood. Failures must not stop an answer.
   */
  safetyTopic?(ctx: ChatContext): Promise<SafetyTopic | undefined>;
  /** Optional: whether this chat user has bound a child (so "钱打到哪张卡上了" is about that child). */
  hasBoundChild?(ctx: ChatContext): Promise<boolean>;
  rememberSafetyTopic?(ctx: ChatContext, topic: SafetyTopic): Promise<void>;
}

export type SafetyTopic = "scam" | "privacy" | "crisis";

/** The port for a user with no bound child and no live service behind it. */
export function unboundUser(settings: ReplySettings): FamilyPort {
  return {
    status: async () => [replies.statusNeedsBinding()],
    bind: async (_ctx, args) =>
      args.name || args.studentNo || args.phoneLast4 || args.code
        ? replies.bindNeedsService()
        : replies.bindInstructions(),
    listChildren: async () => [replies.childrenNone()],
    unbind: async () => replies.unbindNone(),
    setSubscription: async (_ctx, on) => (on ? replies.resubscribeNone() : replies.unsubscribeNone()),
    handoff: async () => replies.handoffOffline(settings),
  };
}
