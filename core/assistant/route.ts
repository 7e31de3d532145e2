/**
 * Deterministic intent routing (design.md §4 intents). Order matters and is the policy:
 * crisis → injection → privacy → commands (绑定/解绑/我的孩子/退订/订阅) → unsubscribe → handoff → greeting →
 * binding questions → status questions → off-topic tasks → policy when the question names this domain at all,
 * otherwise out of scope.
 */
import { canonical } from "../policy/segment";
import type { BindArgs } from "./ports";
import { isCrisis, isInjection, isOffTopicTask, isPrivacyProbe } from "./guardrails";

export const INTENTS = ["policy", "status", "bind", "unbind", "handoff", "greeting", "unsubscribe", "out_of_scope"] as const;
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
}

const UNBIND = /解绑|解除绑定|取消绑定|(不要|不想|不用|不再)(绑定|绑)了|解除关联|取消关联|不想绑|不绑了|删除绑定|删掉绑定|解除.{0,8}(孩子|信息)|(孩子|信息).{0,6}(解除|删掉|删除)/;
const MY_CHILDREN = /^(我的孩子|我孩子|我绑定的孩子|我绑了哪些孩子|绑定了哪些孩子|我绑定了谁|已绑定的孩子|查看绑定|绑定列表)$/;
const UNSUBSCRIBE =
  /退订|取消订阅|^td$|关闭.{0,4}(通知|推送|提醒|消息)|(不需要|不要|不想要|不用)(再)?(这些|你们的|你们)?的?(消息|通知|推送)|取消.{0,4}(通知|推送|提醒)|不要再?(给我)?(发|推|推送)(消息|通知)?了?|别再?(给我)?(发|推|推送)(消息|通知)?了|不想(再)?(收|接收|看)(到)?(你们的)?(消息|通知)|关闭(通知|推送|提醒)|停止(推送|通知|发送)|不再接收/;
const RESUBSCRIBE = /^(订阅|重新订阅|恢复订阅|开启通知|打开通知|恢复通知|继续推送|重新接收通知|订阅通知)$/;
const HANDOFF =
  /人工|真人|活人|(转|找|联系|接|要)客服|客服在|客服人员|找个.{0,6}人|叫个.{0,4}人|(转|找|联系|叫)(你们)?(的)?工作人员|给我回个?电话|回个电话|打个电话给我|能接电话的人|跟人说|和人说|找领导|(叫|找|让|换|要)(你们|个)?的?(领导|负责人|管事的|主任|工作人员|真人|老师)(来|出来|跟我|和我|接|给我|说话|处理)/;
const GREETING_WORDS =
  /您好|你好|在吗|在么|在不在|有人吗|有人在吗|早上好|早安|上午好|中午好|下午好|晚上好|hello|hi|hey|哈喽|嗨|老师好|领导好|大家好|同志/g;
const GREETING_RE = new RegExp(GREETING_WORDS.source);
const THANKS_WORDS =
  /谢谢你|谢谢您|谢谢|多谢|感谢|谢啦|谢了|谢|thanks|thank you|thx|3q|辛苦了|辛苦你了|麻烦你了|麻烦您了|好的|好滴|好嘞|嗯嗯|嗯|知道了|明白了|晓得了|懂了|收到|ok|okay|行|好|老师|领导|同志|师傅|大姐|大哥|你们|你|您/g;
const DISTRESS = /撑不下去|熬不下去|受不了了|崩溃了|绝望|走投无路|没有活路|不想活/;
/** Asking what the assistant is: the greeting says it. */
const WHO_ARE_YOU = /^(你是谁|你是什么|你是干什么的|你是干嘛的|你能做什么|你能干什么|你会什么|你会干什么|你有什么用|你叫什么|你是机器人吗|你是真人吗)(呀|啊|呢|吗)?$/;
/** Particles that may trail a greeting or a thanks ("你好呀", "谢谢啦"). */
const PARTICLES = /[呀啊哈呢嘛啦哦噢喔吧哟咯了的]/g;
const BIND = /绑定|绑上|绑孩子|绑一下|^绑|关联(一下)?(孩子|学生)|(孩子|学生).{0,4}关联|添加孩子|加孩子/;

