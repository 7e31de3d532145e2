/**
 * The assistant: one message in, the replies out. Stateless apart from what the FamilyPort keeps (bindings,
 * subscriptions, handoffs); every word comes from prompts/replies.ts or the knowledge base — except, with `llm`
 * set, policy and status answers the model composes from tool results after routing and the guardrails (checked,
 * and replaced by the offline answer when they fail a check: core/assistant/llm).
 */
import { applySettings, type Kb, type TenantSettings } from "../policy/kb";
import { indexFor, type PolicyIndex, type SearchResult, type Slots } from "../policy/index";
import { placeholderFallback, replies, type ReplySettings } from "../../prompts/replies";
import {
  answerPolicy,
  defaultComposeOptions,
  SAYS_LOCAL,
  type ComposeOptions,
  type PolicyAnswer,
} from "./answer-policy";
import { unboundUser, type ChatContext, type FamilyPort } from "./ports";
import { route, type Intent, type Route } from "./route";
import type { ConversationStore, Topic } from "./conversation";
import { correctHomophones } from "./homophones";
import {
  aspectHome,
  aspectHomeFor,
  aspectLabel,
  feeWords,
  learnedIntentGate,
  queryCues,
  schoolCostQuery,
} from "../../prompts/understanding";
import { CLASSIFIER_THRESHOLD, intentClassifier, type IntentClassifier } from "./classifier";
import {
  followUp,
  programmeVocab,
  topicsAtLevels,
  splitParts,
  topicAfter,
  understand,
  type FollowUp,
  type Understanding,
} from "./understand";
import { canonical } from "../policy/segment";
import { askWhomCue, escalateCue, safetyText, scamCues, upsetCues } from "../../prompts/safety";
import { family as familyText, statusAspectCues } from "../../prompts/family";
import { handoffText } from "../../prompts/handoff";
import {
  asksStaffPrivateContact,
  crisisFollowUpKind,
  crisisLevel,
  type CrisisFollowUp,
  followUpOf,
  isOffTopicTask,
  isSchoolCostQuestion,
  mayFollowUp,
  moneyNotArrived,
  onBehalfOfOthers,
  safetyTexts,
  scamRead,
  wantsPerson,
  wantsPhone,
} from "./guardrails";
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
  /** The last topic of each chat user, for follow-ups; without it every message stands alone. */
  conversation?: ConversationStore;
  /** The learned intent classifier (default: trained on prompts/intents); `null` routes by the rules alone. */
  classifier?: IntentClassifier | null;
}

/** A routed turn handed to the model: only policy and status questions get there, after every guardrail. */
export interface ModelTurn {
  ctx: ChatContext;
  text: string;
  intent: "policy" | "status";
  settings: ReplySettings;
  family: FamilyPort;
  search(query: string): SearchResult;
  /**
   * The question completed from the conversation's last topic when the message is a follow-up ("一年多少钱" after
   * 雨露计划 → "雨露计划 一年多少钱"); absent otherwise. Tools should search with it.
   */
  context?: string;
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

const FEE_WORDS = new RegExp(feeWords);
const QUERY_CUES = queryCues.map((c) => ({ say: new RegExp(c.say), query: c.query }));
/** The knowledge base's words for what the message says in everyday words (prompts/understanding.ts queryCues). */
const cueWords = (text: string) =>
  QUERY_CUES.filter((c) => c.say.test(canonical(text).replace(/ /g, "")))
    .map((c) => c.query)
    .join(" ");
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
  const settings: ReplySettings & Record<string, string> = { ...deps.tenantSettings } as ReplySettings &
    Record<string, string>;
  const family = deps.family ?? unboundUser(settings);
  const compose: ComposeOptions = { ...defaultComposeOptions, ...deps.compose };
  const kb = kbFor(deps.kb, settings);
  const index = () => deps.index ?? indexFor(kb);
  // Routing and answering look at the same search; remember the last one so a message is searched once.
  let last: { key: string; result: SearchResult } | undefined;
  const search = (text: string, slots: Slots = {}) => {
    const key = `${text}\u0000${slots.programme ?? ""}\u0000${(slots.aspects ?? []).join(",")}`;
    if (last?.key !== key) last = { key, result: index().search(text, undefined, slots) };
    return last.result;
  };
  const classifier = deps.classifier === null ? undefined : (deps.classifier ?? intentClassifier());
  const learned = (t: string) => {
    const c = classifier?.classify(t);
    if (!c || c.confidence < CLASSIFIER_THRESHOLD) return undefined;
    const gate = (learnedIntentGate as Record<string, string>)[c.intent];
    return gate && new RegExp(gate).test(t) ? c.intent : undefined;
  };
  // Routing searches with the slots the answer will use, so a message is searched once.
  // A programme recognised by the understanding vocabulary ("娃爹妈都没了" → 孤儿) makes a message of the domain even
  // when the index knows none of its words.
  const routeText = (text: string, slots: Slots = {}) =>
    route(text, {
      isDomain: (t) =>
        (t === text && slots.programme !== undefined) ||
        cueWords(t) !== "" ||
        search(t, t === text ? slots : {}).domain,
      learned,
    });
  const store = deps.conversation;

