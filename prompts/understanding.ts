/**
 * The vocabulary the assistant's understanding step reads (core/assistant/understand.ts): which programme a
 * question is about, which aspect of it (how much, who, how, where, when …), the school level and the household
 * category. Data, not code: the patterns are matched against the question after normalisation
 * (core/policy/segment.ts `canonical`, which already swaps dialect words: 咋 → 怎么, 啥 → 什么, 娃 → 孩子).
 *
 * Programme ids are the `topics` the knowledge base tags its entries with (prompts/kb/*.md front matter), so a
 * programme understood in a question is matched to passages by tag, before any word counting.
 */

export interface ProgrammeVocab {
  /** The id the KB's `topics` use. */
  id: string;
  /** What a parent may call it (regex source). Checked in order; the first programme listed wins ties. */
  say: string;
  /** The words added to a follow-up's query to carry the topic ("一年多少钱" after 雨露计划). */
  query: string;
  /** School levels the programme belongs to (a follow-up naming another level leaves the programme). */
  levels?: readonly Level[];
  /**
   * How a parent names the programme outright (regex source). When it is named for a school level it does not
   * have ("雨露计划 小学生能领多少"), the grid has no cell: the answer says so and offers a person.
   */
  explicit?: string;
  /** Narrower programmes this one includes: a general loan question is also answered by 生源地 / 校园地 passages. */
  covers?: readonly string[];
}

export type Level = "学前" | "小学" | "初中" | "普高" | "中职" | "大学";