/** Completed-step questions about one's own case ("批了没", "钱到了没", "审核过了没有", "打过来了吗"). */
const STATUS_DONE =
  /(通过|批准|批下来|下来|到账|评上|发下来|打过来|收到|拿到|领到|审批通过|审核通过)(没|没有)|(发|发放|打|拨|汇|转|批|评上|评|审核|审|通过|下来|收到|领到|拿到|放款|到账|到)(了|过了|过)(没|没有|吗|么|木有|未|不)|(发|打|批|到|拨|汇|转|审)[^ ]{0,6}了(没|没有|吗|么)|(发|到|批|打|审|评)没(发|到|批|打|审|评)|(还没|怎么没|咋没|咋还没|怎么还没)(发|到|批|打|收到|到账|下来)|(是不是|有没有)已经|已经.{0,8}(发|打|到|批|通过)了(吗|没)?/;
const STATUS_STRONG =
  /进度|到哪一步|到哪了|到哪儿了|到什么程度|走到哪|发放记录|到账记录|发放情况|到账情况|审核结果|评审结果|评选结果|申请结果|查询结果|结果出来|评上没|办得怎么样|批下来没|等了(好久|很久|半天|好几|几个|一个)|一直没(到|收到|发|下来)|怎么还没(到|发|下来|批)/;
const STATUS_LOOKUP = /(查|看)(一下|下|查|看)?.{0,8}(我|我家|我的|孩子).{0,6}(孩子|的)?.{0,10}(补助|助学金|资助|申请|钱|结果|记录|情况|奖学金|贷款)/;
/** "我的补助呢", "我要查询": the asker's own case in a few words. */
const STATUS_SHORT = /^(我要|我想|帮我|我)?(查询|查一下|查查|查)$|^(我的|我家的?|孩子的|我孩子的?)(补助|助学金|钱|资助|奖学金|补贴|贷款|申请)(呢|咧|嘞|哪去了|去哪了)?$/;
/** "到现在都没收到": money that has not arrived. */
const NOT_ARRIVED = /(都|还|一直|怎么|咋|为啥|为什么)?没(有)?(收到|到账|打过来|发下来|拿到|领到|见到)/;
const MONEY = /钱|补助|助学金|资助|奖学金|补贴|生活费|雨露/;
/** "孩子的钱啥时候能到" — the asker's own case, not the usual timing. */
const STATUS_WHEN = /(什么时候|啥时候|多久|几时)(能|才能|会|才|可以)?(到账?|发下来|发|下来|批下来|批|打过来|打)/;
const ON_THE_LIST = /(孩子|我家|我).{0,12}名单上?(有没有|没有|没|吗|么)/;
const GENERAL_TIME = /一般|通常|每年|多久|什么时候|几月|哪个月|多长时间|几号/;
const PERSONAL = /我家|我的|我孩子|孩子的|给我家/;