  /** The slots retrieval ranks by: the programmes named, with the narrower ones a general programme covers. */
  function slotsOf(u: Understanding): Slots {
    const named = u.programmes ?? (u.programme ? [u.programme] : []);
    const programmes = [...new Set(named.flatMap((p) => [p, ...(programmeVocab(p)?.covers ?? [])]))];
    const levelTopics = u.levels.length > 0 ? topicsAtLevels(u.levels) : undefined;
    return {
      ...(u.programme ? { programme: u.programme } : {}),
      programmes,
      aspects: u.aspects,
      ...(u.variant ? { variant: u.variant } : {}),
      ...(levelTopics ? { levelTopics } : {}),
    };
  }

  /**
   * The grid has no cell for the question (a programme named for a school level it does not have): say so, show who
   * the programme is for (no amount of the nearest cell), and offer a person.
   */
  function noCellAnswer(u: Understanding) {
    const cell = u.noCell!;
    const vocab = programmeVocab(cell.programme);
    const result = search(vocab?.query ?? cell.programme, {
      programme: cell.programme,
      programmes: [cell.programme],
      aspects: ["eligibility"],
    });
    // Never the amount of the nearest cell: a passage stating an amount is shown only when no amount was asked.
    const asksAmount = u.aspects.includes("amount");
    const hit = result.hits.find(
      (h) =>
        h.entry.topics.includes(cell.programme) &&
        h.passage.aspects.includes("eligibility") &&
        !(asksAmount && /\d\s*元/.test(h.passage.text)),
    );
    const lines = [replies.noCell(hit?.entry.programme ?? cell.programme, cell.level)];
    if (hit) lines.push(replies.whoItIsFor(), hit.passage.text, replies.source([hit.entry.title]));
    const citations = hit ? [{ id: hit.entry.id, title: hit.entry.title }] : [];
    return {
      text: lines.join("\n"),
      citations,
      confident: false,
      passages: hit ? [{ entry: hit.entry, passage: hit.passage }] : [],
    };
  }

  /** Answers a policy question, each part of a two-part question on its own ("初一住校 … 三年级走读 …"). */
  /** Whether the KB has a passage on `aspect` for the programme (its own topics or the narrower ones it covers). */
  function hasAspect(programme: string, aspect: string): boolean {
    const topics = new Set([programme, ...(programmeVocab(programme)?.covers ?? [])]);
    return kb.entries.some((e) =>
      e.passages.some((p) => (p.topics ?? e.topics).some((t) => topics.has(t)) && p.aspects.includes(aspect as never)),
    );
  }

  /**
   * A question asking two things of one programme ("一年多少钱 是每个学生都有不", "给多少 啥条件能领"): when the answer
   * holds no passage on the second aspect, that aspect's best passage of the same programme is added.
   */
  function withSecondAspect(a: PolicyAnswer, question: string, u: Understanding): PolicyAnswer {
    const second = u.aspects[1];
    if (!a.confident || !second || !u.programme || u.aspects[0] === second) return a;
    if (a.passages.some((p) => p.passage.aspects.includes(second as never))) return a;
    const result = search(question, { ...slotsOf(u), aspects: [second] });
    const best = result.hits[0]?.score ?? 0;
    const add = result.hits.find(
      (h) =>
        h.passage.aspects.includes(second as never) &&
        (h.passage.topics ?? h.entry.topics).includes(u.programme!) &&
        h.score >= 0.4 * best &&
        !a.passages.some((q) => q.passage === h.passage),
    );
    if (!add) return a;
    const lines = a.text.split("\n");
    const firstTail = lines.findIndex((l) => l === replies.localNote() || /^来源：/.test(l));
    lines.splice(firstTail < 0 ? lines.length : firstTail, 0, add.passage.text);
    const citations = a.citations.some((c) => c.id === add.entry.id)
      ? a.citations
      : [...a.citations, { id: add.entry.id, title: add.entry.title }];
    const source = lines.findIndex((l) => /^来源：/.test(l));
    if (source >= 0) lines[source] = replies.source(citations.map((c) => c.title));
    if (add.entry.varies_locally && !SAYS_LOCAL.test(lines.join("\n")) && source >= 0)
      lines.splice(source, 0, replies.localNote());
    return { ...a, text: localNoteOnce(lines).join("\n"), citations, passages: [...a.passages, add] };
  }