/** Most specific first: 生源地 before 助学贷款, 励志奖学金 before 奖学金. */
export const programmes: readonly ProgrammeVocab[] = [
  {
    id: "防诈骗",
    say: "诈骗|骗子|手续费|保证金|激活费|解冻费|验证码|点链接|(先|要|得)交.{0,4}(钱|费)|交.{0,4}(钱|费).{0,2}才(能|给|可以)",
    query: "防诈骗",
  },
  {
    id: "生源地贷款",
    say: "生源地|户籍(所在)?(县|地).{0,4}贷|在县里(办|贷)的.{0,3}贷款|家里(这边|那边)?(办|贷)的.{0,2}贷款",
    query: "生源地信用助学贷款",
    levels: ["大学"],
  },
  {
    id: "校园地贷款",
    say: "校园地|(在|到)(学校|大学|高校)(里|那边|那儿|那里)?(办|贷)|学校(办|贷)的.{0,2}贷款",
    query: "校园地国家助学贷款",
    levels: ["大学"],
  },
  {
    id: "助学贷款",
    say: "助学贷款|学贷|贷款|共同借款人|宽限期|贴息|还款|结息|续贷|国开行|开发银行",
    query: "国家助学贷款",
    levels: ["大学"],
    covers: ["生源地贷款", "校园地贷款"],
  },
  { id: "雨露计划", explicit: "雨露", say: "雨露", query: "雨露计划", levels: ["中职", "大学"] },
  {
    id: "营养改善计划",
    explicit: "营养改善计划|营养餐",
    say: "营养(改善|餐|午餐|早餐|计划)|膳食补助|午餐补助",
    query: "营养改善计划",
    levels: ["小学", "初中"],
  },
  {
    id: "学前免保教费",
    explicit: "保教费|保育教育费",
    say: "保教费|保育(教育)?费|免保教|大班.{0,6}(免|不要钱|免费)|学前一年",
    query: "学前一年免保育教育费",
    levels: ["学前"],
  },
  {
    id: "学前资助",
    say: "幼儿园.{0,8}(资助|补助|补贴)|学前.{0,4}(资助|补助)|(困难|孤儿|残疾).{0,4}(幼儿|儿童).{0,6}(资助|补助)",
    query: "学前教育资助",
    levels: ["学前"],
  },
  {
    id: "两免一补",
    explicit: "两免一补",
    say: "两免一补|(寄宿|非寄宿|住校|走读)(生)?.{0,8}(生活)?(补助|补贴|补多少|给多少|多少钱|领多少|钱)|生活补助|生活费补助|(义务教育|小学|初中).{0,6}生活(补助|费)",
    query: "两免一补 生活补助",
    levels: ["小学", "初中"],
  },
  {
    id: "义务教育免费",
    say: "学杂费.{0,6}(小学|初中|义务)|(小学|初中|义务教育).{0,8}(学杂费|学费|课本|教科书)|教科书|课本|字典",
    query: "义务教育 免学杂费 免费教科书",
    levels: ["小学", "初中"],
  },
  {
    id: "普高免学费传言",
    say: "(高中|普高).{0,10}(全免|都免|免费了|不要学费了|全部免)|免费(高中|普高)|十五五",
    query: "普通高中免学费传闻",
    levels: ["普高"],
  },
  {
    id: "普高免学杂费",
    say: "(高中|普高).{0,8}(免学杂费|免学费|学杂费|学费)|(免学杂费|免学费).{0,6}(高中|普高)",
    query: "普通高中免学杂费",
    levels: ["普高"],
  },
  {
    id: "普高助学金",
    explicit: "普通高中国家助学金|普高助学金",
    say: "(高中|普高|高一|高二|高三).{0,8}助学金|助学金.{0,6}(高中|普高)",
    query: "普通高中国家助学金",
    levels: ["普高"],
  },
  {
    id: "中职国家奖学金",
    say: "(中职|职高|技校|中专|职校).{0,8}(国家)?奖学金",
    query: "中职国家奖学金",
    levels: ["中职"],
  },
  {
    id: "中职助学金",
    explicit: "中职(国家)?助学金",
    say: "(中职|职高|技校|中专|职校|职中).{0,8}助学金",
    query: "中职国家助学金",
    levels: ["中职"],
  },
  {
    id: "中职免学费",
    say: "(中职|职高|技校|中专|职校|职中).{0,8}(学费|免费|免)",
    query: "中职免学费",
    levels: ["中职"],
  },
  { id: "励志奖学金", explicit: "励志", say: "励志", query: "国家励志奖学金", levels: ["大学"] },
  {
    id: "大学国家奖学金",
    say: "(大学|本科|专科|高校)?.{0,6}国家奖学金|国奖",
    query: "本专科国家奖学金",
    levels: ["大学"],
  },
  {
    id: "大学助学金",
    say: "(大学|本科|专科|大专|高职|高校|大一|大二|大三|大四).{0,8}助学金",
    query: "本专科国家助学金",
    levels: ["大学"],
  },
  { id: "新生入学资助", say: "路费|车费|交通费|新生入学资助|滋蕙", query: "新生入学资助 路费", levels: ["大学"] },
  {
    id: "绿色通道",
    explicit: "绿色通道",
    say: "绿色通道|先不交(钱|学费)[^ ]{0,4}(报到|入学)|不交(钱|学费)(也)?(能)?(报到|入学)|交不起学费|(学费|住宿费).{0,6}(交不起|交不上|交不齐|凑不齐)",
    query: "绿色通道",
    levels: ["大学"],
  },
  { id: "公示", say: "诉苦|当众|当着全班|隐私|比困|比穷|在班(上|里)讲|上台讲|讲家里", query: "公示 隐私" },
  { id: "异议", say: "异议|不公平|不服|申诉|举报|冒领|优亲厚友", query: "异议 举报" },
  {
    id: "困难认定",
    say: "(开|要|办|出)[^ ]{0,3}(贫困)?证明|认定|贫困生|困难生|评困难|困难学生资格|家庭经济困难学生|算不算困难|算(是)?困难(学生|户|家庭)?",
    query: "家庭经济困难学生认定",
  },
  {
    id: "残疾",
    // Also told by what the child lives with, as grandparents say it ("瘫在床上", "聋哑", "坐轮椅", "老师上门教").
    say: "残疾|残障|送教上门|一人一案|特殊教育|智障|瘫痪|瘫在床|脑瘫|聋哑|聋人|哑巴|盲人|失明|坐轮椅|自闭症|孤独症|唐氏|智力(障碍|低下|残疾|有问题)|肢体(残|障碍)|上门(教|上课|送教)|(老师|人)(到|来|上)家(里)?(教|上课)",
    query: "残疾学生",
  },
  {
    id: "孤儿",
    // Said the way grandparents say it: both parents gone, or one in prison and the other gone or unreachable.
    say: "孤儿|事实无人抚养|没爹没妈|没爹没娘|没爸没妈|没有爹娘|没有爸妈|父母双亡|(爹妈|爸妈|父母|爹娘|爸爸妈妈)(都|全|早|双双|早就)?(没了|不在了|去世|走了|死了|过世|没有了)|(爹妈|爸妈|父母|爹娘|爸爸妈妈|爹和妈|爸和妈)(都|全|早就|一直|从来)?(不管|不要|不养|扔下|丢下|撂下|甩给)|坐牢|服刑|判刑|蹲监狱|(爸|爹)[^ ]{0,2}(进去了|关进去了|抓进去了)|(妈|娘)[^ ]{0,2}改嫁|(妈|娘|爸|爹)[^ ]{0,3}(跑了|失联|下落不明|联系不上|不知去向)",
    query: "孤儿 事实无人抚养",
  },
  { id: "公示", say: "公示|名单", query: "公示" },
];

