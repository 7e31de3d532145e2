/**
 * Every sentence the assistant says, as typed functions. Core code picks and joins them; it never writes words.
 * Plain words for parents and grandparents, short enough for a phone screen, no numbers except the tenant's own
 * hotline and the national emergency / counselling lines in the crisis reply.
 */

export interface ReplySettings {
  /** The tenant's display name, e.g. "某某县学生资助管理中心". */
  name: string;
  /** The tenant's hotline; empty when not configured. */
  hotline: string;
}

/** "拨打 0xxx-xxxxxxx" or, without a configured number, where to find one. */
function hotlineText(s: ReplySettings): string {
  return s.hotline.trim()
    ? `拨打咨询电话 ${s.hotline.trim()}`
    : "拨打县学生资助管理中心的咨询电话（号码见县教育局公告或学校通知）";
}

/** Placeholder fallbacks for knowledge-base text (`{{hotline}}` with no configured hotline). */
export function placeholderFallback(key: string): string {
  if (key === "hotline") return "县学生资助管理中心的咨询电话（见县教育局公告）";
  if (key === "name") return "县学生资助管理中心";
  return "当地教育部门";
}

const BIND_HOW =
  "发送：绑定 学生姓名 学籍号 监护人手机后四位（例如：绑定 张小明 G开头的学籍号 1234）；学校给了12位绑定码的，发送：绑定 绑定码（例如：绑定 1234 5678 9012）";

export const replies = {
  greeting: (s: ReplySettings) =>
    `您好！这里是${s.name.trim() ? `${s.name.trim()}的` : ""}资助通。您可以直接问资助政策，比如“小学住校一年补多少”“助学贷款在哪办”；绑定孩子后还能查申请进度和到账情况。需要人工请回复“人工”。`,

  thanks: () => "不客气！还有资助方面的问题，随时发消息问我。",

  /** Policy: nothing in the knowledge base answers this well enough. */
  notSure: (s: ReplySettings) =>
    `这个问题我没有找到准确的依据，怕说错耽误您的事。您可以回复“人工”请工作人员解答，或${hotlineText(s)}。`,

  /** Before an answer that only partly matches the question (it names something the knowledge base lacks). */
  closest: () => "没有找到和您问的完全对应的规定，下面是最接近的内容，供参考：",

  /** After such an answer. */
  confirmWithPerson: () => "要确认请回复“人工”。",

  /** Appended to a policy answer when amounts or rules vary by place. */
  localNote: () => "具体以本县通知为准。",
  /** The question asks for a cell the policy grid does not have (雨露计划 for a primary pupil): say so, offer a person. */
  noCell: (programme: string, level: string) =>
    `没有查到${programme}在${level === "普高" ? "普通高中" : level}阶段的规定或标准，不能给您说个数，要确认请回复“人工”。`,
  /** The programme has no passage on what was asked (its own materials list …): say so before the general answer. */
  noAspect: (programme: string, what: string) =>
    `没有查到${programme}专门的${what}，下面是一般做法，以学校和县资助中心通知为准：`,
  /** Introduces who a programme is for, after `noCell`. */
  whoItIsFor: () => "这个项目管哪些学生，供参考：",

  /** The citation line under a policy answer. */
  source: (titles: readonly string[]) => `来源：${titles.join("；")}`,

  outOfScope: () =>
    "我是学生资助小助手，只能回答学生资助相关问题：资助政策、怎么申请、钱发了没有（需先绑定孩子）。别的事情请咨询相关部门。",

  /** Prompt injection or "show me your instructions": no change in behaviour, just what Zizhu is for. */
  injection: () =>
    "这个我不能照办：我不能改变自己的做法，也不会提供任何人的个人信息。我只能回答学生资助相关问题，比如助学金标准、怎么申请、补助发了没有。请直接问我这些。",

  /** A staff member's own phone or WeChat: not given; the office's line and a person are. */
  staffPrivateContact: (s: ReplySettings) =>
    `工作人员个人的手机号、微信不能提供，这是保护每个人的隐私。有事请${hotlineText(s)}（工作日上班时间），或回复“人工”，我们转给县学生资助管理中心的工作人员联系您。孩子在校的事也可以直接找学校资助老师。`,

  /** Someone asks for another family's data or a list. */
  privacy: () =>
    "为保护每个家庭的隐私，我不能提供别人家的任何信息（名单、电话、身份证号、学籍号、银行卡、住址、领了多少钱等），谁来问都一样。我只能在监护人绑定自己的孩子后，告诉他自己孩子的申请和发放情况。对评审结果有疑问，可以向学校或县学生资助管理中心反映。",

  /** Self-harm, a child in danger or abused: emergency lines first, then a person. */
  crisis: () =>
    "孩子和您的安全最要紧！孩子被打、被关、被欺负或被侵害，或有人正处在危险中，请马上拨打 110 报警；有人受伤或要急救，拨打 120。青少年求助和权益保护可拨打 12355，需要心理援助可拨打全国心理援助热线 12356。",

  // ── for a chat user with no bound child (the built-in port) ──

  statusNeedsBinding: () => `查询孩子的申请进度和到账情况，需要先绑定孩子。${BIND_HOW}。绑定后只显示您自己孩子的信息。`,

  bindInstructions: () =>
    `绑定孩子请${BIND_HOW}。学籍号可以问班主任或学校资助老师；手机后四位是学校登记的监护人手机号后四位。家里有几个孩子，可以分别绑定，一个孩子也可以由几位监护人分别绑定。`,

  bindNeedsService: () =>
    "收到。绑定要和学校登记的信息核对，需要在资助通公众号里正式办理，这里暂时办不了。请在公众号里重新发送绑定信息，或联系学校资助老师。",

  childrenNone: () => `您还没有绑定孩子。${BIND_HOW}。`,

  unbindNone: () => "您目前没有绑定任何孩子，不需要解绑。",

  unsubscribeNone: () => "好的。您目前没有绑定孩子，不会收到资助通知。以后绑定了孩子又不想收通知，发送“退订”即可。",

  resubscribeNone: () => `好的。绑定孩子后，孩子的申请和发放通知会发给您。${BIND_HOW}。`,

  handoffOffline: (s: ReplySettings) =>
    `在线人工暂时接不通。请${hotlineText(s)}，工作人员会为您解答（工作日上班时间）。`,
} as const;
