/**
 * How parents actually type (and how WeChat voice recognition hears them), mapped onto the words the knowledge
 * base uses. One table, read by core/policy/segment.ts when a *query* is prepared — knowledge-base text is never
 * rewritten. Entries are data, not code: add a row when an eval or a real conversation shows a miss.
 *
 * - `replace`: the colloquial/misheard form is swapped for the standard one before segmentation
 *   (typos, dialect function words). Longest `from` wins where two overlap.
 * - `expand`: the original stays and the `to` terms are added to the query with `weight` (default 0.8) —
 *   for words that are fine as they are but should also find the policy vocabulary ("住校" also means "寄宿").
 */
export interface SynonymRule {
  from: readonly string[];
  to: readonly string[];
  mode: "replace" | "expand";
  weight?: number;
}

export const synonyms: readonly SynonymRule[] = [
  // ── typos and voice-recognition slips (same sound, wrong character) ──
  { mode: "replace", from: ["货款", "代款", "待款", "贷歀", "袋款"], to: ["贷款"] },
  { mode: "replace", from: ["助学经", "助学京", "助学斤", "主学金", "注学金", "住学金", "祝学金", "助学今", "助学精", "组学金"], to: ["助学金"] },
  { mode: "replace", from: ["奖学经", "将学金", "讲学金", "奖学今", "奖学精"], to: ["奖学金"] },
  { mode: "replace", from: ["立志奖学金", "励志奖学经", "丽志奖学金"], to: ["励志奖学金"] },
  { mode: "replace", from: ["生原地", "声源地", "生源的", "生缘地", "升源地", "省源地"], to: ["生源地"] },
  { mode: "replace", from: ["低宝", "抵保", "底保", "低包", "滴保"], to: ["低保"] },
  { mode: "replace", from: ["建党立卡", "建档力卡", "见档立卡", "建挡立卡", "减档立卡", "建档例卡"], to: ["建档立卡"] },
  { mode: "replace", from: ["雨漏计划", "雨漏", "雨路计划", "雨陆计划", "语露计划", "鱼露计划", "雨鹿计划", "玉露计划", "雨露记划", "雨路"], to: ["雨露计划"] },
  { mode: "replace", from: ["两免一不", "两免一部", "两面一补", "俩免一补", "二免一补"], to: ["两免一补"] },
  { mode: "replace", from: ["绿色通到", "绿色同道", "绿色通导", "绿色通达"], to: ["绿色通道"] },
  { mode: "replace", from: ["公式", "公使", "公事期"], to: ["公示", "公示", "公示期"] },
  { mode: "replace", from: ["中值", "中直", "中枝"], to: ["中职"] },
  { mode: "replace", from: ["补住", "补主", "补祝"], to: ["补助"] },
  { mode: "replace", from: ["大斑", "大般"], to: ["大班"] },
  { mode: "replace", from: ["学积号", "学级号", "学记号", "学籍好"], to: ["学籍号"] },
  { mode: "replace", from: ["寄住生", "记宿生", "既宿生", "继宿生"], to: ["寄宿生"] },
  { mode: "replace", from: ["宽线期", "宽现期", "款限期"], to: ["宽限期"] },
  { mode: "replace", from: ["贴吸", "帖息"], to: ["贴息"] },
  { mode: "replace", from: ["保教废", "保教肥", "保交费", "宝教费"], to: ["保教费"] },
  { mode: "replace", from: ["一卡铜", "一卡同", "一咖通"], to: ["一卡通"] },
  { mode: "replace", from: ["支助", "咨助", "滋助"], to: ["资助"] },
  { mode: "replace", from: ["残急", "残积"], to: ["残疾"] },
  { mode: "replace", from: ["送教上们", "送交上门", "送叫上门"], to: ["送教上门"] },
  { mode: "replace", from: ["营养餐计划", "营养计划"], to: ["营养改善计划"] },

  // ── dialect and colloquial function words ──
  { mode: "replace", from: ["俺们", "俺家", "阿拉", "我们家", "我家里", "屋里", "屋头"], to: ["我家"] },
  { mode: "replace", from: ["俺"], to: ["我"] },
  { mode: "replace", from: ["有没得", "有冇", "有木有", "有没", "有莫得", "有不有"], to: ["有没有"] },
  { mode: "replace", from: ["莫得", "冇得", "没得", "冇"], to: ["没有"] },
  { mode: "replace", from: ["咋个办", "咋办", "咋整", "咋弄", "咋搞", "啷个办", "怎么搞", "怎么弄", "么办"], to: ["怎么办"] },
  { mode: "replace", from: ["咋个", "咋样", "咋", "啷个", "怎个", "怎样", "如何"], to: ["怎么"] },
  { mode: "replace", from: ["啥子", "么子", "哈子", "啥"], to: ["什么"] },
  { mode: "replace", from: ["好多钱", "几多钱", "几钱", "多少米"], to: ["多少钱"] },
  { mode: "replace", from: ["晓得", "知不知道"], to: ["知道"] },
  { mode: "replace", from: ["娃娃", "娃子", "伢子", "细伢子", "伢", "崽崽", "崽", "小孩子", "小孩", "孩儿", "娃", "孩"], to: ["孩子"] },
  { mode: "replace", from: ["闺女", "女儿", "儿子", "孙子", "孙女", "外孙女", "外孙", "小儿子", "大儿子", "小女儿", "大女儿", "丫头", "姑娘", "小子"], to: ["孩子"] },
  { mode: "expand", from: ["住读", "住宿在学校", "在学校住", "在学校住宿", "住学校"], to: ["住校", "寄宿"] },
  { mode: "expand", from: ["念书", "读书", "上学"], to: ["上学", "就读"], weight: 0.3 },
  { mode: "expand", from: ["技校", "职高", "职中", "职校", "中专", "职业高中", "中等职业学校", "中等职业教育", "技工学校", "技工院校", "职业学校"], to: ["中职"] },
  { mode: "expand", from: ["大专", "高职", "专科", "本科", "本科生", "专科生", "研究生", "大一", "大二", "大三", "大四", "大学生", "上大学", "读大学", "考上大学", "考起大学", "录取通知书"], to: ["大学", "高校"], weight: 0.7 },
  { mode: "expand", from: ["高一", "高二", "高三", "普高", "读高中", "上高中", "高中生"], to: ["高中", "普通高中"], weight: 0.8 },
  { mode: "expand", from: ["初一", "初二", "初三", "读初中", "上初中", "初中生"], to: ["初中", "义务教育"], weight: 0.8 },
  { mode: "expand", from: ["一年级", "二年级", "四年级", "五年级", "六年级", "读小学", "上小学", "小学生"], to: ["小学", "义务教育"], weight: 0.5 },

  // ── words that should also find the policy vocabulary ──
  { mode: "expand", from: ["住校", "住宿"], to: ["寄宿", "寄宿生"] },
  { mode: "expand", from: ["走读", "不住校", "回家住"], to: ["非寄宿生"] },
  { mode: "expand", from: ["大班", "中班", "小班", "幼儿园", "上幼儿园", "学前班"], to: ["学前", "幼儿园"] },
  { mode: "expand", from: ["保育费", "保育教育费", "托费", "入园费", "园费"], to: ["保教费"] },
  { mode: "expand", from: ["饭钱", "伙食费", "吃饭", "午饭", "中午饭", "伙食", "饭菜", "饭卡"], to: ["营养", "膳食", "生活补助"], weight: 0.5 },
  { mode: "expand", from: ["课本", "书本", "书本费", "书费", "买书"], to: ["教科书", "免费"] },
  { mode: "expand", from: ["学杂费", "学费", "杂费"], to: ["免学费", "免学杂费"], weight: 0.4 },
  { mode: "expand", from: ["补贴", "补钱", "补的钱", "给钱", "发钱", "国家给的钱", "国家的钱", "政府的钱", "贴补", "钱补"], to: ["补助", "资助"] },
  { mode: "expand", from: ["钱"], to: ["补助", "资助", "助学金"], weight: 0.35 },
  { mode: "expand", from: ["多少钱", "多少", "标准", "几钱", "金额", "额度", "能领多少", "能拿多少", "给多少", "补多少"], to: ["标准", "多少", "元"], weight: 0.4 },
  { mode: "expand", from: ["能不能", "可不可以", "能否", "符合", "够不够", "资格", "条件", "哪些人", "谁能", "什么人", "什么样的"], to: ["对象", "条件", "谁能"], weight: 0.4 },
  { mode: "expand", from: ["怎么申请", "怎么办理", "怎么领", "去哪", "在哪", "哪里", "找谁", "流程", "手续", "申报", "报名"], to: ["申请", "办理", "流程"], weight: 0.4 },
  { mode: "expand", from: ["材料", "证明", "资料", "带什么", "准备什么", "要什么"], to: ["材料", "证明", "承诺"], weight: 0.5 },
  { mode: "expand", from: ["什么时候", "几月", "几号", "哪天", "多久", "时间", "何时"], to: ["时间", "每年", "月"], weight: 0.35 },
  { mode: "expand", from: ["贷款"], to: ["助学贷款"], weight: 0.5 },
  { mode: "expand", from: ["助学贷款", "生源地"], to: ["国家助学贷款"], weight: 0.4 },
  { mode: "expand", from: ["还钱", "还款", "还贷", "几号还", "扣款", "扣钱"], to: ["还款", "结息"] },
  { mode: "expand", from: ["利息", "利率", "息"], to: ["贴息", "利率", "利息"], weight: 0.5 },
  { mode: "expand", from: ["卡", "银行卡", "社保卡", "存折", "账户", "打到", "打哪", "打在"], to: ["一卡通", "银行卡", "社保卡", "发放"], weight: 0.5 },
  { mode: "expand", from: ["奖金", "奖励"], to: ["奖学金"], weight: 0.5 },
  { mode: "expand", from: ["骗子", "骗", "先交钱", "先交", "手续费", "保证金", "转账", "打电话说", "激活费", "解冻", "激活银行卡", "点链接", "链接", "密码", "验证码", "atm", "短信说", "接到电话", "陌生电话", "加我微信", "材料费", "工本费", "交了才", "不然名额", "名额就没"], to: ["诈骗", "不收", "费用"] },
  { mode: "expand", from: ["扣了", "抵扣", "抵欠", "欠费", "欠的学费", "欠学费", "扣钱", "扣掉", "抵学费"], to: ["抵欠费", "欠费", "抵扣"] },
  { mode: "expand", from: ["当着全班", "当着大家", "当着同学", "当众", "全班面前", "上台讲", "比谁穷", "比穷"], to: ["当众", "诉苦", "隐私"] },
  { mode: "expand", from: ["还挂着", "还挂在", "挂在网上", "一直挂", "没撤", "不撤", "还贴着", "还在墙上"], to: ["撤下", "撤", "公示期"] },
  { mode: "expand", from: ["不识字", "不会写", "不会填", "不懂填", "看不懂", "眼睛不好", "眼花"], to: ["怎么填", "班主任", "学校"], weight: 0.6 },
  { mode: "expand", from: ["几档", "分几档", "档次", "几个档", "几个档次"], to: ["分档", "档"] },
  { mode: "expand", from: ["延期", "还不上", "还不起", "缓还", "晚点还", "推迟还"], to: ["延期", "本金延期"] },
  { mode: "expand", from: ["最少", "最低", "起码", "至少"], to: ["最少", "下限", "不低于"], weight: 0.6 },
  { mode: "expand", from: ["最多", "最高", "上限", "顶多"], to: ["最多", "不超过"], weight: 0.6 },
  { mode: "expand", from: ["贫困户", "穷", "困难户", "家里困难", "家庭困难", "没钱", "经济困难", "条件不好", "条件差"], to: ["家庭经济困难", "困难学生"], weight: 0.6 },
  { mode: "expand", from: ["脱贫户", "监测户", "监测对象", "边缘户"], to: ["脱贫", "监测", "建档立卡"], weight: 0.6 },
  { mode: "expand", from: ["残疾证", "残疾人", "残障", "智障", "瘫痪"], to: ["残疾"] },
  { mode: "expand", from: ["没爹没妈", "父母双亡", "没有父母", "爹妈都不在"], to: ["孤儿", "事实无人抚养"] },
  { mode: "expand", from: ["爹妈不管", "没人管", "父母不管", "没人养"], to: ["事实无人抚养"] },
  { mode: "expand", from: ["留守"], to: ["留守儿童"] },
  { mode: "expand", from: ["名单", "公布", "张榜", "贴出来"], to: ["公示"], weight: 0.5 },
  { mode: "expand", from: ["没评上", "评不上", "没选上", "落选", "没通过", "被刷"], to: ["异议", "认定", "评议"], weight: 0.6 },
  { mode: "expand", from: ["不服", "不公平", "有意见", "不对", "投诉", "举报", "反映", "申诉"], to: ["异议", "举报", "申诉"], weight: 0.6 },
  { mode: "expand", from: ["交不起", "交不上", "交不齐", "没钱交", "凑不齐", "付不起"], to: ["绿色通道", "困难"], weight: 0.7 },
  { mode: "expand", from: ["报到", "开学报到", "入学报到"], to: ["绿色通道", "新生"], weight: 0.5 },
  { mode: "expand", from: ["路费", "车费", "交通费"], to: ["新生入学资助", "交通费"] },
  { mode: "expand", from: ["上不了学", "去不了学校", "不能上学", "不能到校", "没法上学"], to: ["送教上门"] },
  { mode: "expand", from: ["认定", "评贫困生", "贫困生"], to: ["家庭经济困难学生认定"], weight: 0.6 },
  { mode: "expand", from: ["补认定", "突发", "出事", "生大病", "重病", "大病", "受灾", "遭灾", "遭了灾", "灾害", "洪水", "火灾", "地震", "房子倒", "房子冲", "车祸", "住院", "去世", "得了病", "癌", "白血病"], to: ["突发", "动态调整", "认定"], weight: 0.6 },
  { mode: "expand", from: ["农业农村局", "乡村振兴局", "扶贫办"], to: ["雨露计划"], weight: 0.5 },
];

