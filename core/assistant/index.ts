/**
 * The assistant: one message in, the replies out. Stateless apart from what the FamilyPort keeps (bindings,
 * subscriptions, handoffs); every word comes from prompts/replies.ts or the knowledge base — except, with `llm`
 * set, policy and status answers the model composes from tool results after routing and the guardrails (checked,
 * and replaced by the offline answer when they fail a check: core/assistant/llm).
 */
import { applySettings, type Kb, type TenantSettings } from "../policy/kb";
import { indexFor, type PolicyIndex, type SearchResult } from "../policy/index";
import { placeholderFallback, replies, type ReplySettings } from "../../prompts/replies";
import { answerPolicy, defaultComposeOptions, type ComposeOptions } from "./answer-policy";
import { unboundUser, type ChatContext, type FamilyPort } from "./ports";
import { route, type Intent, type Route } from "./route";
import { canonical } from "../policy/segment";
import { safetyText } from "../../prompts/safety";
import { statusAspectCues } from "../../prompts/family";
import { crisisLevel, followUpOf, mayFollowUp, moneyNotArrived, onBehalfOfOthers, safetyTexts, scamRead, wantsPerson, wantsPhone } from "./guardrails";
import type { SafetyTopic } from "./ports";

export type { Intent, Route } from "./route";
export type { FamilyPort, ChatContext, BindArgs, Channel, SafetyTopic } from "./ports";

export interface AssistantDeps {
  /** The knowledge base, loaded and merged with the tenant's overrides (placeholders are filled here). */
  kb: Kb;
  tenantSettings: TenantSettings | ReplySettings;
  /** Records / notifications side; without it, every user is an unbound user with no live service. */
  family?: FamilyPort;
  compose?: Partial<ComposeOptions>;
  /** A prebuilt index over `kb` (the bench swaps segmenters this way); default: built on first use and cached. */
  index?: PolicyIndex;
  /** LLM mode (core/assistant/llm): composes policy and status answers after routing and the guardrails. */
  llm?: ModelComposer;
}

/** A routed turn handed to the model: only policy and status questions get there, after every guardrail. */
export interface ModelTurn {
  ctx: ChatContext;
  text: string;
  intent: "policy" | "status";
  settings: ReplySettings;
  family: FamilyPort;
  search(query: string): SearchResult;
  /** When the channel needs the answer by (ms since epoch); the model gets what is left, less a reserve. */
  deadlineAt?: number;
}

/** Answers a turn with the model, or with `offline()` (the answer without it) whenever the model cannot be trusted. */
export type ModelComposer = (turn: ModelTurn, offline: () => Promise<AssistantReply>) => Promise<AssistantReply>;

export interface AssistantInput extends ChatContext {
  text: string;
  /** When the channel needs the answer by (ms since epoch): WeChat's passive-reply window. */
  deadlineAt?: number;
  /**
   * False when the model was already asked for this message (WeChat's worker after a missed deadline): the
   * offline answer is given, so one message never costs two model calls.
   */
  modelAllowed?: boolean;
}

export interface AssistantReply {
  intent: Intent;
  replies: { text: string }[];
  citations: { id: string; title: string }[];
  flags?: { crisis?: boolean; resubscribe?: boolean };
}

export interface Assistant {
  reply(input: AssistantInput): Promise<AssistantReply>;
  /** The routing decision alone (for logs and tests). */
  route(text: string): Route;
  /** The policy index (built on first use). */
  index(): PolicyIndex;
}

/** Longest message we read; a WeChat text is at most 2048 bytes, a pasted essay is not a question. */
const MAX_CHARS = 600;

/** Filled knowledge bases, per source KB object and settings, so each tenant's index is built once per process. */
const filled = new WeakMap<Kb, Map<string, Kb>>();

