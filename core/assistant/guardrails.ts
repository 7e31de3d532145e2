import type { SafetyTopic } from "./ports";
import { abuseCues, aidQuestionCue, crisisCues, personCues, privacyCues, scamCues, upsetCues } from "../../prompts/safety";

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
  if (a.beating.test(text) || a.marks.test(text) || a.afraidHome.test(text) || a.sexual.test(text) || a.takenOrPoisoned.test(text)) return true;
  // "绑定被锁了", "卡被关了" are accounts, not children.
  if (a.confined.test(text) && !/绑定|账号|账户|卡|密码|微信|手机|系统|网站|页面/.test(text)) return true;
  if (a.starved.test(text) && !/营养|餐|食堂|伙食|补助/.test(text)) return true;
  if (crisisCues.secrecy.test(text) && crisisCues.doneTo.test(text.replace(/打(电话|钱|款|卡|到)/g, "")) && !/补助|资助|助学金|贷款|公示|名单|申请/.test(text)) return true;
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
    any(c.violence, text) ||
    any(c.bullying, text) ||
    any(c.humiliation, text) ||
    any(c.sexual, text) ||
    any(c.sexualBy, text) ||
    any(c.missing, text) ||
    isAbuse(text)
  )
    return "crisis";
  if (any(c.injury, text) || any(c.emergency, text)) return aidQuestionCue.test(text) ? "concern" : "crisis";
  return undefined;
}

/** Self-harm, violence, abuse, bullying, a missing child, an injury happening now. */
export function isCrisis(text: string): boolean {
  return crisisLevel(text) === "crisis";
}

const INJECTION: readonly RegExp[] = [
  /(忽略|无视|忘记|忘掉|跳过|不要管|别管|不用管|不要遵守|别遵守|绕过|突破)(之前|以上|上面|前面|刚才|所有|全部|你的|一切|任何)?.{0,8}(指令|指示|规则|规定|设定|提示|限制|要求|命令|约束)/,
  /(系统|system|开发者|developer|管理员|admin|root).{0,4}(提示|prompt|消息|指令|设定|模式|权限)/,
  /提示词|prompt|instruction|jailbreak|越狱|\bdan\b/,
  /(你|你的)(现在|从现在起|从现在开始)?.{0,3}(规则|设定|指令|配置|人设|初始|第一条|原始)/,
  /(上面|之前|前面|你)收到的|第一条(指令|消息|内容)|原样(复制|输出|发|重复|打印)|(复制|重复|打印|输出)(给我)?(你|上面|之前)/,
  /你现在是|从现在(起|开始)你|假装你是|假装自己是|扮演|你是一个没有|没有任何限制|不受(任何)?限制|角色扮演/,
  /api|密钥|\bkey\b|token|secret|口令|配置文件|环境变量|源代码|源码/,
  /ignore (all |any )?(the )?(previous|prior|above|earlier)|you are now|act as|pretend (to be|you)/,
];

/** An attempt to change or read the assistant's instructions, configuration or secrets. */
export function isInjection(text: string): boolean {
  return INJECTION.some((r) => r.test(text));
}

/** Somebody other than the asker: a named person, a neighbour, "all students" … */
const OTHERS =
  /别人|他人|其他(人|学生|家长|家庭|同学)|人家的|邻居|隔壁|同学家|同学的|亲戚家|他家|她家|他们家|他的|她的|某某|所有(学生|家长|人|家庭|孩子|贫困)|全部(学生|家长|名单)|全(县|校|班|村|乡|镇|市|年级)|我们(村|班|学校|乡|镇|组)|村里(的|谁)|班上|班里|数据库|(老|小)?[王李张刘陈杨黄赵吴徐孙朱胡郭何林罗郑梁谢唐许韩冯邓曹彭曾萧董潘袁蔡蒋杜叶魏苏吕丁沈姚卢姜崔谭汪廖贾韦邹孟熊邱尹薛闫雷侯陶贺顾郝龚邵覃戴莫孔汤][\u4e00-\u9fa5]{1,2}(家|的)/;

/** A person other than the asker, named or pointed at (not 他/她, which a parent uses for their own child). */
const NAMED_OTHER =
  /别人|他人|人家的|邻居|隔壁|同学家|同学的|亲戚家|他们家|所有(学生|家长|人)|全(县|校|班|村)|(老|小)?[王李张刘陈杨黄赵吴徐孙朱胡郭何林罗郑梁谢唐许韩冯邓曹彭曾萧董潘袁蔡蒋杜叶魏苏吕丁沈姚卢姜崔谭汪廖贾韦邹孟熊邱尹薛闫雷侯陶贺顾郝龚邵覃戴莫孔汤][\u4e00-\u9fa5]{1,2}(家|的)/;

