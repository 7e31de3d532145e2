/**
 * What the assistant needs from the records / notifications side, declared here so core/assistant does not depend
 * on storage. core/families will implement it against DynamoDB; `unboundUser` is the honest stand-in for a chat
 * user who has bound no child (the `ask` CLI: every line a fresh user, no server, no database).
 */
import { replies, type ReplySettings } from "../../prompts/replies";
import { bindingHelpCues, childNameIntro, family } from "../../prompts/family";

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
  /** Something was given as the binding code ("绑定码 7KQ2MX") but it is not a code's shape: no attempt counted. */
  malformedCode?: boolean;
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

/**
 * What the last answer was about, for a short follow-up: a scam warning, a privacy refusal, a crisis answer — and
 * two turns that are not safety but are read the same way: a binding attempt ("那咋办嘛", "码是老师刚给的 咋不中")
 * and a request for a person ("那要等多久").
 */
export type SafetyTopic = "scam" | "privacy" | "crisis" | "binding" | "handoff";

/** The port for a user with no bound child and no live service behind it. */
export function unboundUser(settings: ReplySettings): FamilyPort {
  return {
    status: async () => [replies.statusNeedsBinding()],
    bind: async (_ctx, args) => {
      if (args.malformedCode && !args.name && !args.studentNo) return family.bindCodeMalformed();
      if (args.code || (args.name && args.studentNo && args.phoneLast4)) return replies.bindNeedsService();
      // Some pieces: the next one is asked for, as the service does ("绑定 娃叫张小燕" → the 学籍号).
      if (args.name && !args.studentNo) return family.bindAskStudentNo();
      if (args.name || args.studentNo) return args.name ? family.bindAskPhone() : family.bindStart();
      return args.phoneLast4 ? family.bindStart() : replies.bindInstructions();
    },
    listChildren: async () => [replies.childrenNone()],
    unbind: async () => replies.unbindNone(),
    setSubscription: async (_ctx, on) => (on ? replies.resubscribeNone() : replies.unsubscribeNone()),
    handoff: async () => replies.handoffOffline(settings),
  };
}

/**
 * The unbound stand-in with a short memory per chat user, for the offline eval and the `ask` CLI's conversations:
 * the last safety topic (so "他就是随口说说吧" after a crisis answer, or "我已经填了" after a scam warning, are
 * understood) and a binding asked for (so the name, 学籍号, four digits or code sent next are taken as binding data,
 * which it cannot check without the records: it says so). Same TTL as the conversation topic.
 */
export function offlineSession(
  settings: ReplySettings,
  opts: { ttlSeconds?: number; now?: () => number } = {},
): FamilyPort {
  const base = unboundUser(settings);
  const ttl = (opts.ttlSeconds ?? 30 * 60) * 1000;
  const now = opts.now ?? Date.now;
  const safety = new Map<string, { topic: SafetyTopic; at: number }>();
  /** A binding asked for, and the pieces sent so far (asked for one by one, as the service does). */
  const binding = new Map<string, { at: number; name?: boolean; studentNo?: boolean; phone?: boolean }>();
  const k = (ctx: ChatContext) => `${ctx.tenant}\u0000${ctx.userKey}`;
  const fresh = (at: number | undefined) => at !== undefined && now() - at <= ttl;
  /** Which piece of binding data a message is: a 学籍号, four digits (phone), a longer number (a code), a name. */
  const pieceOf = (text: string, freeText: boolean): "studentNo" | "phone" | "code" | "name" | undefined => {
    const t = text.normalize("NFKC").trim().replace(childNameIntro, "").replace(/[\s-]/g, "");
    if (/[GJLgjl]\d{6,}|\d{17}[\dXx]/.test(t)) return "studentNo";
    const digits = t.replace(/尾号|后四位|号码/g, "");
    if (/^\D{0,8}\d{4}\D{0,4}$/.test(digits) && !/元|块|钱|年|月|号|分/.test(digits)) return "phone";
    if (/\d{5,}/.test(t) && [...t].length <= 16 && !/元|块|钱|年|月|号|分/.test(digits)) return "code";
    return freeText && /^\p{Script=Han}{2,4}$/u.test(t) ? "name" : undefined;
  };
  /** The next piece to ask for, or — all there — that checking them needs the service. */
  const next = (ctx: ChatContext, held: { at: number; name?: boolean; studentNo?: boolean; phone?: boolean }) => {
    if (held.name && held.studentNo && held.phone) {
      binding.delete(k(ctx));
      return replies.bindNeedsService();
    }
    binding.set(k(ctx), { ...held, at: now() });
    if (!held.name) return family.bindStart();
    if (!held.studentNo) return family.bindAskStudentNo();
    return family.bindAskPhone();
  };
  return {
    ...base,
    async status(ctx, question) {
      // No child bound here: the answer says how to bind, so the next message may be the child's name.
      if (!binding.has(k(ctx))) binding.set(k(ctx), { at: now() });
      return base.status(ctx, question);
    },
    async bind(ctx, args) {
      if (args.code || args.malformedCode || !(args.name || args.studentNo || args.phoneLast4)) {
        if (!args.code && !args.malformedCode) binding.set(k(ctx), { at: now() });
        else binding.delete(k(ctx));
        return base.bind(ctx, args);
      }
      // Pieces still missing keep the binding open for the next message ("俺手机尾号是3306").
      const held = binding.get(k(ctx));
      const kept = held && fresh(held.at) ? held : { at: now() };
      return next(ctx, {
        ...kept,
        ...(args.name ? { name: true } : {}),
        ...(args.studentNo ? { studentNo: true } : {}),
        ...(args.phoneLast4 ? { phone: true } : {}),
      });
    },
    async continueBinding(ctx, text, o) {
      const held = binding.get(k(ctx));
      if (!held || !fresh(held.at)) return undefined;
      if (/^\s*(取消|算了|不绑了)\s*$/.test(text)) {
        binding.delete(k(ctx));
        return undefined;
      }
      if (bindingHelpCues.studentNo.test(text.replace(/\s+/g, ""))) {
        binding.set(k(ctx), { ...held, at: now() });
        return family.bindWhereStudentNo();
      }
      const piece = pieceOf(text, o?.freeText ?? true);
      if (!piece) return undefined;
      if (piece === "code") {
        binding.delete(k(ctx));
        return replies.bindNeedsService();
      }
      return next(ctx, { ...held, [piece]: true });
    },
    async safetyTopic(ctx) {
      const s = safety.get(k(ctx));
      return s && fresh(s.at) ? s.topic : undefined;
    },
    async rememberSafetyTopic(ctx, topic) {
      safety.set(k(ctx), { topic, at: now() });
    },
    hasBoundChild: async () => false,
  };
}
