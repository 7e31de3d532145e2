/**
 * Structured understanding of a parent's question before retrieval: the programme (雨露计划, 生源地贷款 …), the aspect
 * asked (amount / eligibility / how / materials / where / when / payment / combine / purpose / not_received /
 * objection / what), the school level, the household category and the boarding variant. The vocabulary lives in
 * prompts/understanding.ts; this file only applies it.
 *
 * The slots serve three things: retrieval picks passages whose KB tags match them before counting words
 * (core/policy/index.ts), a follow-up ("那初中呢", "去哪里办") is completed from the last topic (`followUp`), and
 * a two-part question ("老大初一住校 老二三年级走读") is split into its parts (`splitParts`).
 */
import { isSchoolCostQuestion } from "./guardrails";
import { canonical } from "../policy/segment";
import {
  ASPECTS,
  aspectSay,
  followUpSay,
  householdSay,
  levelProgramme,
  levelSay,
  moneyWords,
  combineCues,
  overviewProgramme,
  overviewQuery,
  feeAskSay,
  variantProgramme,
  whatAvailableSay,
  householdProgramme,
  levelFeeProgramme,
  whatElseSay,
  partSeparators,
  programmes,
  variantSay,
  type Aspect,
  type Level,
  type ProgrammeVocab,
} from "../../prompts/understanding";
import type { Topic } from "./conversation";

export type { Aspect, Level } from "../../prompts/understanding";

export interface Understanding {
  programme?: string;
  /** Every programme named (a question may name two: "生源地和校园地能同时办吗"); `programme` is the first. */
  programmes?: string[];
  aspects: Aspect[];
  levels: Level[];
  households: string[];
  variant?: "寄宿" | "走读";
  child?: string;
  /** A programme named outright for a school level it does not have: the grid has no cell for the question. */
  noCell?: { programme: string; level: Level };
}

const compiled = {
  programmes: programmes.map((p) => ({
    ...p,
    re: new RegExp(p.say),
    explicitRe: p.explicit ? new RegExp(p.explicit) : undefined,
  })),
  aspects: ASPECTS.map((a) => ({ aspect: a, re: new RegExp(aspectSay[a]) })),
  levels: (Object.keys(levelSay) as Level[]).map((l) => ({ level: l, re: new RegExp(levelSay[l]) })),
  households: Object.entries(householdSay).map(([h, src]) => ({ household: h, re: new RegExp(src) })),
  boarding: new RegExp(variantSay.寄宿),
  day: new RegExp(variantSay.走读),
  followUp: new RegExp(followUpSay),
  separators: new RegExp(partSeparators, "g"),
  withOther: new RegExp(combineCues.withOther),
  thisOne: new RegExp(combineCues.thisOne),
  whatElse: new RegExp(whatElseSay),
  feeAsk: new RegExp(feeAskSay),
  whatAvailable: new RegExp(whatAvailableSay),
  money: new RegExp(moneyWords),
};

const programmeById = new Map(programmes.map((p) => [p.id, p] as const));

/** Whether a general programme named now ("助学贷款") covers the narrower one under discussion ("生源地贷款"). */
function coversLast(named: string, last: string): boolean {
  return programmeById.get(named)?.covers?.includes(last) ?? false;
}

/** The programme of the same kind (the longest shared ending of at least three characters: 助学金, 国家奖学金) at a level. */
export function siblingAt(programme: string, level: Level): string | undefined {
  let best: string | undefined;
  let bestLength = 2;
  for (const p of programmes) {
    if (p.id === programme || !p.levels?.includes(level)) continue;
    let n = 0;
    while (n < p.id.length && n < programme.length && p.id[p.id.length - 1 - n] === programme[programme.length - 1 - n])
      n++;
    if (n > bestLength) [best, bestLength] = [p.id, n];
  }
  return best;
}

export function programmeVocab(id: string): ProgrammeVocab | undefined {
  return programmeById.get(id);
}

/** The message as the slot patterns see it: normalised, dialect swapped, no spaces. */
function prepared(text: string): string {
  return canonical(text).replace(/ /g, "");
}

/** Longest message read as a follow-up ("要我回去办手续不 我过年才回得去" still leans on the last answer). */
const FOLLOW_UP_CHARS = 20;

/** One message is understood by several steps (routing slots, parts, follow-ups): keep the last few readings. */
const memo = new Map<string, Understanding>();

export function understand(text: string): Understanding {
  const hit = memo.get(text);
  if (hit) return structuredClone(hit);
  const out = read(text);
  if (memo.size >= 256) memo.delete(memo.keys().next().value!);
  memo.set(text, out);
  return structuredClone(out);
}