/** Binding arguments from "绑定 张小明 G5201… 1234" / "绑定 123456" / "绑定 学籍号：… 手机尾号1234". */
export function parseBindArgs(raw: string): BindArgs {
  const text = raw.normalize("NFKC").replace(/^\s*绑定(孩子|学生)?\s*[:：]?/, " ");
  const args: BindArgs = {};
  const studentNo = /(?<![0-9A-Za-z])([GJLgjl]?\d{17}[\dXx]|[GJLgjl]\d{8,20}|\d{19,20})(?![0-9A-Za-z])/.exec(text);
  if (studentNo) args.studentNo = studentNo[1]!.toUpperCase();
  let rest = studentNo ? text.replace(studentNo[0], " ") : text;
  const phone = /(?:尾号|后四位|后4位|手机|电话)[^0-9]{0,6}(\d{4})(?!\d)/.exec(rest);
  if (phone) {
    args.phoneLast4 = phone[1]!;
    rest = rest.replace(phone[0], " ");
  }
  const code = /(?:绑定码|验证码|码)?[^0-9]{0,3}(?<!\d)(\d{6})(?!\d)/.exec(rest);
  if (code && !args.studentNo) {
    args.code = code[1]!;
    rest = rest.replace(code[1]!, " ");
  }
  if (!args.phoneLast4) {
    const four = /(?<!\d)(\d{4})(?!\d)/.exec(rest);
    if (four && (args.studentNo || /\p{Script=Han}{2,4}/u.test(rest))) {
      args.phoneLast4 = four[1]!;
      rest = rest.replace(four[1]!, " ");
    }
  }
  const labels = /学生姓名|姓名|名字|学籍号|学籍|手机尾号|手机后四位|手机号|手机|尾号|后四位|后4位|监护人|绑定码|验证码|孩子|学生|电话/g;
  const name = rest.replace(labels, " ").match(/\p{Script=Han}{2,4}/u);
  // A bare "绑定学生" carries no name; a name counts only when typed as an argument (after a space or colon).
  if (name && (args.studentNo || args.phoneLast4 || args.code || /^\s*绑定\s*[\s:：]\s*\p{Script=Han}{2,4}\s*$/u.test(raw.normalize("NFKC")))) {
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

  // Commands.
  if (/^\s*绑定/.test(text.normalize("NFKC")) && /\d/.test(text)) return { intent: "bind", args: parseBindArgs(text) };
  if (UNBIND.test(compact)) {
    const which = /(?:解绑|解除绑定|取消绑定)(?:我家|我的)?(\p{Script=Han}{2,4})$/u.exec(compact)?.[1];
    return which && !/孩子|信息|一下|我家|吧|吗/.test(which) ? { intent: "unbind", which } : { intent: "unbind" };
  }
  if (MY_CHILDREN.test(compact)) return { intent: "status", list: true };
  if (RESUBSCRIBE.test(compact)) return { intent: "unsubscribe", resubscribe: true };
  if (UNSUBSCRIBE.test(compact)) return { intent: "unsubscribe" };
  if (/^\s*绑定\s*[\s:：]\s*\p{Script=Han}{2,4}\s*$/u.test(text.normalize("NFKC"))) return { intent: "bind", args: parseBindArgs(text) };

  const domain = deps.isDomain(text);
  // Despair without a question attached ("我真的撑不下去了") is treated as a crisis; with one, the question is answered.
  if (DISTRESS.test(compact) && !domain) return { intent: "handoff", crisis: true };
  if (HANDOFF.test(compact) && !(domain && /电话.{0,4}(多少|是|号码)|热线/.test(compact))) return { intent: "handoff" };

  if (WHO_ARE_YOU.test(compact)) return { intent: "greeting" };
  const noGreeting = compact.replace(GREETING_WORDS, "");
  if (noGreeting.replace(PARTICLES, "") === "") return { intent: "greeting" };
  if (noGreeting.replace(THANKS_WORDS, "").replace(PARTICLES, "") === "") return { intent: "greeting", thanks: !GREETING_RE.test(compact) };

  if (BIND.test(compact)) return { intent: "bind", args: {} };

  if (STATUS_STRONG.test(compact)) return { intent: "status" };
  if (STATUS_DONE.test(compact) && !(GENERAL_TIME.test(compact) && !PERSONAL.test(compact))) return { intent: "status" };
  if (STATUS_LOOKUP.test(compact) || ON_THE_LIST.test(compact) || STATUS_SHORT.test(compact)) return { intent: "status" };
  if (NOT_ARRIVED.test(compact) && MONEY.test(compact) && !/一般|通常|怎么办|咋办|找谁/.test(compact)) return { intent: "status" };
  if (/到账/.test(compact) && PERSONAL.test(compact)) return { intent: "status" };
  if (STATUS_WHEN.test(compact) && PERSONAL.test(compact) && !/一般|通常|每年|每学期|几月/.test(compact)) return { intent: "status" };

  if (isOffTopicTask(c)) return { intent: "out_of_scope", reason: "off_topic" };
  return domain ? { intent: "policy" } : { intent: "out_of_scope", reason: "off_topic" };
}
