/**
 * Deterministic intent routing (docs/design.md §4.2 intents). Order matters and is the policy:
 * crisis → injection → privacy → commands (绑定/解绑/我的孩子/退订/订阅, also said loosely) → unsubscribe → handoff →
 * greeting / thanks → binding questions → scam reports (before status: "交手续费才能到账" is not the asker's case) →
 * status questions → off-topic tasks → policy when the question names this domain at all, otherwise out of scope.
 */
import { canonical } from "../policy/segment";
import { AID_WORDS, OTHER_MONEY, PUBLISHED_DATA_COMPLAINT } from "../../prompts/guard-words";
import {
  APPLICATION_WORDS,
  ASKING,
  ASPECT_WORDS,
  BIND,
  BIND_DATA,
  BIND_LOOSE,
  BOUND_WRONG,
  CONTESTING,
  DISTRESS,
  GENERAL_TIME,
  GIVEN_YET,
  GIVE_UP_BIND,
  GREETING_RE,
  GREETING_WORDS,
  HANDOFF,
  LOOKUP_ASKED,
  MONEY,
  MY_CHILDREN,
  NOT_ARRIVED,
  NOT_BINDING,
  OBJECTION,
  ON_THE_LIST,
  OWN_LOOKUP,
  OWN_OUTCOME,
  PARTICLES,
  PERSONAL,
  SELF_INTRO,
  RESUBSCRIBE,
  SCAM,
  SOCIAL,
  STATUS_DONE,
  STATUS_GOT,
  STATUS_LOOKUP,
  STATUS_SHORT,
  STATUS_STRONG,
  STATUS_WHEN,
  STUDENT_NO,
  THANKS_WORDS,
  UNBIND,
  UNBIND_LOOSE,
  UNSUBSCRIBE,
  UNSUBSCRIBE_LOOSE,
  USUALLY,
  WHO_ARE_YOU,
} from "../../prompts/intent-words";
import type { BindArgs } from "./ports";
import { isCrisis, isInjection, isOffTopicTask, isPrivacyProbe, isSchoolCostQuestion } from "./guardrails";

export const INTENTS = [
  "policy",
  "status",
  "bind",
  "unbind",
  "handoff",
  "greeting",
  "unsubscribe",
  "out_of_scope",
] as const;
export type Intent = (typeof INTENTS)[number];

export type Route =
  | { intent: "policy" }
  | { intent: "status"; list?: boolean }
  | { intent: "bind"; args: BindArgs }
  | { intent: "unbind"; which?: string }
  | { intent: "handoff"; crisis?: boolean }
  | { intent: "greeting"; thanks?: boolean }
  | { intent: "unsubscribe"; resubscribe?: boolean }
  | { intent: "out_of_scope"; reason: "privacy" | "injection" | "off_topic" };

export interface RouteDeps {
  /** Whether a question names anything of the student-aid domain (from the policy index). */
  isDomain(text: string): boolean;
  /**
   * The learned intent (core/assistant/classifier.ts) when it clears its threshold; asked only for what the rules
   * leave to the last step (policy / out of scope), never for commands, crisis, privacy or injection.
   */
  learned?(text: string): Intent | undefined;
}

/** "那绑吧 娃叫赵天宇": a child's name introduced as such starts the binding with it. */
function namedChild(text: string): BindArgs {
  const named =
    /(娃|孩子|学生|儿子|闺女|女儿|孙子|孙女|外孙女?|小孩)(的)?(名字)?(叫做|叫|是)\s*(\p{Script=Han}{2,4})(?!\p{Script=Han})/u.exec(
      text.normalize("NFKC"),
    );
  return named && !/什么|多少|哪|谁|学|钱|补|助|绑/.test(named[5]!) ? { name: named[5]! } : {};
}