function read(text: string): Understanding {
  const c = prepared(text);
  const aspects = compiled.aspects.filter((a) => a.re.test(c)).map((a) => a.aspect);
  const levels = compiled.levels.filter((l) => l.re.test(c)).map((l) => l.level);
  // A programme of other school levels than the ones named is not what is asked ("高中住校有没有钱补" is not 两免一补).
  const fits = (p: ProgrammeVocab) => !p.levels || levels.length === 0 || levels.some((l) => p.levels!.includes(l));
  // "上学要交钱不" asks what school costs: paying named there is not a scam.
  const schoolCost = isSchoolCostQuestion(c);
  const named = [
    ...new Set(
      compiled.programmes.filter((p) => p.re.test(c) && fits(p) && !(schoolCost && p.id === "防诈骗")).map((p) => p.id),
    ),
  ];
  // A general programme named alongside a narrower one it covers ("生源地助学贷款": 生源地贷款 and 助学贷款) is the narrower one.
  const narrowed = named.filter((id) => !(programmeById.get(id)?.covers ?? []).some((c) => named.includes(c)));
  named.splice(0, named.length, ...narrowed);
  let programme = named[0];
  // "低保户孩子上初中补多少": a level and an amount, no programme named → the level's need-based grant.
  if (
    !programme &&
    aspects[0] === "amount" &&
    levels.length >= 1 &&
    new Set(levels.map((l) => levelProgramme[l])).size === 1 &&
    compiled.money.test(c)
  ) {
    programme = levelProgramme[levels[0]!];
  }
  // "娃考上县职中了 国家有啥补贴都给我说说": every aid of the level, from the overview.
  if (!named.length && levels.length >= 1 && compiled.whatAvailable.test(c)) programme = overviewProgramme;
  const households = compiled.households.filter((h) => h.re.test(c)).map((h) => h.household);
  const day = compiled.day.test(c);
  const boarding = compiled.boarding.test(c.replace(new RegExp(variantSay.走读, "g"), ""));
  const variant = day && !boarding ? "走读" : boarding && !day ? "寄宿" : undefined;
  const child = /老[大二三四幺]/.exec(c)?.[0];
  const programmes = programme && !named.includes(programme) ? [programme, ...named] : named;
  // Named outright, but for a level it does not have, and no programme of that level named instead.
  const misfit = named.length === 0 ? compiled.programmes.find((p) => p.explicitRe?.test(c) && !fits(p)) : undefined;
  const noCell = misfit ? { programme: misfit.id, level: levels.find((l) => !misfit.levels!.includes(l))! } : undefined;
  return {
    ...(programme ? { programme } : {}),
    ...(programmes.length > 1 ? { programmes } : {}),
    aspects,
    levels,
    households,
    ...(variant ? { variant } : {}),
    ...(child ? { child } : {}),
    ...(noCell ? { noCell } : {}),
  };
}

/** The topic a turn leaves behind: what it understood, with the rest carried from the last topic. */
export function topicAfter(u: Understanding, last: Topic | undefined, answeredProgramme?: string): Topic {
  // "还能当共同借款人不" (助学贷款) after 生源地贷款: the general name keeps the narrower programme under discussion.
  if (u.programme && last?.programme && coversLast(u.programme, last.programme))
    u = { ...u, programme: last.programme };
  // "娃要办助学贷款 去哪办" answered from the 生源地贷款 entry: the conversation goes on about that loan.
  if (u.programme && answeredProgramme && coversLast(u.programme, answeredProgramme))
    u = { ...u, programme: answeredProgramme };
  const programme = u.programme ?? answeredProgramme ?? last?.programme;
  const keepLast = !u.programme || u.programme === last?.programme;
  const topic: Topic = {};
  if (programme) topic.programme = programme;
  const level = u.levels[0] ?? (keepLast ? last?.level : undefined);
  if (level) topic.level = level;
  const aspect = u.aspects[0] ?? (keepLast ? last?.aspect : undefined);
  if (aspect) topic.aspect = aspect;
  const household = u.households[0] ?? (keepLast ? last?.household : undefined);
  if (household) topic.household = household;
  const variant = u.variant ?? (keepLast ? last?.variant : undefined);
  if (variant) topic.variant = variant;
  const child = u.child ?? last?.child;
  if (child) topic.child = child;
  return topic;
}

