/**
 * Vocabulary the retrieval ranking reads (core/policy/index.ts): the sub-question a heading asks, the kind of fact a
 * question wants, the two sides of a variant, the groups a heading may be about, and words too general to name a
 * programme. Moved here from core/ so every word the assistant reads lives in prompts/.
 */
/**
 * The sub-question a question asks, recognised the same way in the question and in a passage heading (headings are
 * written as questions: "生活补助怎么申请", "高中助学金一年多少钱"). A passage whose heading asks what the question
 * asks gets `headingAspectBoost`.
 */
export const headingAspects: readonly RegExp[] = [
  /怎么申请|如何申请|怎么办理|去哪申请|怎么报|申报|在哪办|去哪办|哪里办|(在|去|回|到)[^ ]{0,4}(报|办|申请)(?!销)|怎么办(?!法)|怎么领|流程|手续|程序|咋申请|找谁|怎么评|怎么认定/,
  /多少钱|补多少|多少元|标准|额度|能贷多少|给多少|几档|几个档|档次|分档|多少(?!年|天|人|名|次)|哪个多|最多|最少|最高|最低|几个钱|几块|几多|好多钱|几千|几百|(补|给|领|拿|发|贷)(几|好多)/,
  /谁能|哪些人|哪些学生|对象|条件|资格|能不能(享受|领|申请|免)|可以(享受|领|申请|免)|符合|是不是每个|人人|都有吗|能享受|有没有份/,
  /什么时候|何时|几月|几号|哪天|截止|多久|多长时间|几年一次|一年一次|多少天|几天|开始/,
  /发到哪|打到哪|怎么发|发放|到账|哪个卡|什么卡|哪张卡|现金|打卡|钱打|收钱|给学校|打给|发给|给谁|直接给|打哪/,
  /材料|证明|带什么|准备什么|资料|要带|交什么/,
  /是什么|啥意思|什么意思|是啥|怎么回事|啥叫|什么叫/,
  /同时|一起拿|兼得|叠加|都能拿|一起享受/,
  /旧标准|以前|涨|提高|调整|变了|新标准/,
  /利息|利率|贴息|免息/,
  /还款|还钱|还本|宽限|几号还|扣款|结息/,
  /公示|名单|隐私|身份证/,
  /诈骗|骗|转账|手续费|交钱/,
];

/** What kind of fact a question asks for, and how to recognise a passage that states one. */
export const answerTypes: readonly { ask: RegExp; has: RegExp }[] = [
  // an amount of money
  {
    ask: /多少钱|好多钱|几多钱|几个钱|几块|几千|几百|补多少|给多少|贷多少|能贷多少|领多少|拿多少|发多少|(补|给|领|拿|发|贷)(几|好多)|标准|额度|金额|多少(?!年|天|个|人|名|次|岁)/,
    has: /\d\s*元|万元|\d\s*块/,
  },
  // a date or a start
  {
    ask: /什么时候|啥时候|几月|几号|哪天|哪年|哪一年|何时|开始|截止|到期|之前|以前/,
    has: /\d{4}\s*年|\d{1,2}\s*月|学期|暑假|寒假|开学|每年/,
  },
  // a duration / count of days or years
  {
    ask: /多久|多长时间|几年|几天|多少天|多少年|期限|多长/,
    has: /\d+\s*(年|天|个?工作日|个月)|[一二两三四五六七八九十]+\s*(年|天|个?工作日|个月)/,
  },
  // a place or an office
  {
    ask: /在哪|去哪|哪里|找谁|哪个部门|谁管|哪儿|什么地方|归谁|(回|到|在|去)[^ ]{0,3}(村|学校|乡|镇|县|银行)[^ ]{0,2}(报|办|申请)/,
    has: /中心|教育局|学校|村|社区|银行|部门|局|网上|线上/,
  },
  // how many people
  { ask: /多少人|多少名|几个人|名额/, has: /\d+\s*万?\s*(名|人)|万名/ },
  // a fee demanded or money asked for first: is it a scam?
  {
    ask: /手续费|保证金|激活费|解冻费|好处费|先交|先转|交[^ ]{0,4}(钱|费|块)|转账|加[^ ]{0,2}微信|骗|链接|验证码/,
    has: /诈骗/,
  },
];

/**
 * Variants of one programme that a heading names (住校 / 不住校, 省内 / 省外, 本专科 / 研究生). When the question
 * names one side only, a passage whose heading names only the other side answers a different question.
 */
export const variants: readonly [RegExp, RegExp][] = [
  [/(?<![非不])(寄宿|住校|住读)/, /非寄宿|不住校|走读/],
  [/省内/, /省外/],
  [/研究生|读研|考研|硕士|博士/, /本专科|本科|专科|大专|高职/],
];
/**
 * Groups a heading may be about ("孤儿上大学有什么补助", "脱贫户孩子的雨露计划"). A question that names neither the
 * group nor the passage's programme ("读大专有什么补助") is not asking about that group.
 */
export const groups = [
  "孤儿",
  "残疾",
  "低保",
  "脱贫",
  "监测",
  "特困",
  "事实无人抚养",
  "退役士兵",
  "烈士",
  "单亲",
  "留守",
];

/** Words too general to show a question is about student aid, even though the KB uses them. */
export const genericWords = new Set([
  "孩子",
  "学生",
  "学校",
  "家长",
  "家庭",
  "国家",
  "政府",
  "农村",
  "城市",
  "县里",
  "本县",
  "时间",
  "每年",
  "一年",
  "多少",
  "什么",
  "怎么",
  "可以",
  "需要",
  "没有",
  "有没有",
  "知道",
  "上学",
  "读书",
  "工作",
  "电话",
  "户口",
  "证明",
  "身份证",
  "银行",
  "老师",
  "村里",
  "社区",
  "乡镇",
  "医院",
  "保险",
  "今年",
  "明年",
  "分数",
  "考试",
  "中考",
  "高考",
]);

/** Words for student aid in general: they show the domain but name no particular programme. */
export const generalAidWords = new Set(["补助", "资助", "补贴", "助学", "学生资助", "资助政策", "减免"]);