/** Binding arguments from "绑定 张小明 G5201… 1234" / "绑定 123456" / "绑定 学籍号：… 手机尾号1234". */
export function parseBindArgs(raw: string): BindArgs {
  const text = raw.normalize("NFKC").replace(/^\s*绑定(孩子|学生)?\s*[:：]?/, " ");
  const args: BindArgs = {};
  const studentNo = /(?<![0-9A-Za-z])([GJLgjl]?\d{17}[\dXx]|[GJLgjl]\d{8,20}|\d{19,20})(?![0-9A-Za-z])/.exec(text);
  if (studentNo) args.studentNo = studentNo[1]!.toUpperCase();
  let rest = studentNo ? text.replace(studentNo[0], " ") : text;
  const phone = /(?:尾号|后四位|后4位|手机|电话)[^0-9]{0,6}(\d{4})(?!\d)/.exec(rest);
  // A whole mobile number typed ("我手机13812345678"): only its last four are used, the rest is never kept.
  const mobile = phone ? undefined : /(?<!\d)1[3-9]\d{5}(\d{4})(?!\d)/.exec(rest);
  if (phone) {
    args.phoneLast4 = phone[1]!;
    rest = rest.replace(phone[0], " ");
  } else if (mobile) {
    args.phoneLast4 = mobile[1]!;
    rest = rest.replace(mobile[0], " ");
  }
  // Binding codes are 12 digits, often copied as 1234 5678 9012 (core/families/codes.ts).
  const code = /(?<!\d)(\d{4}[ -]?\d{4}[ -]?\d{4})(?![\d])/.exec(rest);
  if (code && !args.studentNo) {
    args.code = code[1]!.replace(/[ -]/g, "");
    rest = rest.replace(code[1]!, " ");
  }
  // "绑定码 7KQ2MX", "码是48392": named as the code, but not a code's shape — said so, never counted as a try.
  if (!args.code && !args.studentNo) {
    const named = /(?<!号)码\s*(?:是|为)?\s*[:：]?\s*([0-9A-Za-z][0-9A-Za-z -]{2,20})/.exec(rest);
    if (named) {
      args.malformedCode = true;
      rest = rest.replace(named[0], " ");
    }
  }
  if (!args.phoneLast4) {
    const four = /(?<!\d)(\d{4})(?!\d)/.exec(rest);
    if (four && (args.studentNo || /\p{Script=Han}{2,4}/u.test(rest))) {
      args.phoneLast4 = four[1]!;
      rest = rest.replace(four[1]!, " ");
    }
  }
  const labels =
    /学生姓名|姓名|名字|学籍号|学籍|手机尾号|手机后四位|手机号|手机|尾号|后四位|后4位|监护人|绑定码|验证码|孩子|学生|电话/g;
  // "娃叫张明", "孩子名字是王丫丫": the words before the name are not part of it.
  const named = rest.replace(/(娃|孩子|学生|儿子|闺女|女儿|孙子|孙女|外孙女?|名字|姓名)(的名字)?(叫做|叫|是)/gu, " ");
  const name = named
    .replace(labels, " ")
    .replace(/[俺我咱他她娃的是]/gu, " ")
    .match(/\p{Script=Han}{2,4}/u);
  // A bare "绑定学生" carries no name; a name counts only when typed as an argument (after a space or colon).
  if (
    name &&
    (args.studentNo ||
      args.phoneLast4 ||
      args.code ||
      /^\s*绑定\s*[\s:：]\s*\p{Script=Han}{2,4}\s*$/u.test(raw.normalize("NFKC")))
  ) {
    args.name = name[0];
  }
  return args;
}

