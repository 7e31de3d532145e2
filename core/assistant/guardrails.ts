import type { SafetyTopic } from "./ports";
import {
  abuseCues,
  aidQuestionCue,
  bindTroubleCue,
  handoffWaitCue,
  pastCue,
  crisisCues,
  personCues,
  privacyCues,
  scamCues,
  upsetCues,
} from "../../prompts/safety";
import {
  INJECTION,
  RELATIVE_ASKS_NUMBER,
  OTHERS,
  NAMED_OTHER,
  SENSITIVE,
  GIVE,
  PUBLIC_PHONE,
  LIST,
  WHO_GOT,
  WHO_ALL,
  OTHERS_GOT,
  WHERE_IS,
  REPORTING,
  ID_NUMBER,
  SCAM_REPORT,
  OFF_TOPIC_TASK,
  OFF_TOPIC_SUBJECT,
  AID_WORDS,
  OTHER_OFFICE,
  LISTED_PEOPLE_DATA,
  OTHERS_CIRCUMSTANCES,
  SCHOOL_COST,
  SCHOOL_COST_NOT,
  STAFF_PRIVATE,
  AID_TOPIC,
  OTHER_PERSON_CONTACT,
  PUBLISHED_DATA_COMPLAINT,
} from "../../prompts/guard-words";

/**
 * Guardrails applied before any answer is looked up. All take the *canonical* text (core/policy/segment.ts
 * `canonical`: simplified, lower-case, punctuation → space, dialect words → standard ones, e.g. 闺女 → 孩子, 俺 → 我).
 *
 * - crisis: self-harm, violence, injury, abuse, bullying, a missing child → a person, with emergency lines first
 *   (the vocabulary is prompts/safety.ts; recall first: when unsure, the lines are added to the answer);
 * - privacy: another family's data, lists, ID / phone / 学籍号 / card numbers → refuse (a guardian sees only the
 *   children they bound, and only through status);
 * - injection: attempts to change instructions or read them → a short statement of what Zizhu does, nothing else;
 * - off-topic tasks (poems, jokes, weather, stocks …) → out of scope even when a policy word appears.
 */

const any = (cues: readonly RegExp[], text: string) => cues.some((r) => r.test(text));

function isAbuse(text: string): boolean {
  const a = abuseCues;
  if (
    a.beating.test(text) ||
    a.marks.test(text) ||
    a.afraidHome.test(text) ||
    a.sexual.test(text) ||
    a.takenOrPoisoned.test(text)
  )
    return true;
  // "绑定被锁了", "卡被关了" are accounts, not children.
  if (a.confined.test(text) && !/绑定|账号|账户|卡|密码|微信|手机|系统|网站|页面/.test(text)) return true;
  if (a.starved.test(text) && !/营养|餐|食堂|伙食|补助/.test(text)) return true;
  if (
    crisisCues.secrecy.test(text) &&
    crisisCues.doneTo.test(text.replace(/打(电话|钱|款|卡|到)/g, "")) &&
    !/补助|资助|助学金|贷款|公示|名单|申请/.test(text)
  )
    return true;
  return a.perpetratorDoes.test(text);
}

/**
 * How sure we are that someone is in danger: `crisis` → emergency lines and a person, before anything else;
 * `concern` (an injury mentioned next to an aid question, "孩子骨折住院了 能申请救助吗") → the lines go in front of
 * the ordinary answer; undefined → nothing.
 */
export type CrisisLevel = "crisis" | "concern";

export function crisisLevel(text: string): CrisisLevel | undefined {
  const c = crisisCues;
  if (
    any(c.selfHarm, text) ||
    any(c.farewell, text) ||
    any(c.selfInjury, text) ||
    any(c.violence, text) ||
    any(c.bullying, text) ||
    any(c.humiliation, text) ||
    any(c.sexual, text) ||
    any(c.sexualBy, text) ||
    any(c.exploitation, text) ||
    any(c.missing, text) ||
    isAbuse(text)
  )
    return "crisis";
  if (any(c.injury, text) || any(c.emergency, text))
    return aidQuestionCue.test(text) || pastCue.test(text) ? "concern" : "crisis";
  if (any(c.worry, text)) return "concern";
  // A child told to keep something from the family, with nothing named that was done: unsure, so the numbers go in.
  if (c.secrecy.test(text) && !aidQuestionCue.test(text) && !AID_WORDS.test(text) && !/名额|指标/.test(text))
    return "concern";
  return undefined;
}

/** Self-harm, violence, abuse, bullying, a missing child, an injury happening now. */
export function isCrisis(text: string): boolean {
  return crisisLevel(text) === "crisis";
}

/** An attempt to change or read the assistant's instructions, configuration or secrets. */
export function isInjection(text: string): boolean {
  return INJECTION.some((r) => r.test(text));
}