const ASPECT_WORDS: Record<Aspect, string> = {
  amount: "一年多少钱",
  eligibility: "谁能领",
  how: "怎么申请",
  materials: "要带哪些材料",
  where: "在哪里申请",
  when: "什么时候",
  payment: "钱打到哪里",
  combine: "能同时享受吗",
  purpose: "用来干什么",
  not_received: "没到账找谁",
  objection: "有异议怎么办",
  what: "是什么",
};

export interface FollowUp {
  /** The question to retrieve with: the message plus the words of the last topic it leaves out. */
  query: string;
  /** The understanding of the completed question. */
  understanding: Understanding;
  /** Answered from `query` alone (the message's own words would pull the wrong passage: "还有啥补助"). */
  queryOnly?: boolean;
}

/**
 * When `text` continues the last topic, the completed question; otherwise undefined (a new topic, or nothing to
 * continue). A message naming a programme is a new topic. A message naming only a level or a variant ("那初中呢",
 * "那走读的呢") keeps the programme and aspect — unless the programme does not exist at that level (普高助学金 →
 * 那初中呢 asks the same aspect of whatever 初中 has). A message naming only an aspect ("去哪里办", "一年多少钱") keeps
 * the programme, level and variant.
 */
export function followUp(text: string, last: Topic | undefined): FollowUp | undefined {
  if (!last?.programme && !last?.level) return undefined;
  let u = understand(text);
  const c = prepared(text);
  if (u.programme && last.programme && u.programme !== last.programme && !coversLast(u.programme, last.programme)) {
    // "跟国家奖学金呢" after "能跟助学金一起拿不", "那大班免费跟这个能一起享受不": the new programme with the last one.
    const withLast =
      (last.aspect === "combine" && compiled.withOther.test(c) && u.aspects.length === 0) ||
      (u.aspects.includes("combine") && compiled.thisOne.test(c));
    if (!withLast) return undefined;
    const a = programmeVocab(last.programme);
    const b = programmeVocab(u.programme);
    return {
      query: `${a?.query ?? last.programme} ${b?.query ?? u.programme} ${ASPECT_WORDS.combine} ${text}`,
      queryOnly: true,
      understanding: {
        ...u,
        programme: last.programme,
        aspects: ["combine"],
        levels: u.levels.length ? [...u.levels] : last.level ? [last.level as Level] : [],
        households: [...u.households],
      },
    };
  }
  if (u.programme && !(last.programme && coversLast(u.programme, last.programme))) return undefined;
  if (u.programme) u = { ...u, programme: undefined, programmes: undefined } as Understanding;
  // "还有啥补贴" after a household category with a programme of its own (孤儿, 残疾): that programme.
  const ownProgramme = last.household ? householdProgramme[last.household] : undefined;
  if (!last.level && ownProgramme && compiled.whatElse.test(c))
    return {
      query: ownProgramme.query,
      queryOnly: true,
      understanding: {
        programme: ownProgramme.programme,
        aspects: ["eligibility"],
        levels: [],
        households: [last.household!],
      },
    };
  // "住校的话呢" after 营养餐 (no boarding side) in 小学 or 初中: 两免一补, whose amounts differ by it.
  if (
    u.variant &&
    !u.programme &&
    last.programme !== variantProgramme.id &&
    last.level &&
    variantProgramme.levels.includes(last.level as Level)
  ) {
    const v = programmeVocab(variantProgramme.id);
    return {
      query: `${v?.query ?? variantProgramme.id} ${last.level} ${u.variant === "寄宿" ? "寄宿生" : "非寄宿生"} 一年多少钱`,
      understanding: {
        ...u,
        programme: variantProgramme.id,
        aspects: u.aspects.length ? [...u.aspects] : ["amount"],
        levels: [last.level as Level],
        households: [...u.households],
      },
      queryOnly: true,
    };
  }
  // "学费要交不" after any programme of a school level: that level's fee waiver.
  const feeProgramme = last.level ? levelFeeProgramme[last.level as Level] : undefined;
  if (feeProgramme && !u.programme && compiled.feeAsk.test(c) && feeProgramme !== last.programme) {
    const v = programmeVocab(feeProgramme);
    return {
      query: `${v?.query ?? feeProgramme} ${text}`,
      queryOnly: true,
      understanding: { ...u, programme: feeProgramme, levels: [last.level as Level], households: [...u.households] },
    };
  }
  // "还能申请点啥" after an answer at a school level: what that level has.
  if (last.level && compiled.whatElse.test(c))
    return {
      query: `${last.level === "普高" ? "普通高中" : last.level} ${overviewQuery}`,
      queryOnly: true,
      understanding: {
        programme: overviewProgramme,
        aspects: ["eligibility"],
        levels: [last.level as Level],
        households: [...u.households],
      },
    };
  const short = Array.from(c).length <= FOLLOW_UP_CHARS;
  const cue = compiled.followUp.test(c);
  const hasSlot = u.aspects.length > 0 || u.levels.length > 0 || u.variant !== undefined || u.households.length > 0;
  if (!short || !(hasSlot || cue)) return undefined;

  const lastVocab = last.programme ? programmeVocab(last.programme) : undefined;
  const newLevel = u.levels[0];
  // "中职国家奖学金多少" → "大学的呢": the same kind of aid at the level now named (大学国家奖学金), when there is one.
  const sibling =
    lastVocab && newLevel && lastVocab.levels && !lastVocab.levels.includes(newLevel)
      ? siblingAt(lastVocab.id, newLevel)
      : undefined;
  const vocab = sibling ? programmeVocab(sibling) : lastVocab;
  // "读高中能领不" after 雨露计划 still asks about 雨露计划 (whether it reaches that level); "那初中呢" after an amount
  // of 普高助学金 asks what 初中 has instead.
  const programmeFits =
    !newLevel || !vocab?.levels || vocab.levels.includes(newLevel) || u.aspects[0] === "eligibility";
  const words: string[] = [];
  const completed: Understanding = {
    ...u,
    aspects: [...u.aspects],
    levels: [...u.levels],
    households: [...u.households],
  };
  if (vocab && programmeFits) {
    words.push(vocab.query);
    completed.programme = vocab.id;
  }
  if (!newLevel && last.level) {
    words.push(last.level === "普高" ? "高中" : last.level);
    completed.levels.push(last.level as Level);
  }
  if (!u.variant && last.variant && (!newLevel || programmeFits)) {
    words.push(last.variant === "寄宿" ? "寄宿生" : "非寄宿生");
    completed.variant = last.variant as "寄宿" | "走读";
  }
  if (!u.households.length && last.household) completed.households.push(last.household);
  if (u.aspects.length === 0 && last.aspect && (newLevel || u.variant)) {
    const a = last.aspect as Aspect;
    words.push(ASPECT_WORDS[a] ?? "");
    completed.aspects.push(a);
  }
  return { query: `${words.join(" ")} ${text}`.trim(), understanding: completed };
}