const SENSITIVE = /身份证|证件号|电话|手机|联系方式|学籍号|学号|银行卡|卡号|账号|账户|存折|住址|地址|住在哪|住哪|家在哪|在哪个学校|哪个学校读|在哪上学|在哪读书|户口/;
const GIVE = /发我|发给我|给我|给出|告诉我|发一下|发过来|导出|列一下|列出|列个|打印|提供|输出|查一下|查查|查下|帮我查|查询|调出|拿出|说一下|要/;
/** Offices whose phone number a parent may of course ask for. */
const PUBLIC_PHONE = /(资助中心|资助管理中心|教育局|学校|客服|热线|银行|国开行|开发银行|办公室|农业农村局|乡村振兴|民政|村委|派出所|政府)[^ ]{0,4}(电话|号码)/;
const LIST = /(把|将|给我|发我|帮我|导出|列).{0,24}(名单|名册|花名册|明细|清单|表格|名字|姓名)|(名单|名册|花名册|明细|清单)[^ ]{0,10}(发|给|导出|列|传|拷|复制|打印)|(列|列出|列一下|列个)(名单|清单|出来)/;
const WHO_GOT = /谁家|谁(领|拿|评|得|报|申请|享受)(了|到|上|过)|哪些(人|学生|家庭|户|孩子)(领|拿|评|得|申请|享受)(了|到|上|过)|(领|拿|评)(了|上)?.{0,4}的(人|学生|家庭)(有哪些|都有谁|是谁|名单)/;
/** "我们村贫困户都有谁", "列出拿到奖学金的学生". */
const WHO_ALL = /都有谁|有哪些人|有哪几家|是哪些人|是哪几家|有谁|(拿到|领到|领了|评上|获得|得到)了?.{0,8}的(学生|人|家庭|孩子|家长|名字)/;
const OTHERS_GOT = /家.{0,10}(领|拿|得|评|发|批|补)(了|上|到|没)|(领|拿|得|发|补|评)了.{0,4}多少/;
const WHERE_IS = /(告诉我|查|帮我找|找到).{0,12}(在哪个学校|在哪上学|在哪读书|住哪|住在哪|家在哪|现在在哪|在什么地方)/;
const REPORTING = /为啥|为什么|凭什么|举报|投诉|反映|不公平|不服|异议|申诉|告状|冒领|优亲厚友|合规|合理|正常吗|会写|会公布|会不会|能不能写|写上了/;
const ID_NUMBER = /\d{17}[\dx]|\d{15}|\d{16,19}/;

/** A request for another family's data, a list of families, or a lookup by ID / phone number. */
export function isPrivacyProbe(text: string): boolean {
  const compact = text.replace(/ /g, "");
  if (ID_NUMBER.test(compact) && /(是谁|谁家|查|哪个|哪家|什么人|名字)/.test(compact)) return true;
  if (REPORTING.test(compact) && !GIVE.test(compact.replace(/要/g, ""))) return false;
  if (LIST.test(compact) && !/(在哪|哪里|什么时候|多久|几天|看得到|能看|去哪)/.test(compact)) return true;
  if (WHO_GOT.test(compact)) return true;
  if (WHO_ALL.test(compact) && /贫困|低保|困难|特困|领|评|补助|资助|助学金|雨露|奖学金/.test(compact) && !/可以|能|能够|符合|资格|条件/.test(compact)) return true;
  if (WHERE_IS.test(compact)) return true;
  const mentionsOthers = OTHERS.test(compact);
  if (SENSITIVE.test(compact) && !PUBLIC_PHONE.test(compact)) {
    if (GIVE.test(compact) && (mentionsOthers || /(家长|他|她|人家|别人)的(电话|手机|身份证|学籍号|银行卡|卡号|住址|地址)/.test(compact))) return true;
    if (/(所有|全部|全(县|校|班|村))/.test(compact)) return true;
  }
  if (mentionsOthers && OTHERS_GOT.test(compact) && !/(我家|我的|自己)/.test(compact)) return true;
  // "赵刚的学籍号是多少": a named or clearly other person's identifier, whatever the verb.
  if (NAMED_OTHER.test(compact) && /学籍号|身份证|电话|手机|银行卡|卡号|住址|家庭住址|联系方式/.test(compact) && !PUBLIC_PHONE.test(compact)) return true;
  return false;
}

/**
 * The marks of a scam report (a fee before the money comes, a WeChat contact, a link or a code): whatever else
 * the message says (who called, how much), the answer is the scam warning, said without hedging.
 */
const SCAM_REPORT =
  /手续费|保证金|激活费|解冻费|好处费|辛苦费|工本费|会员费|服务费|押金|卡费|加(我|了)?(个)?微信|微信群|加了个群|链接|验证码|冒充|骗|转账|先交|先转|交[^ ]{0,4}(钱|费|块|元)(才|就|能)/;

export function isScamReport(text: string): boolean {
  return SCAM_REPORT.test(text.replace(/\s+/g, ""));
}