/** Aspects: what about the programme is asked. Order is priority when several match. */
export const ASPECTS = [
  "not_received",
  "objection",
  "combine",
  "materials",
  "payment",
  "where",
  "when",
  "amount",
  "purpose",
  "eligibility",
  "how",
  "what",
] as const;
export type Aspect = (typeof ASPECTS)[number];

export const aspectSay: Record<Aspect, string> = {
  not_received:
    "(没|没有|还没|一直没|咋没|怎么没)(收到|到账|到|发|打过来|见着|见到)|没见(着|到)|(一直|还|老|迟迟|总)不到(账)?|不到账",
  objection:
    "(名单|公示)[^ ]{0,6}没(有)?(我|我家|孩子)[^ ]{0,12}(明明|凭什么|凭啥)|(有车|有房|有楼|盖楼|买车|开车|小车|轿车|做生意|当官|村干部|干部家)[^ ]{0,8}(都|也|还|倒)?在(上面|名单上)|(开|有)(个)?(小卖部|商店|超市|厂|饭店|门面)[^ ]{0,8}(都|也|还|倒)?(评上|选上)|异议|不公平|不公正|不公|不服|申诉|不合理|有意见|提意见|举报|投诉|反映|优亲厚友|冒领|走后门|凭什么|凭啥|关系户|没评上[^ ]{0,10}(倒|却|反而)|(条件|家里)[^ ]{0,4}(好|比我家好|有钱)的?[^ ]{0,4}(倒|却|反而)?评上",
  combine:
    "(免了|免费了?)[^ ]{0,8}(补助|资助|这个|那个)还(有|能)|还(能|可以)(领|拿|享受)(这个|那个)|(这个|那个)[^ ]{0,4}还(能|可以)(领|拿|享受)|冲不冲|冲突(不|吗|么)|只能(要|拿|领|选|享受)一(样|个|种)|二选一|(能|可以)一起拿|再办|又办|还能.{0,8}再|同时|一起(拿|领|享受|申请)|兼得|叠加|都能(拿|领|享受)|都拿|都领|两个都|能不能都|可以都|重复(领|享受)|几样|一块(儿)?(享受|领|拿|办|申请|贷)|(能|可以)都(贷|办|领|拿|享受|要)|都(贷|办)(吗|不|么)|两(个|样|头)(都)?(贷|办|领|拿)",
  materials:
    "材料|证明|带什么|带啥|要带|准备什么|准备啥|资料|交什么材料|啥证|户口本|身份证复印件|带户口|准备.{0,2}东西",
  payment:
    "发到哪|打到哪|打哪|哪(张|个)卡|什么卡|啥卡|(打|发|存)到.{0,4}卡|卡上|现金|发现金|怎么发|咋发|钱(打|发)给谁|打给|发给(谁|家长|学生|学校)|放款|钱到哪|是打给|给学校还是|社保卡",
  where:
    "电话|热线|客服|号码|去哪|在哪|哪里|哪儿|什么地方|哪个部门|找谁|谁管|归谁管|(回|到|在|去)(村|学校|乡|镇|县)[^ ]{0,3}(报|办|申请)|跑县里",
  when: "评一回|评一次|一年一评|每(年|学年)(都)?(要)?(重新)?评|管到毕业|一直(有效|管用|算)|管几年|一回(发|给)完|一次(性)?(发|给)完|分(开|几回|几次|两次|两回|批|月|学期)(发|给)|按(月|学期)(发|给)|每(个)?月(发|给)|几次(发|给)|什么时候|啥时候|几时|几月|几号|哪天|哪个月|多久|多长时间|截止|开始|每年.{0,2}时候|啥时|何时|哪一年|几年|还有没有|多会(儿)?|多咱|啥会儿|明年(?![^ ]{0,6}(还|再|又)[^ ]{0,4}(跑|去|办|申请|来|贷))|今年还|以后还|到期|一次|几回|几次|多少回|多少次",
  amount:
    "(评|给|发|奖)(几个|多少个)|多少名额|几个名额|名额(多少|有几个)|多少钱|(?<!电话|热线|号码|号|电话号码|客服)多少|几块|几百|几千|几个钱|好多钱|几多|标准|额度|金额|补多少|给多少|领多少|拿多少|能贷多少|(补|给|领|拿|发|贷)(几|好多)|一年.{0,2}(钱|块)|减多少|免多少|包不包括|包括|含不含|免不免住宿|享受(什么|啥)|有(什么|啥|哪些)(补助|资助|补贴|钱)|一样多|都一样|分档|几档",
  purpose:
    "(用|花)(来|在)?(干|做)?(什么|啥)|干什么用|做什么用|用途|补的是什么|是补什么|能干什么|干啥用|是干啥的|管什么|补什么",
  eligibility:
    "每个(学生|人|孩子|娃)都(有|能|给|领)|人人(都)?(有|能)|是不是都有|谁都(有|能)|都有(吗|不|没|份)|哪些(人|学生|孩子)|什么人|什么样的|能不能(领|享受|申请|办|拿|免|算)|可以(领|享受|申请|办|免)吗|能(领|享受|申请|办|免|拿|评)(吗|不|么|没)|(领|拿|享受|评)得(到|了|上)|算不算|符合|条件|资格|有没有(份|资格)|有份|够不够|有没有(这个)?(补助|资助|补贴)|有(补助|资助|补贴)吗|有吗|免不免|要不要交|交不交|要交.{0,4}(吗|不)|要.{0,4}费.{0,2}(吗|不)|也(免|有)|(成绩|学习|分数)(好|高|优秀)[^ ]{0,4}(才|就)?(给|能|有|发|评)|看(成绩|分数)",
  how: "(明年|第二年|下一年)[^ ]{0,6}(还|再|又)[^ ]{0,4}(跑|去|办|申请|来|贷)|续(的时候|贷|办)|怎么(申请|办|办理|弄|报|领|评|认定)|如何(申请|办)|流程|手续|程序|步骤|申请|办理|报名|续贷",
  what: "是什么|什么意思|啥意思|是啥|什么叫|啥叫|怎么回事|真的假的|是真的|介绍",
};