/** A request for another family's data, a list of families, or a lookup by ID / phone number. */
export function isPrivacyProbe(text: string): boolean {
  const compact = text.replace(/ /g, "");
  if (PUBLISHED_DATA_COMPLAINT.test(compact)) return false;
  if (ID_NUMBER.test(compact) && /(是谁|谁家|查|哪个|哪家|什么人|叫什么|什么名字|名字是什么)/.test(compact))
    return true;
  if (LISTED_PEOPLE_DATA.test(compact)) return true;
  // "班上张浩家是不是低保": another named family's circumstances.
  if (NAMED_OTHER.test(compact) && OTHERS_CIRCUMSTANCES.test(compact) && !/(我家|我们家|自己家)/.test(compact))
    return true;
  // "王老五家闺女评上没有 他家凭啥评上": whether a named family got it is theirs to know, even when contesting it.
  if (
    NAMED_OTHER.test(compact) &&
    OTHERS_GOT.test(compact) &&
    /(评上|领到|拿到|批)[^ ]{0,4}(没有|没|吗|么)/.test(compact) &&
    !/(我家|我的|自己)/.test(compact)
  )
    return true;
  if (OTHER_PERSON_CONTACT.test(compact) || RELATIVE_ASKS_NUMBER.test(compact)) return true;
  if (REPORTING.test(compact) && !GIVE.test(compact.replace(/要/g, ""))) return false;
  if (LIST.test(compact) && !/(在哪|哪里|什么时候|多久|几天|看得到|能看|去哪)/.test(compact)) return true;
  if (WHO_GOT.test(compact)) return true;
  if (
    WHO_ALL.test(compact) &&
    /贫困|低保|困难|特困|领|评|补助|资助|助学金|雨露|奖学金/.test(compact) &&
    !/可以|能|能够|符合|资格|条件/.test(compact)
  )
    return true;
  if (WHERE_IS.test(compact)) return true;
  const mentionsOthers = OTHERS.test(compact);
  if (SENSITIVE.test(compact) && !PUBLIC_PHONE.test(compact)) {
    if (
      GIVE.test(compact) &&
      (mentionsOthers || /(家长|他|她|人家|别人)的(电话|手机|身份证|学籍号|银行卡|卡号|住址|地址)/.test(compact))
    )
      return true;
    if (/(所有|全部|全(县|校|班|村))/.test(compact)) return true;
  }
  if ((mentionsOthers || NAMED_OTHER.test(compact)) && OTHERS_GOT.test(compact) && !/(我家|我的|自己)/.test(compact))
    return true;
  if (STAFF_PRIVATE.test(compact)) return true;
  // "赵刚的学籍号是多少": a named or clearly other person's identifier, whatever the verb.
  if (
    NAMED_OTHER.test(compact) &&
    /学籍号|身份证|电话|手机|银行卡|卡号|住址|家庭住址|联系方式/.test(compact) &&
    !PUBLIC_PHONE.test(compact)
  )
    return true;
  return false;
}

/** Asking for a staff member's own phone or WeChat rather than the office's. */
export function asksStaffPrivateContact(text: string): boolean {
  return STAFF_PRIVATE.test(text.replace(/ /g, ""));
}

/** What school costs ("上学要交钱不"), not a fee demanded before aid is paid: never answered as a scam. */
export function isSchoolCostQuestion(text: string): boolean {
  const compact = text.replace(/\s+/g, "");
  return SCHOOL_COST.test(compact) && !SCHOOL_COST_NOT.test(compact);
}

export function isScamReport(text: string): boolean {
  return SCAM_REPORT.test(text.replace(/\s+/g, ""));
}

/** A task that is clearly not about student aid; with `domain` false, also a subject that is not. */
export function isOffTopicTask(text: string, domain = false): boolean {
  const compact = text.replace(/ /g, "");
  return OFF_TOPIC_TASK.test(compact) || (!domain && OFF_TOPIC_SUBJECT.test(compact));
}

// ── safety reads beyond a crisis: scams, a person, the hotline, money that has not come, asking for others ──

/** Both the canonical and the raw compact text: a rewrite rule must never hide a cue. */
export function safetyTexts(raw: string, canonicalText: string): string[] {
  const rawCompact = raw.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  const c = canonicalText.replace(/ /g, "");
  return c === rawCompact ? [c] : [c, rawCompact];
}

export type ScamRead = "pasted" | "victim" | "bribe";

/** A pasted scam message or link, or a parent who already handed over a card, password, code or money. */
export function scamRead(texts: readonly string[]): ScamRead | undefined {
  const s = scamCues;
  if (texts.some((t) => s.victim.test(t) || (s.paid.test(t) && s.context.test(t)))) return "victim";
  if (texts.some((t) => s.bribe.every((r) => r.test(t)))) return "bribe";
  if (texts.some((t) => s.header.test(t) && s.asks.test(t))) return "pasted";
  if (texts.some((t) => s.link.test(t) && (s.asks.test(t) || s.money.test(t)))) return "pasted";
  if (
    texts.some((t) => /(填写|填入|输入|提供|登记|发送)[^ ]{0,6}(银行卡号?|卡号|密码|验证码)/.test(t) && s.money.test(t))
  )
    return "pasted";
  if (texts.some((t) => s.followed.test(t))) return "victim";
  if (texts.some((t) => s.strong.test(t))) return "pasted";
  // "说是免费 咋幼儿园还叫俺交钱": what school costs, told with 说是 — not a caller demanding a fee.
  if (texts.some((t) => s.reporter.test(t) && s.demand.test(t) && s.money.test(t) && !isSchoolCostQuestion(t)))
    return "pasted";
  return undefined;
}

