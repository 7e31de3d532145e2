/** What a family reads about erasing its own data (注销): the words of core/chatusers/erase.ts. */

/** Messages that ask to erase everything (after the explanation): exact, so no question about 注销 triggers it. */
export const ERASE_CONFIRM = /^(确认注销|确定注销|确认删除(我的)?(信息|数据|资料)?)$/;
/** Messages that ask how to erase: answered with what would be deleted and how to confirm. */
export const ERASE_ASK =
  /^(注销|注销账号|注销账户|我要注销|删除我的(信息|数据|资料|记录)|删掉我的(信息|数据|资料|记录)|清除我的(信息|数据|资料|记录))$/;

export const privacy = {
  eraseExplain: (children: number) =>
    [
      "注销会删除本县资助通为您保存的信息：",
      `· 您绑定的孩子（${children} 个）——删除后收不到孩子的审核、公示、发放通知，也查不到孩子的进度；`,
      "· 和您的对话记录、消息箱、退订设置；",
      "· 您提交的转人工留言。",
      "孩子在学校的资助档案（申请、审核、发放记录）由学校和县资助中心依规保存，不会因注销删除。",
      "确定要注销，请回复「确认注销」。以后需要时，可以重新绑定。",
    ].join("\n"),
  erased: (children: number) =>
    `已注销：您的绑定（${children} 个孩子）、对话记录、消息箱和转人工留言都已删除，之后不会再收到孩子的资助通知。需要时可以重新发送「绑定」。`,
} as const;