/** School levels (regex source each); a grade names its level. */
export const levelSay: Record<Level, string> = {
  学前: "幼儿园|大班|中班|小班|学前|托班",
  小学: "小学(?!毕业)|[一二三四五六1-6]年级|一年级",
  初中: "初中(?!毕业)|初[一二三123]|七年级|八年级|九年级",
  普高: "高中|普高|高[一二三123](?!职)",
  中职: "中职|职高|技校|中专|职校|职中|技工",
  大学: "大学|本科|专科|大专|高职|高校|大[一二三四]|研究生|读研|考上大学",
};

/** Household categories (regex source each). */
export const householdSay: Record<string, string> = {
  低保: "低保|最低生活保障|特困",
  "脱贫/监测": "脱贫|建档立卡|监测(户|对象)|防返贫|边缘户|贫困户",
  残疾: "残疾|残障|残疾证|瘫痪|瘫在床|脑瘫|聋哑|盲人|失明|坐轮椅|自闭症|孤独症|智力(障碍|低下|残疾)",
  "孤儿/事实无人抚养":
    "孤儿|事实无人抚养|(爸|爹|妈|娘)[^ ]{0,2}(进去了|坐了牢|关进去)|改嫁|没爹没妈|父母双亡|没人管|没人养|(爹妈|爸妈|父母|爹娘)(都|全|早|双双)?(没了|不在了|去世|走了|死了|过世)|坐牢|服刑|判刑|(妈|娘|爸|爹)[^ ]{0,3}(跑了|失联|下落不明)",
  单亲: "单亲|离婚|离异|(爹|爸|妈|娘|父亲|母亲)(走|去世|不在|没)了",
  留守: "留守",
  城镇: "城里|城市户口|城镇户口|非农(户口)?|县城的|城里的",
  农村: "农村户口|农村的|农业户口|村里的",
  外出务工: "外出务工|外地打工|出去打工|在外(面|地)?打工|打工",
};

