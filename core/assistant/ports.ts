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
   * Optional step-by-step binding: asked before routing (after the crisis check); when the message is the next
   * piece of a binding in progress, returns the reply, otherwise undefined.
   */
  continueBinding?(ctx: ChatContext, text: string): Promise<string | undefined>;
}

/** The port for a user with no bound child and no live service behind it. */
export function unboundUser(settings: ReplySettings): FamilyPort {
  return {
    status: async () => [replies.statusNeedsBinding()],
    bind: async (_ctx, args) =>
      args.name || args.studentNo || args.phoneLast4 || args.code ? replies.bindNeedsService() : replies.bindInstructions(),
    listChildren: async () => [replies.childrenNone()],
    unbind: async () => replies.unbindNone(),
    setSubscription: async (_ctx, on) => (on ? replies.resubscribeNone() : replies.unsubscribeNone()),
    handoff: async () => replies.handoffOffline(settings),
  };
}
