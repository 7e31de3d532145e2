/**
 * The words the channels say on their own (not the assistant's answers): WeChat follow / menu / unsupported
 * messages, the voice preamble, and the web chat page. Plain words for parents and grandparents.
 */

export interface ChannelSettings {
  /** The tenant's display name, e.g. "某某县学生资助管理中心". */
  name: string;
}

const HOW_TO_BIND =
  "发送：绑定 学生姓名 学籍号 监护人手机后四位（例如：绑定 张小明 G开头的学籍号 1234）；学校给了绑定码的，发送：绑定 绑定码";

/** The policy topics offered as one-tap questions (web chips) and listed in the WeChat POLICY menu answer. */
export const policyTopics = [
  { label: "幼儿园", question: "孩子上幼儿园能享受什么资助" },
  { label: "小学、初中", question: "孩子读小学、初中能享受什么资助" },
  { label: "普通高中", question: "孩子读普通高中能享受什么资助" },
  { label: "中职（中专、技校）", question: "孩子读中职能享受什么资助" },
  { label: "大学", question: "孩子上大学能享受什么资助" },
] as const;

export const channelText = {
  /** WeChat `subscribe`: welcome, what I can do, how to bind. */
  welcome: (s: ChannelSettings) =>
    [
      `欢迎关注${s.name}资助通！`,
      "我能帮您：",
      "1. 解答学生资助政策，比如“小学住校一年补多少”“助学贷款在哪办”；",
      "2. 绑定孩子后，查申请进度和钱到没到账；",
      "3. 有评审、公示、发放的消息，第一时间通知您。",
      `绑定孩子请${HOW_TO_BIND}。`,
      "不会打字也可以直接发语音。需要人工请回复“人工”。",
    ].join("\n"),

  /** WeChat POLICY menu: how to ask, by school stage. */
  policyMenu: () =>
    [
      "想了解哪个阶段的资助？直接发文字或语音问我，比如：",
      ...policyTopics.map((t) => `· ${t.question}`),
      "也可以问具体的事，比如“助学贷款怎么申请”“低保家庭孩子有什么补助”。",
    ].join("\n"),

  /** An image, video, location or link: we read text (and voice) only. */
  pleaseType: () =>
    "不好意思，我暂时看不懂图片、视频、位置和链接。请直接用文字或语音把问题发给我，比如“高中助学金一年多少钱”。",

  /** Voice with a transcription: say what was heard before the answer, so a wrong transcription is noticed. */
  heard: (text: string) => `我听到的是：“${text}”`,

  /** Voice without a transcription (speech recognition off, or WeChat could not make it out). */
  voiceNotUnderstood: () => "不好意思，这条语音我没听清。请再说一遍，说慢一点；或者直接打字问我。",

  /** A menu key we do not know (a menu changed in the console before the code). */
  unknownMenu: () => "请直接发文字或语音告诉我您想问什么，比如“怎么绑定孩子”“钱发了没有”。",

  /** Last resort when an answer could not be produced after retries (sent through the customer-service API). */
  /** Storage is down: said instead of anything about the family's own children (policy answers still work). */
  busy: () => "系统繁忙，请稍后再试。政策问题现在也可以照常问我。",
  failed: () => "不好意思，系统刚才出了点问题，没能回答您的问题。请稍后再发一次，或回复“人工”。",

  /** The web chat page. */
  page: {
    title: "资助通 · 学生资助问答",
    heading: "资助通",
    subheading: "学生资助政策问答 · 查申请进度",
    greeting:
      "您好！我是资助通。可以直接问资助政策，比如“小学住校一年补多少”；绑定孩子后还能查进度和到账情况。也可以点下面的按钮。",
    placeholder: "在这里输入您的问题",
    send: "发送",
    sending: "正在回答…",
    error: "网络不好，没发出去，请再试一次。",
    notice: "新通知",
    /** Over a person's reply to the family's request, when it reaches the page. */
    reply: "老师回复",
    policyPrompt: "想了解哪个阶段的资助？点一下：",
    quick: [
      { label: "绑定", text: "绑定" },
      { label: "查进度", text: "查进度" },
      { label: "政策", text: "" },
      { label: "人工", text: "人工" },
    ],
    footer: "请勿在这里发送身份证号、银行卡号。",
  },
} as const;

/** Appended to the last WeChat message when a long answer had to be cut to fit WeChat's message limits. */
export const TRUNCATION_NOTICE = "（回复较长，后面的内容已省略。如需了解更多，请换个方式继续提问。）";