/** Boarding variant: the two sides of the 两免一补 grid. */
export const variantSay = {
  寄宿: "(?<![非不没])(寄宿|住校|住读|住宿生|住学校)",
  走读: "走读|非寄宿|(不|没|没有)住校|回家住|不住宿|(不|没)在学校住",
} as const;

/**
 * Messages that carry on the last topic even though they name no aspect of their own ("那…呢", "还有呢", "我都65了").
 * Matched against the whole message.
 */
export const followUpSay =
  "^(那|那么|还有|另外|再问|然后|那要是|要是|如果)|呢$|呢[?？]?$|^.{0,8}(了|嘞|咧)$|他爸|他妈|我也|爷爷|奶奶" +
  // Elliptical yes/no questions that lean on the last answer ("要去村里盖章不", "已经交了的能退不", "第二年还要跑一趟不").
  "|(不|没|没有|吗|么|嘛|不咯|没得)$|^(要|还要|还得|得|需要|用|能|可以|还能|也要|也能)|第二年|第二次|明年|下次|下学期|以后|之后|毕业|再办|还要" +
  // What to bring or do, said in a few words ("那要带啥", "带什么").
  "|(带|拿|交|准备|填)(啥|什么|哪些)";

/** A programme named after a combine answer ("跟国家奖学金呢"), or "this one" next to a new programme ("跟这个能一起享受不"). */
export const combineCues = {
  withOther: "^(那)?(跟|和|与|同|加上|再加)",
  thisOne: "这个|这项|这样|它|前面那个|刚才那个|上面那个|那(个)?(补助|资助)|这(个)?(补助|资助)",
} as const;

/** "还能申请点啥", "还有啥补助": what the level under discussion has, all of it. */
export const whatElseSay =
  "除了(这个|这些|那个)[^ ]{0,3}(还有|还能|还可以)|还有(别的|其他|其它)(的)?(补|资助|补助|补贴|钱)|还(能|可以)(申请|领|享受|办|拿)(点|些|其他|别的)?(啥|什么|哪些)|还有(啥|什么|哪些|别的|其他)(补助|资助|补贴|能申请|可以申请|能领|可以领|政策|帮扶)|(别的|其他)(还有)?(啥|什么)?(补助|资助)(还有)?(吗|没|不)?$";
export const overviewQuery = "能享受哪些资助";
/** The knowledge-base topic of the all-levels overview (prompts/kb/aid-overview.md). */
export const overviewProgramme = "资助政策总览";

/** Two-part questions: a message is split before one of these when both sides name a level or a variant. */
export const partSeparators = "[，,；;。 ]|还有|另外|以及|(?<=[校读])(老[二三四幺]|小的|大的)";

/**
 * Domain words that a voice-input slip is corrected to when it sounds the same (core/assistant/homophones.ts):
 * 身缘地 → 生源地, 两面一补 → 两免一补, 玉露 → 雨露, 立志 → 励志, 建档里卡 → 建档立卡, 低包户 → 低保户. Words of two
 * characters are corrected only when listed in `shortHomophones` (two-syllable words collide too often).
 */
export const homophoneVocabulary: readonly string[] = [
  "生源地",
  "校园地",
  "助学贷款",
  "信用助学贷款",
  "共同借款人",
  "宽限期",
  "助学金",
  "奖学金",
  "励志奖学金",
  "国家助学金",
  "两免一补",
  "雨露计划",
  "建档立卡",
  "低保户",
  "脱贫户",
  "监测户",
  "营养餐",
  "营养改善计划",
  "保教费",
  "保育教育费",
  "绿色通道",
  "送教上门",
  "寄宿生",
  "非寄宿生",
  "一卡通",
  "社保卡",
  "学籍号",
  "免学杂费",
  "免学费",
  "生活补助",
  "事实无人抚养",
  "家庭经济困难",
  "困难认定",
  "资助中心",
  "公示期",
  "贫困生",
];
export const shortHomophones: readonly string[] = ["雨露", "励志", "低保", "贴息", "公示"];

/**
 * The programme a question means when it names a school level and asks how much without naming a programme
 * ("低保户孩子上初中补多少" → the 两免一补 living allowance): the level's main need-based grant.
 */