/** Tasks that are not answering a question (a poem, a joke, a sum, changing records), whatever words they use. */
const OFF_TOPIC_TASK =
  /(改|修改|删除|篡改)(一下)?.{0,4}(成绩|分数|学籍|档案|记录)(?<!征信记录|逾期记录|还款记录)|写.{0,8}(诗|作文|文章|小说|歌词|对联|检讨|情书|论文)|讲.{0,3}(笑话|故事)|翻译|翻成|等于几|\d+\s*[+\-*/×÷]\s*\d+/;
/**
 * Subjects that are not student aid (weather, stocks, films). Out of scope only when the question names nothing of
 * the domain: "下雨把房子冲了 能申请补认定吗" and "教育发展基金会的新生资助" are policy questions.
 */
const OFF_TOPIC_SUBJECT = /天气|下雨|下雪|气温|股票|基金|彩票|算命|星座|游戏|电影|电视剧|菜谱|做菜|减肥/;

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

export type ScamRead = "pasted" | "victim";

/** A pasted scam message or link, or a parent who already handed over a card, password, code or money. */
export function scamRead(texts: readonly string[]): ScamRead | undefined {
  const s = scamCues;
  if (texts.some((t) => s.victim.test(t) || (s.paid.test(t) && s.context.test(t)))) return "victim";
  if (texts.some((t) => s.header.test(t) && s.asks.test(t))) return "pasted";
  if (texts.some((t) => s.link.test(t) && (s.asks.test(t) || s.money.test(t)))) return "pasted";
  if (texts.some((t) => /(填写|填入|输入|提供|登记|发送)[^ ]{0,6}(银行卡号?|卡号|密码|验证码)/.test(t) && s.money.test(t))) return "pasted";
  if (texts.some((t) => s.followed.test(t))) return "victim";
  if (texts.some((t) => s.strong.test(t))) return "pasted";
  if (texts.some((t) => s.reporter.test(t) && s.demand.test(t) && s.money.test(t))) return "pasted";
  return undefined;
}

/** An indirect request for a person ("能不能让老师联系我", "叫管这个的人当面跟我讲讲"). */
export function wantsPerson(texts: readonly string[]): boolean {
  return texts.some((t) => any(personCues.indirect, t) || (personCues.cantType.test(t) && !AID_WORDS.test(t) && !aidQuestionCue.test(t)));
}

/** Programme or aid words: "打哪个电话问贷款" is a policy question the knowledge base answers. */
const AID_WORDS = /补助|资助|助学金|奖学金|贷款|雨露|低保|公示|学费|免费|营养餐|两免一补|绿色通道|保教费|建档立卡/;
/** Another office's number is not ours to give (国开行, a bank, the police …). */
const OTHER_OFFICE = /银行|国开行|开发银行|派出所|民政|乡村振兴|农业农村|村委|村里|支付宝|微信支付|医院|医保|社保|人社|税务/;

/** "你直接给我个电话": a number to call, without naming a programme or another office. */
export function wantsPhone(texts: readonly string[]): boolean {
  return texts.some((t) => personCues.phone.test(t) && !AID_WORDS.test(t) && !OTHER_OFFICE.test(t));
}

/** Money that should have come and has not, and whether the parent accuses someone of keeping it. */
export function moneyNotArrived(texts: readonly string[]): { accuse: boolean } | undefined {
  const u = upsetCues;
  const hit = texts.some((t) => u.notArrived.test(t) && u.money.test(t) && !(u.general.test(t) && !/我|孩子|老[大二三四幺]/.test(t)));
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
  return texts.some((t) => [...t].length <= FOLLOW_UP_MAX_CHARS && (scamCues.followUp.test(t) || privacyCues.pushback.test(t) || privacyCues.onBehalf.test(t)));
}

/** The follow-up's meaning given the last safety topic, or undefined when it is a new question. */
export function followUpOf(texts: readonly string[], topic: SafetyTopic | undefined): SafetyTopic | undefined {
  if (!topic || !texts.some((t) => [...t].length <= FOLLOW_UP_MAX_CHARS)) return undefined;
  // "贷款怎么办理", "我交了材料 什么时候到账" after a scam warning are new questions, not "I did it".
  const newAidQuestion = (t: string) => (AID_WORDS.test(t) || /材料|申请|到账|办理|发放|认定|条件/.test(t)) && !/卡号|密码|验证码|链接|转|汇|骗|冻结|追回/.test(t);
  if (topic === "scam" && texts.some((t) => scamCues.followUp.test(t) && !newAidQuestion(t))) return "scam";
  if (topic === "privacy" && texts.some((t) => privacyCues.pushback.test(t) || privacyCues.onBehalf.test(t))) return "privacy";
  if (topic === "crisis" && texts.some((t) => /怎么办|怎么弄|来不及|还在|还没|不接|打不通|不回|报警|救/.test(t))) return "crisis";
  return undefined;
}