function kbFor(kb: Kb, settings: ReplySettings & Record<string, string>): Kb {
  let perSettings = filled.get(kb);
  if (!perSettings) filled.set(kb, (perSettings = new Map()));
  const key = JSON.stringify(Object.entries(settings).sort());
  let out = perSettings.get(key);
  if (!out) perSettings.set(key, (out = applySettings(kb, settings, placeholderFallback)));
  return out;
}

export function createAssistant(deps: AssistantDeps): Assistant {
  const settings: ReplySettings & Record<string, string> = { ...deps.tenantSettings } as ReplySettings & Record<string, string>;
  const family = deps.family ?? unboundUser(settings);
  const compose: ComposeOptions = { ...defaultComposeOptions, ...deps.compose };
  const kb = kbFor(deps.kb, settings);
  const index = () => deps.index ?? indexFor(kb);
  // Routing and answering look at the same search; remember the last one so a message is searched once.
  let last: { text: string; result: SearchResult } | undefined;
  const search = (text: string) => {
    if (last?.text !== text) last = { text, result: index().search(text) };
    return last.result;
  };
  const routeText = (text: string) => route(text, { isDomain: (t) => search(t).domain });

  async function reply(input: AssistantInput): Promise<AssistantReply> {
    const ctx: ChatContext = { tenant: input.tenant, userKey: input.userKey, channel: input.channel };
    const text = input.text.slice(0, MAX_CHARS);
    const r = routeText(text);
    const say = (...texts: string[]) => texts.filter((t) => t.trim() !== "").map((t) => ({ text: t }));

    // Safety before everything else — a binding in progress, commands, the model. The order: a crisis (or a
    // follow-up to one) → a scam pasted, reported or followed up ("我已经填了咋办") → asking for another family →
    // the binding flow (never taking a command or a question as a name) → money that has not come → the hotline →
    // a person → the routed answer (with the emergency numbers in front when an injury is mentioned at all).
    const texts = safetyTexts(text, canonical(text));
    const levels = texts.map(crisisLevel);
    const crisis = (r.intent === "handoff" && r.crisis) || levels.includes("crisis");
    const remember = (topic: SafetyTopic) =>
      family.rememberSafetyTopic ? family.rememberSafetyTopic(ctx, topic).catch(() => undefined) : Promise.resolve(undefined);
    const crisisTurn = async (): Promise<AssistantReply> => {
      const [handed] = await Promise.all([family.handoff(ctx, text), remember("crisis")]);
      return { intent: "handoff", replies: say(replies.crisis(), handed), citations: [], flags: { crisis: true } };
    };
    if (crisis) return crisisTurn();
    const follow = family.safetyTopic && mayFollowUp(texts) ? followUpOf(texts, await family.safetyTopic(ctx).catch(() => undefined)) : undefined;
    if (follow === "crisis") return crisisTurn();
    const scam = scamRead(texts) ?? (follow === "scam" ? "victim" : undefined);
    if (scam) {
      await remember("scam");
      const warning = kb.entries.find((e) => e.id === "scam-warning");
      return {
        intent: "policy",
        replies: say(scam === "victim" ? safetyText.scamVictim(settings.hotline) : safetyText.scamPasted(settings.hotline)),
        citations: warning ? [{ id: warning.id, title: warning.title }] : [],
      };
    }
    if (follow === "privacy" || (onBehalfOfOthers(texts) && r.intent !== "bind")) {
      await remember("privacy");
      return { intent: "out_of_scope", replies: say(replies.privacy()), citations: [] };
    }

    // "绑定 …" itself merges with the flow in family.bind; "人工" is never binding data.
    if (family.continueBinding && r.intent !== "handoff" && r.intent !== "bind") {
      const freeText = r.intent === "out_of_scope" && r.reason === "off_topic";
      const next = await family.continueBinding(ctx, text, { freeText });
      if (next !== undefined) return { intent: "bind", replies: say(next), citations: [] };
    }

    const commanded = r.intent === "bind" || r.intent === "unbind" || r.intent === "unsubscribe" || (r.intent === "out_of_scope" && r.reason !== "off_topic");
    const late = !commanded && moneyNotArrived(texts);
    if (late) {
      // An upset parent: their own child's status (or how to bind), where to check, the hotline, and a person.
      const [status, handed] = await Promise.all([family.status(ctx, text), late.accuse ? family.handoff(ctx, text) : Promise.resolve("")]);
      return { intent: "status", replies: say(...status, safetyText.notArrivedHelp(settings.hotline), handed), citations: [] };
    }
    if (!commanded && r.intent !== "status" && wantsPhone(texts)) return { intent: "handoff", replies: say(safetyText.hotline(settings.hotline)), citations: [] };
    if (!commanded && r.intent !== "handoff" && wantsPerson(texts)) return { intent: "handoff", replies: say(await family.handoff(ctx, text)), citations: [] };
    // "钱打到哪张卡上了" from a parent with a bound child is about that child's payment, not the general passage.
    const own = r.intent === "policy" && family.hasBoundChild && texts.some((t) => statusAspectCues.ownCase.test(t)) && (await family.hasBoundChild(ctx));
    const answered = await routed(input, text, own ? { intent: "status" } : r, say);
    // A scam question answered from the knowledge base counts as a scam topic too ("我已经转了咋办" next).
    if (answered.citations.some((c) => c.id === "scam-warning")) await remember("scam");
    return levels.includes("concern") ? withConcern(answered) : answered;
  }

  /** A line of emergency numbers in front of an ordinary answer. */
  function withConcern(a: AssistantReply): AssistantReply {
    return { ...a, replies: [{ text: safetyText.concern() }, ...a.replies] };
  }

  async function routed(input: AssistantInput, text: string, r: Route, say: (...t: string[]) => { text: string }[]): Promise<AssistantReply> {
    const ctx: ChatContext = { tenant: input.tenant, userKey: input.userKey, channel: input.channel };
    const viaModel = (intent: ModelTurn["intent"], offline: () => Promise<AssistantReply>) =>
      deps.llm && input.modelAllowed !== false
        ? deps.llm({ ctx, text, intent, settings, family, search: (q) => index().search(q), ...(input.deadlineAt ? { deadlineAt: input.deadlineAt } : {}) }, offline)
        : offline();
    switch (r.intent) {
      case "policy":
        return viaModel("policy", async () => {
          const a = answerPolicy(index(), text, settings, compose, search(text));
          return { intent: "policy", replies: say(a.text), citations: a.citations };
        });
      case "status":
        if (r.list) return { intent: "status", replies: say(...(await family.listChildren(ctx))), citations: [] };
        return viaModel("status", async () => ({ intent: "status", replies: say(...(await family.status(ctx, text))), citations: [] }));
      case "bind":
        return { intent: "bind", replies: say(await family.bind(ctx, r.args)), citations: [] };
      case "unbind":
        return { intent: "unbind", replies: say(await family.unbind(ctx, r.which)), citations: [] };
      case "unsubscribe": {
        const on = r.resubscribe === true;
        return { intent: "unsubscribe", replies: say(await family.setSubscription(ctx, on)), citations: [], ...(on ? { flags: { resubscribe: true } } : {}) };
      }
      case "handoff": {
        const handed = await family.handoff(ctx, text);
        if (r.crisis) return { intent: "handoff", replies: say(replies.crisis(), handed), citations: [], flags: { crisis: true } };
        return { intent: "handoff", replies: say(handed), citations: [] };
      }
      case "greeting":
        return { intent: "greeting", replies: say(r.thanks ? replies.thanks() : replies.greeting(settings)), citations: [] };
      case "out_of_scope": {
        if (r.reason === "privacy" && family.rememberSafetyTopic) await family.rememberSafetyTopic(ctx, "privacy").catch(() => undefined);
        const t = r.reason === "privacy" ? replies.privacy() : r.reason === "injection" ? replies.injection() : replies.outOfScope();
        return { intent: "out_of_scope", replies: say(t), citations: [] };
      }
    }
  }

  return { reply, route: routeText, index };
}