export const levelProgramme: Record<Level, string> = {
  学前: "学前资助",
  小学: "两免一补",
  初中: "两免一补",
  普高: "普高助学金",
  中职: "中职助学金",
  大学: "大学助学金",
};
/** The programme whose amounts differ for boarders and day pupils: "住校的话呢" after 营养餐 asks about it. */
export const variantProgramme = { id: "两免一补", levels: ["小学", "初中"] as readonly Level[] };

/** "有啥补贴都给我说说", "明年上大学了 有啥": what a school level has, all of it (the overview), not one programme. */
export const whatAvailableSay =
  "有(啥|什么|哪些)(补助|补贴|资助|政策|钱|帮扶)?(吗|呢|没|啊|呀)?$|(啥|什么|哪些)(补助|补贴|资助|政策)都|都有(啥|什么|哪些)(补助|补贴|资助|政策)";

/** The fee waiver of each school level: "学费要交不" after any programme of that level. */
export const levelFeeProgramme: Record<Level, string | undefined> = {
  学前: "学前免保教费",
  小学: "两免一补",
  初中: "两免一补",
  普高: "普高免学杂费",
  中职: "中职免学费",
  大学: undefined,
};
/** Asking whether a fee is paid ("学费要交不", "还收学杂费吗"). */
export const feeAskSay = "(学费|学杂费|保教费)[^ ]{0,4}(交|免|收|要钱|花钱)|(交|收|免)[^ ]{0,2}(学费|学杂费|保教费)";
/** The programme a household category has of its own, and the words of its other help, for "还有啥补贴" after it. */
export const householdProgramme: Record<string, { programme: string; query: string } | undefined> = {
  "孤儿/事实无人抚养": { programme: "孤儿", query: "孤儿 能享受哪些资助 基本生活费 民政" },
  残疾: { programme: "残疾", query: "残疾儿童 能享受哪些资助" },
};

/** Words that make a question one about money for the child (so `levelProgramme` applies). */
export const moneyWords = "补|钱|资助|助学金|补贴|给多少|领多少";

/**
 * What the learned intent classifier (core/assistant/classifier.ts) may decide only when the message also has one of
 * these words: a question of the domain, or the asker's own money — never a phone-number lookup or a farm price.
 */
export const learnedIntentGate = {
  policy: "补|助学|贷|学费|资助|免|奖学|认定|公示|低保|脱贫|残疾|孤儿|幼儿园|上学|读书|学校",
  status: "钱|补助|助学金|资助|到账|发|卡|奖学金|贷款|名单|公示",
  handoff: "人|老师|领导|负责|管事|工作人员|当面|上门|联系我|找我|打给我|回电话|回个电话",
} as const;

/** How an aspect is named when the assistant says it has no passage for it ("没有查到中职国家助学金专门的材料规定"). */
export const aspectLabel: Partial<Record<Aspect, string>> = {
  materials: "材料清单",
};

/**
 * Added to the search when a question asks what school costs ("上学要交钱不"): the fee waivers answer it, not the
 * scam warning that "交钱" alone would find.
 */
export const schoolCostQuery = "免学杂费 免费教科书 免学费";

/**
 * Aspects answered by one entry for every programme: an objection about 困难认定, 雨露 or 助学金 is answered by the
 * objections entry (its topic) when the programme has no passage of its own on it.
 */
export const aspectHome: Partial<Record<Aspect, string>> = { objection: "异议" };
/** Programmes whose questions on the aspect always go to its home: an objection to a 公示 list is the objections entry's. */
export const aspectHomeFor: Partial<Record<Aspect, readonly string[]>> = { objection: ["公示"] };
/** Paying asked about in so many words ("要交钱不"): the words that would otherwise find the scam warning. */
export const feeWords = "交[^ ，,]{0,3}(钱|费)|收钱|花钱|要钱|掏钱";

/**
 * What a school does with the money or asks for it, said in everyday words: the words the knowledge base answers
 * it under are added to the search (and make the message one of this domain). "学校说抵了去年欠的住宿费", "老师
 * 要收办卡钱" are about aid rules (never offset, never a card fee), however they are put.
 */