  /** "具体以本县通知为准" is dropped when a passage of the answer already says the county decides. */
  function localNoteOnce(lines: string[]): string[] {
    const note = lines.indexOf(replies.localNote());
    if (note < 0) return lines;
    const said = lines.filter((l, i) => i !== note && !/^来源：/.test(l)).join("\n");
    return SAYS_LOCAL.test(said) ? lines.filter((_, i) => i !== note) : lines;
  }

  function policyAnswer(question: string, u: Understanding) {
    if (u.noCell) return noCellAnswer(u);
    // The programme has nothing on the aspect asked (中职助学金 → 要交什么材料): say so, then the general answer.
    const aspect = u.aspects[0];
    const label = aspect ? aspectLabel[aspect] : undefined;
    // Combining two programmes the programme named has no passage on ("大班免了保教费 困难补助还能领不"): the
    // combine passages of the programmes at the same school level are candidates too.
    if (aspect === "combine" && u.programme && !hasAspect(u.programme, "combine") && u.levels.length > 0) {
      const atLevel = [...topicsAtLevels(u.levels)].filter((t) => t !== u.programme && hasAspect(t, "combine"));
      if (atLevel.length > 0) u = { ...u, programmes: [u.programme, ...atLevel] };
    }
    // An aspect with a home of its own (objections: 异议与举报) is answered there when the programme has nothing on it.
    const home = aspect ? (aspectHome as Record<string, string | undefined>)[aspect] : undefined;
    if (home && !u.programme) u = { ...u, programme: home, programmes: [home] };
    else if (home && u.programme && (!hasAspect(u.programme, aspect!) || aspectHomeFor[aspect!]?.includes(u.programme)))
      u = { ...u, programme: home, programmes: [home], levels: [] };
    if (u.programme && label && !hasAspect(u.programme, aspect!)) {
      const general = answerPolicy(index(), question, settings, compose, search(question, { aspects: u.aspects }));
      if (general.confident) {
        const name = kb.entries.find((e) => e.topics.includes(u.programme!))?.programme ?? u.programme;
        return { ...general, text: `${replies.noAspect(name, label)}\n${general.text}` };
      }
    }
    // A question naming a cell of the grid (a level or boarding) and asking whether there is aid also wants the amount.
    if ((u.levels.length > 0 || u.variant) && u.aspects[0] === "eligibility" && !u.aspects.includes("amount"))
      u = { ...u, aspects: [...u.aspects, "amount"] };
    const parts = splitParts(question);
    const answers = parts.map((part) => {
      let p = part;
      const pu =
        parts.length > 1
          ? { ...understand(p), programme: understand(p).programme ?? u.programme, aspects: u.aspects }
          : u;
      const slots = slotsOf(pu);
      // "上学要交钱不": the waivers, not the scam warning "交钱" alone would find.
      if (isSchoolCostQuestion(canonical(p)) && FEE_WORDS.test(p)) p = `${p} ${schoolCostQuery}`;
      const cue = cueWords(p);
      if (cue) p = `${p} ${cue}`;
      const first = answerPolicy(index(), p, settings, compose, search(p, slots));
      // A programme recognised from words the knowledge base does not use ("他爸坐牢了 他妈跑了" → 孤儿/事实无人抚养):
      // asked again in the programme's own words.
      const vocab = pu.programme ? programmeVocab(pu.programme) : undefined;
      // Confident, but from an entry of no programme at all (how to use 资助通, contacts) while a programme was
      // understood ("爸妈都不管 跟着我过 能申请啥"): asked again too.
      const generic = first.passages[0] !== undefined && first.passages[0].entry.topics.length === 0;
      if ((first.confident && !generic) || !vocab) return first;
      const again = `${vocab.query} ${p}`;
      const second = answerPolicy(index(), again, settings, compose, search(again, slots));
      return second.confident ? second : first;
    });
    if (answers.length === 1) return withSecondAspect(answers[0]!, question, u);
    const confident = answers.filter((a) => a.confident);
    if (confident.length === 0) return answers[0]!;
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const a of confident) {
      for (const line of a.text.split("\n")) {
        if (seen.has(line) || /^来源：/.test(line)) continue;
        seen.add(line);
        lines.push(line);
      }
    }
    const citations = confident
      .flatMap((a) => a.citations)
      .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i);
    // The local note and the offer of a person are said once, after both parts.
    const tail = lines.filter((l) => l === replies.localNote() || l === replies.confirmWithPerson());
    lines.splice(0, lines.length, ...lines.filter((l) => !tail.includes(l)), ...tail);
    lines.push(replies.source(citations.map((c) => c.title)));
    return {
      text: localNoteOnce(lines).join("\n"),
      citations,
      confident: true,
      passages: confident.flatMap((a) => a.passages),
    };
  }

  /**
   * A follow-up that brings words of its own ("那在家上的算学籍不" after 送教上门, "那后来学费咋办" after 绿色通道) is
   * answered from the topic's passages by its own words first — the programme kept as a slot, not as query words that
   * would outweigh them; the completed question is the fallback.
   */
  function followUpAnswer(text: string, follow: FollowUp | undefined) {
    const programme = follow?.understanding.programme;
    if (!programme || follow.queryOnly) return undefined;
    // A school level or a variant ("三年级还有不", "那走读的呢") is completed from the topic as before.
    const own = understand(text);
    if (own.levels.length > 0 || own.variant) return undefined;
    const a = policyAnswer(text, follow.understanding);
    const topics = a.passages[0]?.entry.topics ?? [];
    const hedged = a.text.startsWith(replies.closest());
    return a.confident && !hedged && topics.includes(programme) ? a : undefined;
  }

  async function reply(input: AssistantInput): Promise<AssistantReply> {
    const ctx: ChatContext = { tenant: input.tenant, userKey: input.userKey, channel: input.channel };
    const raw = input.text.slice(0, MAX_CHARS);
    // Voice slips (身缘地, 玉露, 低包户) are corrected by sound before anything reads the message; a binding command
    // is left as typed (it carries a name).
    const text = /^\s*绑定/.test(raw) ? raw : (await correctHomophones(raw)).text;
    const topic: Topic | undefined = store
      ? await store.load(ctx.tenant, ctx.userKey).catch(() => undefined)
      : undefined;
    const understood = understand(text);
    let r = routeText(text, slotsOf(understood));
    // A follow-up ("一年多少钱", "要带户口本不", "那初中呢") is read in the light of the last topic; never a task or a
    // subject that is not aid ("今天下雨不"). A status-shaped one ("钱打到哪") keeps its intent: the money check below
    // decides between the programme's answer and the child's own status.
    const followable =
      r.intent === "policy" ||
      r.intent === "status" ||
      (r.intent === "out_of_scope" && r.reason === "off_topic" && !isOffTopicTask(canonical(text)));
    const follow = topic && followable ? followUp(text, topic) : undefined;
    if (follow && r.intent !== "status") r = { intent: "policy" };
    const question = follow?.query ?? text;
    const remember = async (u: Understanding, answered?: string) => {
      if (!store) return;
      await store
        .save(ctx.tenant, ctx.userKey, topicAfter(u, follow ? undefined : topic, answered))
        .catch(() => undefined);
    };
    const say = (...texts: string[]) => texts.filter((t) => t.trim() !== "").map((t) => ({ text: t }));

    // Safety before everything else — a binding in progress, commands, the model. The order: a crisis (or a
    // follow-up to one) → a scam pasted, reported or followed up ("我已经填了咋办") → asking for another family →
    // the binding flow (never taking a command or a question as a name) → money that has not come → the hotline →
    // a person → the routed answer (with the emergency numbers in front when an injury is mentioned at all).
    const texts = safetyTexts(text, canonical(text));
    const levels = texts.map(crisisLevel);
    const crisis = (r.intent === "handoff" && r.crisis) || levels.includes("crisis");
    const rememberSafety = (t: SafetyTopic) =>
      family.rememberSafetyTopic
        ? family.rememberSafetyTopic(ctx, t).catch(() => undefined)
        : Promise.resolve(undefined);
    const crisisTurn = async (kind: CrisisFollowUp = "again"): Promise<AssistantReply> => {
      const [handed] = await Promise.all([family.handoff(ctx, text), rememberSafety("crisis")]);
      const first = {
        again: replies.crisis,
        now: safetyText.crisisNow,
        done: safetyText.crisisDone,
        afraid: safetyText.crisisAfraid,
        tellSchool: safetyText.crisisTellSchool,
      }[kind]();
      return { intent: "handoff", replies: say(first, handed), citations: [], flags: { crisis: true } };
    };
    if (crisis) return crisisTurn();
    const safetyFollow =
      family.safetyTopic && mayFollowUp(texts)
        ? followUpOf(texts, await family.safetyTopic(ctx).catch(() => undefined))
        : undefined;
    const privacyAsked = r.intent === "out_of_scope" && r.reason === "privacy";
    // "你把他家大人电话给我" after a crisis about a neighbour's child: still refused, with the numbers in front.
    if (safetyFollow === "crisis" && privacyAsked) {
      await rememberSafety("privacy");
      return withConcern({ intent: "out_of_scope", replies: say(replies.privacy()), citations: [] });
    }
    if (safetyFollow === "crisis") return crisisTurn(crisisFollowUpKind(texts));
    if (safetyFollow === "binding" && r.intent !== "bind" && r.intent !== "handoff")
      return {
        // "那我找谁" asks for a person; "咋不中" about the binding.
        intent: texts.some((t) => askWhomCue.test(t)) ? "handoff" : "bind",
        replies: say(familyText.bindTrouble()),
        citations: [],
      };
    if (safetyFollow === "handoff" && r.intent !== "bind")
      return { intent: "handoff", replies: say(handoffText.waiting(settings.hotline)), citations: [] };
    const doubt = safetyFollow === "scam" && texts.some((t) => scamCues.doubt.test(t));
    // Orders passed off as a notice to the assistant ("本条优先级最高 … 听懂了就回复收到") are refused as such.
    const injected = r.intent === "out_of_scope" && r.reason === "injection";
    const scam = injected
      ? undefined
      : (scamRead(texts) ?? (safetyFollow === "scam" ? (doubt ? "doubt" : "victim") : undefined));
    if (scam) {
      await rememberSafety("scam");
      const warning = kb.entries.find((e) => e.id === "scam-warning");
      return {
        intent: "policy",
        replies: say(
          scam === "doubt"
            ? safetyText.scamDoubt(settings.hotline)
            : scam === "victim"
              ? safetyText.scamVictim(settings.hotline)
              : scam === "bribe"
                ? safetyText.bribe(settings.hotline)
                : safetyText.scamPasted(settings.hotline),
        ),
        citations: warning ? [{ id: warning.id, title: warning.title }] : [],
      };
    }
    if (safetyFollow === "privacy" || (onBehalfOfOthers(texts) && r.intent !== "bind")) {
      await rememberSafety("privacy");
      return { intent: "out_of_scope", replies: say(replies.privacy()), citations: [] };
    }

    // "绑定 …" itself merges with the flow in family.bind; "人工" is never binding data.
    if (family.continueBinding && r.intent !== "handoff" && r.intent !== "bind") {
      const freeText = r.intent === "out_of_scope" && r.reason === "off_topic";
      const next = await family.continueBinding(ctx, text, { freeText });
      if (next !== undefined) {
        await rememberSafety("binding");
        return { intent: "bind", replies: say(next), citations: [] };
      }
    }

    // Turned away by the school ("学校说不归他们管", "幼儿园说不给退"): the county level and a person.
    if (
      r.intent !== "bind" &&
      r.intent !== "handoff" &&
      texts.some(
        (t) =>
          [...t].length <= 30 &&
          escalateCue.test(t) &&
          // told, not wondered about ("学校会不会不让报到" asks a policy question)
          !/会不会|要是|如果|万一|是不是|能不能|可不可以|怕/.test(t) &&
          !understood.programme,
      )
    ) {
      await remember({ ...understood, aspects: ["objection"] });
      return { intent: "policy", replies: say(safetyText.escalate(settings.hotline)), citations: [] };
    }

    // After money that has not come: "那我到底找谁", "等到啥时候" ask where to check and whom to call.
    if (
      topic?.aspect === "not_received" &&
      !understood.programme &&
      r.intent !== "handoff" &&
      r.intent !== "bind" &&
      r.intent !== "unbind" &&
      texts.some((t) => [...t].length <= 30 && upsetCues.followUp.test(t))
    ) {
      await remember({ ...understood, aspects: ["not_received"] });
      return {
        intent: "policy",
        replies: say(safetyText.notArrivedHelp(settings.hotline), safetyText.askPerson()),
        citations: [],
      };
    }
    const commanded =
      r.intent === "bind" ||
      r.intent === "unbind" ||
      r.intent === "unsubscribe" ||
      (r.intent === "out_of_scope" && r.reason !== "off_topic");
    // "凭啥隔壁家有补助我家没有" contests a place; it is not money that has not come.
    const late = !commanded && !understood.aspects.includes("objection") && moneyNotArrived(texts);
    // Money of a programme that has not come, or the card it goes to, asked by a parent who has bound no child (and
    // not asking to look anything up): the programme's answer on when and how it is paid, where to check, and a
    // person. A bound parent gets the child's own status instead.
    const aboutProgramme =
      follow?.understanding.programme ?? understood.programme ?? (r.intent === "status" ? topic?.programme : undefined);
    const moneyAspect = late || understood.aspects.includes("payment") || understood.aspects.includes("not_received");
    if (
      !commanded &&
      aboutProgramme &&
      moneyAspect &&
      (late || r.intent === "status") &&
      !texts.some((t) => statusAspectCues.lookup.test(t))
    ) {
      const bound = family.hasBoundChild ? await family.hasBoundChild(ctx).catch(() => false) : false;
      if (!bound) {
        const u: Understanding = { ...(follow?.understanding ?? understood), programme: aboutProgramme };
        const aspects = [
          ...new Set<Understanding["aspects"][number]>([
            ...u.aspects.filter((a) => a === "payment" || a === "not_received" || a === "when"),
            "payment",
            "when",
          ]),
        ];
        const q =
          follow?.query ??
          (understood.programme ? text : `${programmeVocab(aboutProgramme)?.query ?? aboutProgramme} ${text}`);
        const a = policyAnswer(q, { ...u, aspects });
        const handed = late && late.accuse ? await family.handoff(ctx, text) : "";
        await remember({ ...u, aspects: ["not_received"] });
        return {
          intent: "policy",
          replies: say(a.confident ? a.text : "", safetyText.notArrivedHelp(settings.hotline), handed),
          citations: a.confident ? a.citations : [],
        };
      }
    }
    if (late) {
      // An upset parent: their own child's status (or how to bind), where to check, the hotline, and a person.
      const [status, handed] = await Promise.all([
        family.status(ctx, text),
        late.accuse ? family.handoff(ctx, text) : Promise.resolve(""),
      ]);
      // "那我到底找谁", "等到啥时候" next are read in the light of this answer.
      await remember({ ...understood, aspects: ["not_received"] });
      return {
        intent: "status",
        replies: say(...status, safetyText.notArrivedHelp(settings.hotline), handed),
        citations: [],
      };
    }
    if (!commanded && r.intent !== "status" && wantsPhone(texts))
      return { intent: "handoff", replies: say(safetyText.hotline(settings.hotline)), citations: [] };
    if (!commanded && r.intent !== "handoff" && wantsPerson(texts)) {
      const [handed] = await Promise.all([family.handoff(ctx, text), rememberSafety("handoff")]);
      return { intent: "handoff", replies: say(handed), citations: [] };
    }
    // "钱打到哪张卡上了" from a parent with a bound child is about that child's payment, not the general passage.
    const own =
      r.intent === "policy" &&
      family.hasBoundChild &&
      texts.some((t) => statusAspectCues.ownCase.test(t)) &&
      (await family.hasBoundChild(ctx));
    const answered = await routed(own ? { intent: "status" } : r);
    // A scam question answered from the knowledge base counts as a scam topic too ("我已经转了咋办" next).
    if (answered.citations.some((c) => c.id === "scam-warning")) await rememberSafety("scam");
    return levels.includes("concern") ? withConcern(answered) : answered;

    async function routed(r: Route): Promise<AssistantReply> {
      // The model's search_policy queries get the same understanding: a bare follow-up ("一年多少钱") is completed
      // from the last topic, and the slots rank the passages.
      const modelSearch = (q: string) => {
        const f = topic ? followUp(q, topic) : undefined;
        const query = f?.query ?? q;
        return index().search(query, undefined, slotsOf(f?.understanding ?? understand(query)));
      };
      const viaModel = (intent: ModelTurn["intent"], offline: () => Promise<AssistantReply>) =>
        deps.llm && input.modelAllowed !== false
          ? deps.llm(
              {
                ctx,
                text,
                intent,
                settings,
                family,
                search: modelSearch,
                ...(follow ? { context: follow.query } : {}),
                ...(input.deadlineAt ? { deadlineAt: input.deadlineAt } : {}),
              },
              offline,
            )
          : offline();
      switch (r.intent) {
        case "policy": {
          const u = follow?.understanding ?? understood;
          let answeredTopic: string | undefined;
          const out = await viaModel("policy", async () => {
            const a = followUpAnswer(text, follow) ?? policyAnswer(question, u);
            // The one programme every passage of the answer is about (two loans' passages name none).
            const topics = [...new Set(a.passages.flatMap((p) => p.entry.topics))];
            if (topics.length === 1) answeredTopic = topics[0];
            // Money that has not come ("一直不到找谁"): where to check and whom to ask, whatever the passage says.
            const late = u.aspects.includes("not_received") ? safetyText.notArrivedHelp(settings.hotline) : "";
            return { intent: "policy", replies: say(a.text, late), citations: a.citations };
          });
          // Answered at the aspect's home (an objection to a 公示 list → 异议): the conversation continues there.
          const home = u.aspects[0] ? (aspectHome as Record<string, string | undefined>)[u.aspects[0]] : undefined;
          await remember(home && answeredTopic === home ? { ...u, programme: home } : u, answeredTopic);
          return out;
        }
        case "status":
          if (r.list) return { intent: "status", replies: say(...(await family.listChildren(ctx))), citations: [] };
          return viaModel("status", async () => ({
            intent: "status",
            replies: say(...(await family.status(ctx, text))),
            citations: [],
          }));
        case "bind": {
          // "那咋办嘛" next is read in the light of this attempt.
          const [bound] = await Promise.all([family.bind(ctx, r.args), rememberSafety("binding")]);
          return { intent: "bind", replies: say(bound), citations: [] };
        }
        case "unbind":
          return { intent: "unbind", replies: say(await family.unbind(ctx, r.which)), citations: [] };
        case "unsubscribe": {
          const on = r.resubscribe === true;
          return {
            intent: "unsubscribe",
            replies: say(await family.setSubscription(ctx, on)),
            citations: [],
            ...(on ? { flags: { resubscribe: true } } : {}),
          };
        }
        case "handoff": {
          const [handed] = await Promise.all([
            family.handoff(ctx, text),
            r.crisis ? undefined : rememberSafety("handoff"),
          ]);
          if (r.crisis)
            return {
              intent: "handoff",
              replies: say(replies.crisis(), handed),
              citations: [],
              flags: { crisis: true },
            };
          return { intent: "handoff", replies: say(handed), citations: [] };
        }
        case "greeting":
          return {
            intent: "greeting",
            replies: say(r.thanks ? replies.thanks() : replies.greeting(settings)),
            citations: [],
          };
        case "out_of_scope": {
          if (store && topic && r.reason === "off_topic")
            await store.clear(ctx.tenant, ctx.userKey).catch(() => undefined);
          // "那就输出电话号码也行" after a refused injection is refused the same way.
          if (r.reason === "privacy" || r.reason === "injection") await rememberSafety("privacy");
          const t =
            r.reason === "privacy"
              ? asksStaffPrivateContact(canonical(text))
                ? replies.staffPrivateContact(settings)
                : replies.privacy()
              : r.reason === "injection"
                ? replies.injection()
                : replies.outOfScope();
          return { intent: "out_of_scope", replies: say(t), citations: [] };
        }
      }
    }
  }

  /** A line of emergency numbers in front of an ordinary answer. */
  function withConcern(a: AssistantReply): AssistantReply {
    return { ...a, replies: [{ text: safetyText.concern() }, ...a.replies] };
  }

  return { reply, route: (text: string) => routeText(text), index };
}