/**
 * A two-part question ("老大初一住校 老二三年级走读 各补多少"): the message split into parts that each name their own
 * level or variant, the shared programme and aspect words appended to each. One part (or none) when it is not one.
 */
export function splitParts(text: string): string[] {
  const c = canonical(text).trim();
  // Long messages tell a story; their parts are found by retrieval's own composition, not by splitting.
  if (Array.from(c.replace(/ /g, "")).length > 36) return [text];
  const pieces = c
    .split(compiled.separators)
    .map((s) => s?.trim() ?? "")
    .filter((s) => s !== "" && !/^(老[二三四幺]|小的|大的|还有|另外|以及)$/.test(s));
  if (pieces.length < 2) return [text];
  const keyOf = (s: string) => {
    const u = understand(s);
    return u.levels.length || u.variant ? `${u.levels.join("")}|${u.variant ?? ""}` : "";
  };
  const keyed = pieces.map((p) => ({ p, k: keyOf(p) }));
  const distinct = new Set(keyed.filter((x) => x.k !== "").map((x) => x.k));
  if (distinct.size < 2) return [text];
  // The words that name no level or variant (各补多少, 两免一补) belong to every part.
  const shared = keyed
    .filter((x) => x.k === "")
    .map((x) => x.p)
    .join(" ");
  const parts: string[] = [];
  let current = "";
  for (const x of keyed) {
    if (x.k === "") continue;
    if (current !== "" && keyOf(current) !== x.k && keyOf(`${current}${x.p}`) !== keyOf(current)) {
      parts.push(current);
      current = x.p;
    } else current = current === "" ? x.p : `${current} ${x.p}`;
  }
  if (current !== "") parts.push(current);
  // "老大" / "老二" name the child, not the question: each part is asked without them.
  return parts.length < 2
    ? [text]
    : parts.map((p) => `${p} ${shared}`.replace(/老[大二三四幺]|小的|大的|各/g, "").trim());
}

/** The programmes that exist at any of these school levels (or at every level: 残疾, 孤儿, 公示 …). */
export function topicsAtLevels(levels: readonly Level[]): Set<string> {
  return new Set(programmes.filter((p) => !p.levels || p.levels.some((l) => levels.includes(l))).map((p) => p.id));
}