export function route(text: string, deps: RouteDeps): Route {
  const c = canonical(text);
  const compact = c.replace(/ /g, "");
  if (compact === "") return { intent: "greeting" };

  if (isCrisis(compact)) return { intent: "handoff", crisis: true };
  if (isInjection(c)) return { intent: "out_of_scope", reason: "injection" };
  if (isPrivacyProbe(c)) return { intent: "out_of_scope", reason: "privacy" };
  // "名单上把娃的身份证号都印出来了 这对吗": a question about the 公示 rules.
  if (PUBLISHED_DATA_COMPLAINT.test(compact)) return { intent: "policy" };

  // Money of another office ("补偿款啥时候发"): out of scope before any status or policy word can claim it.
  if (OTHER_MONEY.test(compact) && !AID_WORDS.test(compact)) return { intent: "out_of_scope", reason: "off_topic" };

  // Commands.
  if (/^\s*绑定/.test(text.normalize("NFKC")) && /\d/.test(text)) return { intent: "bind", args: parseBindArgs(text) };
  // "高子涵 G5199…" (with or without the four digits): binding data sent without the word 绑定.
  if (BIND_DATA.test(text.normalize("NFKC"))) return { intent: "bind", args: parseBindArgs(`绑定 ${text}`) };
  // "娃叫张明 学籍号G4113… 俺手机后四位1234": a 学籍号 with a name or the phone digits, labelled, in any order.
  if (STUDENT_NO.test(text.normalize("NFKC")) && !/[?？吗么]|查|谁/.test(compact)) {
    const args = parseBindArgs(`绑定 ${text}`);
    if (args.studentNo && (args.name || args.phoneLast4)) return { intent: "bind", args };
  }
  if (
    UNBIND.test(compact) ||
    BOUND_WRONG.test(compact) ||
    (UNBIND_LOOSE.test(compact) && !APPLICATION_WORDS.test(compact))
  ) {
    const which = /(?:解绑|解除绑定|取消绑定)(?:我家|我的)?(\p{Script=Han}{2,4})$/u.exec(compact)?.[1];
    return which && !/孩子|信息|一下|我家|吧|吗/.test(which) ? { intent: "unbind", which } : { intent: "unbind" };
  }
  if (MY_CHILDREN.test(compact)) return { intent: "status", list: true };
  if (RESUBSCRIBE.test(compact)) return { intent: "unsubscribe", resubscribe: true };
  if (UNSUBSCRIBE.test(compact) || (UNSUBSCRIBE_LOOSE.test(compact) && !/别发到|发到|打到|收费|收钱/.test(compact)))
    return { intent: "unsubscribe" };
  if (/^\s*绑定\s*[\s:：]\s*\p{Script=Han}{2,4}\s*$/u.test(text.normalize("NFKC")))
    return { intent: "bind", args: parseBindArgs(text) };

  const domain = deps.isDomain(text);
  // Despair without a question attached ("我真的撑不下去了") is treated as a crisis; with one, the question is answered.
  if (DISTRESS.test(compact) && !domain) return { intent: "handoff", crisis: true };
  if (HANDOFF.test(compact) && !(domain && /电话.{0,4}(多少|是|号码)|热线/.test(compact))) return { intent: "handoff" };

  if (WHO_ARE_YOU.test(compact)) return { intent: "greeting" };
  // "你好 俺是娃的奶奶 不大会弄这个": a greeting and who is writing, nothing asked yet.
  if (GREETING_RE.test(compact) && SELF_INTRO.test(compact) && !ASKING.test(compact) && !ASPECT_WORDS.test(compact))
    return { intent: "greeting" };
  const noGreeting = compact.replace(GREETING_WORDS, "");
  if (noGreeting.replace(PARTICLES, "") === "") return { intent: "greeting" };
  if (noGreeting.replace(THANKS_WORDS, "").replace(PARTICLES, "") === "")
    return { intent: "greeting", thanks: !GREETING_RE.test(compact) };
  if (
    SOCIAL.test(compact) &&
    compact.length <= 12 &&
    !ASKING.test(compact.replace(/在吗|有人吗|请问一下|请问|问一下|想问问|想问/g, "")) &&
    !ASPECT_WORDS.test(compact)
  ) {
    return { intent: "greeting", thanks: !GREETING_RE.test(compact) };
  }

  // "绑不了 那你就说说…": giving up on binding and asking something else is the something else.
  const givesUpBinding = GIVE_UP_BIND.test(compact) && compact.replace(GIVE_UP_BIND, "").length > 6;
  if (!givesUpBinding && (BIND.test(compact) || (BIND_LOOSE.test(compact) && !NOT_BINDING.test(compact)))) {
    // "学校给了个绑定码 3849 2017 5563": the code itself, not the instructions; "我来绑定 孩子黄小兰 学籍号G…": the data.
    const parsed = /\d{4}/.test(text) ? parseBindArgs(`绑定 ${text}`) : {};
    if (parsed.code) return { intent: "bind", args: { code: parsed.code } };
    if (parsed.studentNo) return { intent: "bind", args: parsed };
    return { intent: "bind", args: namedChild(text) };
  }

  // A scam report mentioning money arriving is a question about the scam, not about the asker's own case.
  // "上学要交钱不", "读高中要交啥钱": what school costs, not a fee demanded for aid.
  if (SCAM.test(compact) && !isSchoolCostQuestion(compact))
    return domain || MONEY.test(compact) || /到账|发放|领|批|贷|学费|补|奖/.test(compact)
      ? { intent: "policy" }
      : { intent: "out_of_scope", reason: "off_topic" };

  // Reporting someone else's undeserved place ("人家有车有楼也评上了 咋举报", "别人家有车的倒评上了 不公平") is an
  // objection, not the asker's own status.
  if (OBJECTION.test(compact)) return { intent: "policy" };
  // "补助到没到账 一般在哪能查" asks how one checks, not for the asker's own case.
  const general = USUALLY.test(compact) && !PERSONAL.test(compact);
  if ((STATUS_STRONG.test(compact) && !general) || OWN_LOOKUP.test(compact)) return { intent: "status" };
  // How to contest one's own outcome ("没评上 咋申诉") is the objection answer, not the status.
  if (OWN_OUTCOME.test(compact)) return CONTESTING.test(compact) ? { intent: "policy" } : { intent: "status" };
  if (STATUS_DONE.test(compact) && !(GENERAL_TIME.test(compact) && !PERSONAL.test(compact)))
    return { intent: "status" };
  if (STATUS_LOOKUP.test(compact) || ON_THE_LIST.test(compact) || STATUS_SHORT.test(compact))
    return { intent: "status" };
  if (STATUS_GOT.test(compact) && PERSONAL.test(compact)) return { intent: "status" };
  if (GIVEN_YET.test(compact) && (PERSONAL.test(compact) || /^我孩子|^孩子/.test(compact))) return { intent: "status" };
  if (LOOKUP_ASKED.test(compact) && domain) return { intent: "status" };
  if (NOT_ARRIVED.test(compact) && MONEY.test(compact) && !/一般|通常|怎么办|咋办|找谁/.test(compact))
    return { intent: "status" };
  if (/到账/.test(compact) && PERSONAL.test(compact)) return { intent: "status" };
  if (STATUS_WHEN.test(compact) && PERSONAL.test(compact) && !/一般|通常|每年|每学期|几月/.test(compact))
    return { intent: "status" };

  if (isOffTopicTask(c, domain)) return { intent: "out_of_scope", reason: "off_topic" };
  // What the rules leave open, the classifier may decide: a person asked for indirectly, the asker's own money, a
  // question of the domain in words the index does not know. It never turns a domain question away.
  const learned = /\d{7,}/.test(compact) ? undefined : deps.learned?.(text);
  // "补助钱一般打到哪": how it usually goes, not the asker's own case.
  if (learned === "handoff" || (learned === "status" && !general) || learned === "policy") return { intent: learned };
  return domain ? { intent: "policy" } : { intent: "out_of_scope", reason: "off_topic" };
}