/** An indirect request for a person ("能不能让老师联系我", "叫管这个的人当面跟我讲讲"). */
export function wantsPerson(texts: readonly string[]): boolean {
  return texts.some(
    (t) =>
      any(personCues.indirect, t) ||
      any(personCues.frustrated, t) ||
      (personCues.cantType.test(t) && !AID_WORDS.test(t) && !aidQuestionCue.test(t)),
  );
}

/** "你直接给我个电话": a number to call, without naming a programme or another office. */
export function wantsPhone(texts: readonly string[]): boolean {
  return texts.some((t) => personCues.phone.test(t) && !AID_WORDS.test(t) && !OTHER_OFFICE.test(t));
}

/** Money that should have come and has not, and whether the parent accuses someone of keeping it. */
export function moneyNotArrived(texts: readonly string[]): { accuse: boolean } | undefined {
  const u = upsetCues;
  const hit = texts.some(
    (t) => u.notArrived.test(t) && u.money.test(t) && !(u.general.test(t) && !/我|孩子|老[大二三四幺]/.test(t)),
  );
  const accuse = texts.some((t) => u.accuse.test(t) && u.money.test(t));
  if (!hit && !(accuse && texts.some((t) => /没|不见|少/.test(t)))) return undefined;
  return { accuse };
}

/** Asking on behalf of another family ("我是他邻居 他家托我问的"). */
export function onBehalfOfOthers(texts: readonly string[]): boolean {
  return texts.some((t) => privacyCues.onBehalf.test(t));
}

/** What a short follow-up means after a safety answer (the topic kept per chat user through the FamilyPort). */

const FOLLOW_UP_MAX_CHARS = 30;

/** Whether a message is short and shaped like a follow-up at all (so the topic is read only then). */
export function mayFollowUp(texts: readonly string[]): boolean {
  return texts.some(
    (t) =>
      [...t].length <= FOLLOW_UP_MAX_CHARS &&
      (scamCues.followUp.test(t) ||
        scamCues.doubt.test(t) ||
        privacyCues.pushback.test(t) ||
        privacyCues.onBehalf.test(t) ||
        crisisCues.downplay.test(t) ||
        // after a crisis, any short message that names no aid may still be about it ("报警了", "我不敢")
        !(AID_WORDS.test(t) || AID_TOPIC.test(t))),
  );
}

/** What a short message after a crisis answer needs: see crisisCues.followUp (prompts/safety.ts). */
export type CrisisFollowUp = "afraid" | "done" | "tellSchool" | "now" | "again";

export function crisisFollowUpKind(texts: readonly string[]): CrisisFollowUp {
  const f = crisisCues.followUp;
  for (const kind of ["afraid", "done", "tellSchool", "now"] as const)
    if (texts.some((t) => f[kind].test(t))) return kind;
  return "again";
}

/** The follow-up's meaning given the last safety topic, or undefined when it is a new question. */
export function followUpOf(texts: readonly string[], topic: SafetyTopic | undefined): SafetyTopic | undefined {
  if (!topic || !texts.some((t) => [...t].length <= FOLLOW_UP_MAX_CHARS)) return undefined;
  // "贷款怎么办理", "我交了材料 什么时候到账" after a scam warning are new questions, not "I did it".
  const newAidQuestion = (t: string) =>
    (AID_WORDS.test(t) || AID_TOPIC.test(t)) && !/卡号|密码|验证码|链接|转|汇|骗|冻结|追回/.test(t);
  if (
    topic === "scam" &&
    texts.some((t) => (scamCues.followUp.test(t) && !newAidQuestion(t)) || scamCues.doubt.test(t))
  )
    return "scam";
  if (topic === "privacy" && texts.some((t) => privacyCues.pushback.test(t) || privacyCues.onBehalf.test(t)))
    return "privacy";
  if (topic === "binding" && texts.some((t) => [...t].length <= FOLLOW_UP_MAX_CHARS && bindTroubleCue.test(t)))
    return "binding";
  if (topic === "handoff" && texts.some((t) => [...t].length <= FOLLOW_UP_MAX_CHARS && handoffWaitCue.test(t)))
    return "handoff";
  // After a crisis answer a short message stays with it — unless it is thanks, a command or a new aid question.
  if (
    topic === "crisis" &&
    !texts.some((t) => crisisCues.leaves.test(t)) &&
    texts.some((t) => [...t].length <= FOLLOW_UP_MAX_CHARS && !newAidQuestion(t))
  )
    return "crisis";
  return undefined;
}