export const queryCues: readonly { say: string; query: string }[] = [
  {
    // Textbooks ("书要自己买不"): free for every pupil in compulsory school.
    say: "(书|课本|教材|教科书|书本)[^ ]{0,4}(自己买|要买|要钱|花钱|收钱|免费|交钱)",
    query: "免费教科书",
  },
  {
    // Who decides ("谁审"): the school's review, then the county centre.
    say: "^(那)?(是)?谁(审|批|评|定|来审|来评|审核|说了算)",
    query: "审核 评审 学校 县学生资助管理中心",
  },
  {
    // Fees paid before they were waived, told without asking outright ("三千多都交了 现在说免了").
    say: "(交|缴)(了|过)[^ ]{0,12}(现在|又|后来)?说(免|不要钱|不收)",
    query: "已经交了 能退吗 退还",
  },
  {
    // The code the school asks for at registration: the loan's receipt code.
    say: "(报到|学校|入学)[^ ]{0,8}(码|回执)|回执(码|校验码)",
    query: "受理证明 回执校验码",
  },
  {
    // Filling in the form ("俺不识字 那个表咋填"): how the application form is filled, and who helps.
    say: "填表|(那个|这个|申请)?表[^ ]{0,2}(怎么|咋)填|申请表",
    query: "申请表 怎么填",
  },
  {
    // Checking one's own money or progress, asked how ("那我自己能在哪查").
    say: "(在哪|去哪|哪里|怎么|咋)(能|可以|才能)?查|(自己|我)(能|可以)?(查|看)(到)?(吗|不)?$",
    query: "怎么查到账 查进度 绑定孩子",
  },
  {
    // Where aid money goes, asked with nothing named ("你就说一般打到哪").
    say: "(钱|补助|资助)?(一般|通常|都)?(打|发|转)到哪(张|个)?(卡|里|儿)?",
    query: "资助的钱 打到哪张卡 一卡通",
  },
  {
    // Renewing a loan ("续的时候还要去县里不").
    say: "续(的时候|贷|办|签)",
    query: "续贷 网上办",
  },
  {
    // An age given as the question ("我都65了", "奶奶55岁"): the age limits (共同借款人 25–60 周岁).
    say: "(都|已经|快)?([2-9]\\d|[二三四五六七八九]十[一二三四五六七八九]?)(岁|了|多岁)",
    query: "年龄 周岁",
  },
  {
    // The Ministry's student-aid hotline.
    say: "教育部[^ ]{0,6}(热线|电话)|全国[^ ]{0,4}资助[^ ]{0,4}(热线|电话)|高校[^ ]{0,4}资助[^ ]{0,4}(热线|电话)",
    query: "教育部 高校学生资助热线 电话",
  },
  {
    // Doing it again next year ("明年还得再跑一趟不"): renewing (续贷 online for the loan).
    say: "(明年|第二年|下一年|以后|每年)[^ ]{0,6}(还|再|又)[^ ]{0,4}(跑|去|办|申请|来|贷)",
    query: "第二年 续贷 再办",
  },
  {
    // Fees paid before a fee was waived: "保教费都交过了 现在又说大班免 这钱能退回来不".
    say: "(交|缴)(过|了)[^ ]{0,12}(退|退回|退还|返还)|(退|返)(回来|还|钱|费)[^ ]{0,4}(不|吗|么|没)|能(不能)?退",
    query: "已经交了 能退吗 退还",
  },
  {
    // "不会绑 你就说说一般啥时候发吧": when aid is usually paid, asked with nothing else named — in this service, aid.
    say: "^(我)?(不会绑(定)?|绑不了)?(那)?(你)?(就)?(说说|讲讲)?(钱|补助|资助)?(一般|通常|大概|大约|都是)?(钱|补助|资助)?(什么时候|几月|哪个月|多久)(发|给|到账|打款|打钱|发钱|发放|下来)(钱)?(吧|呢|啊|呀)?$",
    query: "资助的钱 多久发一次 发放时间",
  },
  {
    // Aid money kept back against fees owed.
    say: "(抵|扣|顶|冲)[^ ]{0,6}(欠|学费|住宿费|书本费|伙食费|资料费|费用|欠费)|欠[^ ]{0,6}(费|钱)[^ ]{0,6}(抵|扣|顶|冲)",
    query: "资助的钱能被学校拿去抵欠费 不得抵扣",
  },
  {
    // A fee for the card the aid is paid to.
    say: "(收|要|交|掏)[^ ]{0,4}(办卡|开卡|卡费|工本费)|(办卡|开卡|办张卡)[^ ]{0,3}(钱|费|要钱|收钱)|(办|开)[^ ]{0,3}卡[^ ]{0,3}(的)?(钱|费)",
    query: "办资助卡 卡费 押金 不收",
  },
];
