/**
 * Words of the handoff inbox (a family asked for a person): what the bot says while a person owns the request,
 * how a staff reply reads in the family's chat, and the template nudge sent when WeChat's 48-hour window has passed.
 */
export const handoffText = {
  /** The bot's only answer while a person owns the request (crisis messages still get the assistant's crisis reply). */
  personHandling: (owner: string) =>
    `您的问题已由${owner}在处理，请稍候，老师的回复会发到这里。您刚才的话老师也能看到。如遇紧急情况，请拨打 110 或 120。`,
  /** "那要等多久" after asking for a person: when someone answers, and what to do when it cannot wait. */
  waiting: (hotline: string) =>
    `已经帮您转给工作人员了，工作日上班时间会尽快回复您，回复会发到这里。等不及的话，可以直接打县学生资助管理中心的电话（${hotline.trim() || "见县教育局公告或学校通知"}），或找孩子学校的资助老师。遇到紧急情况请拨打 110 或 120。`,
  /** A staff reply as the family sees it. */
  staffReply: (owner: string, text: string) => `【${owner}回复】${text}`,
  /** The broadcast template's text when the customer-service window has passed. */
  nudge: () => "老师已回复您的咨询，请在公众号里发一条消息查看回复。",
  nudgeSender: (tenantName: string) => tenantName || "学生资助中心",
  /** Staff-facing: why a WeChat reply could not go out now. */
  outsideWindow: () =>
    "家长最后一条消息已超过 48 小时，微信不允许再发客服消息。回复已保存，家长下次发消息时会看到；也可以发模板通知请家长打开对话，或电话联系。",
  /** Staff-facing: what stands in a family's message where a number was hidden (the log scrubber's marks, in Chinese). */
  hidden: { "[id]": "〔证件号已隐去〕", "[phone]": "〔电话已隐去〕", "[number]": "〔号码已隐去〕" } as Record<
    string,
    string
  >,
  /** Staff-facing: the same reply was sent a moment ago (double click or retry), so it did not go out twice. */
  alreadySent: () => "这条回复刚才已经发出，没有重复发送。",
} as const;