/**
 * Words that carry no retrieval meaning in a parent's question ("那个……就是……嗯"). Removed from queries only.
 * Longer first; single characters only where they are never part of a policy term.
 */
export const fillers: readonly string[] = [
  "请问一下", "请问", "问一下", "问下", "想问问", "想问", "想咨询一下", "想咨询", "咨询一下", "咨询",
  "麻烦您", "麻烦你", "麻烦", "您好", "你好", "老师好", "领导好", "同志", "谢谢您", "谢谢你", "谢谢",
  "那个", "就是说", "就是", "然后", "这个", "嗯嗯", "嗯", "啊", "呃", "哦", "噢", "唉", "哎", "呀", "嘛", "哈",
  "吧", "呢", "啦", "咧", "哇", "喔", "哟", "吗",
];

/**
 * Policy terms the segmenter must keep whole even before the knowledge base names them (the KB's own titles,
 * keywords and synonyms are added at index time).
 */
export const domainTerms: readonly string[] = [
  "助学金", "国家助学金", "奖学金", "国家奖学金", "励志奖学金", "国家励志奖学金", "助学贷款", "国家助学贷款",
  "生源地", "生源地信用助学贷款", "校园地", "校园地国家助学贷款", "信用助学贷款", "共同借款人", "贴息", "宽限期", "结息",
  "还款", "利率", "利息", "续贷", "回执校验码", "受理证明", "国家开发银行", "开发银行",
  "低保", "最低生活保障", "特困", "特困供养", "建档立卡", "脱贫户", "脱贫", "监测对象", "防止返贫", "孤儿",
  "事实无人抚养", "残疾", "残疾学生", "残疾人", "烈士子女", "优抚", "留守儿童", "单亲",
  "家庭经济困难", "经济困难", "困难学生", "困难认定", "家庭经济困难学生认定", "特别困难", "一般困难",
  "中职", "中专", "技校", "职高", "高职", "普通高中", "高中", "义务教育", "初中", "小学", "学前", "幼儿园",
  "学前教育", "本专科", "研究生", "大学", "高校", "新生", "寄宿", "寄宿生", "非寄宿生", "住校",
  "两免一补", "免学费", "免学杂费", "学杂费", "学费", "住宿费", "伙食费", "保教费", "保育教育费", "教科书",
  "生活补助", "生活费", "营养改善计划", "营养餐", "膳食补助", "雨露计划", "雨露", "绿色通道", "新生入学资助", "送教上门",
  "一人一案", "随班就读", "特殊教育", "公示", "公示期", "异议", "申诉", "举报", "诈骗", "手续费",
  "一卡通", "社保卡", "银行卡", "资助卡", "惠民惠农", "学籍", "学籍号", "资助管理中心", "学生资助管理中心",
  "资助中心", "教育局", "农业农村局", "乡村振兴", "申请表", "书面承诺", "承诺书", "证明材料", "补助", "资助",
  "补助标准", "资助标准", "涉农专业", "热线", "工作日", "一次性", "按学期", "动态调整",
  "贷款", "补贴", "助学", "贫困生", "贫困户", "困难户", "减免", "免费教育", "资助政策", "学生资助", "资助通",
];
