/**
 * What the safety checks read (cues) and what they say (replies). core/assistant/guardrails.ts holds only the logic
 * that combines the cues; every word lives here so the vocabulary can be reviewed by people who never read the code.
 *
 * Cues are matched against the *compact canonical* text (core/policy/segment.ts `canonical`, spaces removed):
 * simplified characters, dialect words already mapped (娃 / 闺女 / 孙女 → 孩子, 俺 → 我, 咋办 → 怎么办, 啥 → 什么),
 * and also against the compact raw text, so a rewrite rule can never hide a crisis.
 *
 * Recall comes first for a crisis: a false alarm costs a parent two lines of phone numbers, a miss can cost a child.
 * When unsure, a cue belongs in `concern` (the numbers are added to the ordinary answer) rather than nowhere.
 */

/** A child as the object of what is done ("打我家孩子", "叫她去"), after canonical rewriting. */
const CHILD = "(我家|我的|我|自家|俺)?(孩子|他|她|女孩|女生|男孩|男生|学生|小姑娘|小孩|闺女|儿子|女儿|孙女|孙子|娃)";
/** Someone who hurts ("叫人打了", "被几个大孩子围着打"): any short phrase between the passive marker and the verb. */
const BY = "(被|叫|让|给|遭|挨)";
/** What never follows a beating: money, a call, an application sent back, a vaccine. */
const NOT_HARM_AFTER = "(?![^ ]{0,2}(钱|款|电话|卡|针|疫苗|回来|回去|过来|到|进|算|招呼|工|分|字|印|包|车|申请|报告|证明|条|单|表))";

export const crisisCues = {
  /** Self-harm said plainly, by method, or as a goodbye (a child by the river texting "对不起我们"). */
  selfHarm: [
    /想死|不想活|活不下去|活不成了|活着没意思|活着没劲|活着有什么意思|不如死了|死了算了|死了好|寻死|自杀|轻生|自残|伤害自己|结束(自己的?)?生命|要去死|想去死|想不开|不活了|没法活|活够了|一了百了|离开这个世界|不想醒来|遗书|遗言|不想(再)?(活|存在)|(想|要)消失|消失算了|活着(太|好|真|很|挺)?(累|苦|痛苦|难受)/,
    /跳楼|跳河|跳江|跳桥|跳崖|跳水库|跳井|卧轨|上吊|烧炭|割腕|喝农药|喝药|喝了药|农药|百草枯|敌敌畏|老鼠药|安眠药|吞了?药|吃了?一(瓶|把)药|划(自己|手|胳膊)|拿刀.{0,6}(划|割|捅)(自己)?/,
    /(以后|再也)不能(照顾|陪|孝顺|养)(你们|你|爸|妈|爷|奶|弟|妹|家)|照顾好(自己|你们自己|弟弟|妹妹|爷爷|奶奶|爸|妈|家里)|下辈子(再)?(做|报答|孝顺|还)|来世|永别|(再见|别了)(了)?(爸|妈|爷|奶|你们|大家)|最后一次(给你们|跟你们|和你们|叫)|交代后事|对不起(我们|你们|爸|妈|爷|奶|家里|大家|全家)|(别|不要|不用)(再)?(找|等|管)我了|没有(我|她|他)[^ ]{0,5}(更好|轻松|省心|好过)|拖累(你们|家里|大家|爸妈)|(是|成了)(个)?累赘|想解脱|(不想上学)[^ ]{0,3}(也)?不想(活|过)/,
    /(东西|手机|衣服|玩具|零花钱|存的钱|书|宝贝)[^ ]{0,4}(都|全|全部)?(送|分|给)(了|掉)?(人|同学|弟弟|妹妹|别人|朋友)|(送|分)(给)?(人|同学|别人)[^ ]{0,2}(了)?(东西|手机|衣服|玩具)/,
    /(坐|站|蹲|待|呆|一个人|趴)[^ ]{0,2}(在)?(河|江|湖|水库|池塘|塘|桥|楼顶|天台|崖|悬崖|铁轨|井)(边|上|头|口)?[^ ]{0,8}(不回|不肯|不走|不下来|哭|发消息|发短信|发微信|说|对不起)|(河|江|水库|塘|桥|楼顶|天台|楼顶上|阳台)(边|上)?[^ ]{0,6}(不回来|不肯|不愿|不下来|不回家|不走|坐着不动|一直哭|哭)/,
  ],

  /** Violence and injury done to someone (dialect passives 叫 / 让 / 给 as well as 被). */
  violence: [
    new RegExp(`${BY}[^ ]{0,10}?(围着|按着|摁着|按在地上|摁在地上)?(打|揍|踢|砍|捅|扇|掐|殴打|围殴|暴打|毒打|痛打|打骂|拳打脚踢)(了|伤|破|哭|晕|得|成|一顿|住院|残|肿|出血|流血)${NOT_HARM_AFTER}`),
    /打架|打群架|群殴|围殴|斗殴|暴打|毒打|殴打|打伤|打残|砍伤|捅伤|刺伤|踢伤|烫伤了?(孩子|他|她)|打得(头|脸|鼻子|嘴|眼睛|满|浑身|住院|起不来|站不起|走不了|出血|流血)|拿刀|动刀|持刀|砍人|捅人|要(杀|砍|捅|弄死|打死)|打死|弄死|威胁要|恐吓|敲诈|勒索|保护费|抢(了)?(孩子|他|她)?的?(钱|手机)|家暴|虐待|拐卖|被拐|绑架|威胁要杀|要杀了/,
    new RegExp(`(打|揍|踢|扇|掐)(了)?${CHILD}[^ ]{0,3}(一顿|耳光|巴掌|出血|流血|头|脸)`),
  ],

  /** Injury or an emergency happening now. With a violence cue or no aid question: a crisis; otherwise a concern. */
  injury: [
    /流血|出血|流了?(好多|很多|一地|满脸)?血|满(脸|头|身)(是)?血|头破|打破(了)?头|头上[^ ]{0,3}(破|口子|血|肿|包)|骨折|打断(了)?(腿|手|胳膊|肋骨|鼻梁)|缝了?[\d一二三四五六七八九十几]*针|昏迷|晕过去|晕倒|叫不醒|没(有)?(了)?呼吸|抽搐|口吐白沫|不省人事/,
  ],

  /** Bullying: beaten by a group, filmed, stripped, made to kneel, afraid to go to school. */
  bullying: [
    /霸凌|校园暴力|受欺负|被孤立|合伙(欺负|打)|(被|叫|让|给|遭)(人|别人|同学|几个|一群|一帮|大孩子|高年级|男生|女生|室友)?[^ ]{0,6}?欺负|欺负(我家|我的|我|俺)?(孩子|他|她|女孩|男孩|小的)|被围(住|着|起来)|围着[^ ]{0,3}(打|骂|踢|扇|欺负)|堵(在)?(厕所|路上|门口|巷子|宿舍|校门)|下跪|逼(着)?[^ ]{0,4}跪|扒(了)?[^ ]{0,4}(衣服|裤子)|不敢去(学校|上学)|怕去学校|(要|抢|逼)[^ ]{0,4}(孩子|他|她)?[^ ]{0,2}(交)?(保护费|零花钱)/,
    /(拍|录)(了)?[^ ]{0,4}(视频|照片|小视频)[^ ]{0,10}(打|欺负|扒|脱|跪|扇|侮辱|羞辱|骂|发到|传到|发网上|传网上|发群里)|(视频|照片)[^ ]{0,8}(传|发)(到|在)?(网上|群里|抖音|快手|朋友圈)|(打|欺负|扒|跪|扇|围)[^ ]{0,10}(的)?(视频|拍下来|录下来)|(打|欺负)(孩子|他|她|人)?的视频/,
  ],

  /** Sexual abuse said indirectly (a teacher calling a girl to his room at night, touching, "don't tell your parents"). */
  sexual: [
    /被[^ ]{0,10}(侵犯|猥亵|性侵|强奸|糟蹋|摸)|摸(她|他|孩子)(?!底)|摸[^ ]{0,3}(身子|身体|下面|下身|胸|屁股|私处|隐私|大腿|身上)|(亲|抱|搂)(了)?(她|孩子|女孩|女生|小姑娘)[^ ]{0,2}(嘴|脸|不放|好几次|还)|脱(了)?(她|他|孩子)?的?(衣服|裤子)[^ ]{0,4}(拍|看|摸|照)|脱(了)?(她|他|孩子)的?(衣服|裤子)|(她|他|孩子)脱(衣服|裤子)|裸照|拍裸|动手动脚|性骚扰|性侵|猥亵|强奸|耍流氓|搞大[^ ]{0,2}肚子|做了?(不好|那种|见不得人)的事|(给|让)(她|他|孩子)看(黄|不好的|脱衣|裸|那种)|(黄色|色情|不雅)(图片|视频|照片|电影)/,
    new RegExp(
      `(晚上|夜里|半夜|深夜|下晚自习|晚自习后|熄灯后|单独|一个人|关起门|锁上门)[^ ]{0,12}(叫|喊|让|带|留|约)${CHILD}[^ ]{0,6}(去|到|进|来)[^ ]{0,4}(房间|屋|宿舍|办公室|家里|家|车上|车里|寝室|值班室|没人的地方)`,
    ),
    new RegExp(`(叫|喊|让|带|留|约)${CHILD}[^ ]{0,6}(去|到|进|来)[^ ]{0,4}(他|老师|老头|男的)的?(房间|屋|宿舍|家|车|寝室)[^ ]{0,8}(晚上|夜里|半夜|单独|关门|锁门|不让)`),
    /(晚上|半夜)[^ ]{0,4}(进|钻|去)(她|他|孩子)的?(房间|屋|被窝|床)|单独[^ ]{0,4}(留|叫|带|约|关)[^ ]{0,4}(她|他|孩子|女生|女孩|学生)|(留|叫|带|关)[^ ]{0,8}(锁上门|关上门|反锁|锁了门|关了门|锁门)/,
    new RegExp(`摸${CHILD}(?!底)|摸[^ ]{0,6}(腿|腰|脸蛋|胸|屁股|下面|身上|大腿)`),
  ],

  /** Secrecy imposed on a child: a crisis only next to something done to the child (guardrails.ts). */
  secrecy:
    /(不让|不许|不准|别|不要)(她|他|孩子)?((跟|和|对|告诉)(家里|家人|家长|大人|父母|爸妈|爸爸|妈妈|爷爷|奶奶|老师|任何人|别人)|说出去)|(叫|让|要)(她|他|孩子)?(别|不要|不许|不准)((跟|和|对|告诉)(家里|家人|家长|大人|父母|爸妈|爸爸|妈妈|爷爷|奶奶|老师|任何人|别人)|说出去|说|讲)|(我们|你们)(之间)?的秘密/,
  doneTo: /摸|亲|碰|脱|抱|欺负|睡|搞|打|吓|威胁|单独|房间|办公室|宿舍|拍照|视频|带走|关起来|晚上|夜里|半夜/,

  /** A child missing or taken. */
  missing: [
    /(到现在|一直|现在|至今|好几天|两天|一天|一晚上)(都|还)?(联系不上|找不到人|没消息|没有消息)|(跟|和|去见)网友[^ ]{0,4}(出去|见面|走了|跑了)|离家出走|(孩子|他|她)(人)?(突然|又|忽然|一直|到现在|现在)?(不见了|失踪了?|找不到了|联系不上|失联)|(一夜|一晚上|一整夜|两天|几天|到现在)(都|还)?没回家|(网友|陌生人|生人|不认识的人|网上认识)[^ ]{0,8}(要带|带走|约(她|他|孩子)?(出去|见面))/,
  ],

  /** Despair without a question attached (route.ts treats it as a crisis when the message names nothing of aid). */
  distress: /撑不下去|熬不下去|受不了了|崩溃了|绝望|走投无路|没有活路|不想活/,
};

/**
 * Abuse told without the words 家暴 / 虐待: who does it (a step-parent, a relative, "a grown-up"), what is done (beating
 * with a belt, burning, locking up, starving), what it leaves (bruises all over), what it does to the child (afraid to
 * go home), or sexual abuse told indirectly (touching, "told her not to tell anyone").
 */
const ABUSE_PERPETRATOR = /继父|继母|后爸|后妈|后爹|后娘|养父|养母|他爸|她爸|孩子爸|孩子他爸|孩子妈|爸爸|他妈|她妈|他叔|她叔|叔叔|舅舅|姑父|姨父|大伯|伯伯|亲戚|男的|老头|大人|邻居|老师|同学|那个人|那人/;
/** "老是打", "往死里打": a repeated or violent beating (not 打电话 / 打钱 / 打到卡上). */
const ABUSE_BEATING =
  /(老是|总是|经常|天天|动不动|动不动就|一直|往死里|狠狠|使劲|一喝酒就|喝醉了就|喝了酒就)(地)?(打|揍|抽|踢|掐|扇)(?!(电话|卡|款|钱|印|工|针|到|给|过来|进|算|听|车|游戏|麻将|牌|球|架|字|不|没))|(打|揍|抽|踢|掐|扇|拧|扎|戳)(我家|我的|自家)?(孩子|他|她)(?![^ ]{0,3}(卡|账|户|银行|电话|钱|款))|挨打|挨揍|挨打骂|拳打脚踢|扇耳光|打耳光|扇巴掌|巴掌印|对(孩子|他|她)动手|动手打|(用|拿)(针|刀|剪刀|锥子)[^ ]{0,2}(扎|戳|割)|打得[^ ]{0,8}(住院|出血|流血|骨折|晕|起不来|走不了)|勒索|敲诈|(皮带|棍子|棍棒|木棍|鞭子|衣架|扫把|竹条|竹板|板子|烟头|开水|烙铁|拖鞋)[^ ]{0,3}(抽|打|烫|揍|砸)|拿[^ ]{0,2}(皮带|棍子|棍|鞭子|衣架|扫把|竹条|板子|烟头|刀|砖)[^ ]{0,4}(抽|打|烫|砍|揍|砸|吓)/;
/** Marks that abuse leaves (bruises, burns), not an accident (受伤住院 stays a policy question about 补认定). */
const ABUSE_INJURY =
  /青一块紫一块|鼻青脸肿|淤青|瘀青|鞭痕|伤痕累累|烟头烫|浑身是伤|(身上|腿上|背上|脸上|手上|胳膊上?|手腕上?|屁股上)[^ ]{0,6}(都是|全是|到处是|满是|好多|好几(个|处|道|块)|很多|一块一块|一道一道)[^ ]{0,2}(伤|疤|青|紫|印子|血印|刀口|口子|划痕|掌印)|一块一块的?(青|紫)|伤是[^ ]{0,6}(弄|打|搞|烫|掐)的/;
const ABUSE_AFRAID_HOME = /不敢回家|怕回家|害怕回家|不敢进家门|不敢回去.{0,4}(怕|打)/;
const ABUSE_CONFINED = /(锁|关)在(屋|房|家|柴房|猪圈|牛棚|厕所|地下室|小黑屋|笼)|锁(屋|房)里|(孩子|他|她)[^ ]{0,2}(锁|关)起来|被(锁|关)(了|起来|在)/;
/** Starving a child (not a school meal that was not served: that is a question about 营养餐). */
const ABUSE_STARVED = /不给(孩子|他|她)?(饭)?吃|不让(孩子|他|她)?吃饭|饿得[^ ]{0,3}(皮包骨|不行|直哭|发晕|走不动)|饿(了|着)?(孩子|他|她)?(好几|两|三|几|一整)天|饿着(孩子|他|她)/;
const ABUSE_SEXUAL =
  /摸(她|他|孩子)(?!底)|摸[^ ]{0,3}(身子|身体|下面|下身|胸|屁股|私处|隐私|大腿)|脱(了)?(她|他|孩子)?的?(衣服|裤子)[^ ]{0,4}(拍|看|摸|照)|脱(了)?(她|他|孩子)的?(衣服|裤子)|(她|他|孩子)脱(衣服|裤子)|裸照|拍裸|动手动脚|性骚扰|耍流氓|搞大[^ ]{0,2}肚子|(晚上|半夜)[^ ]{0,4}(进|钻|去)(她|他|孩子)的?(房间|屋|被窝|床)|做了?(不好|那种|见不得人)的事/;
/** Someone taking a child away, or an overdose: call 110 / 120 now. */
const ABUSE_TAKEN_OR_POISONED = /(网友|陌生人|生人|不认识的人|网上认识)[^ ]{0,8}(要带|带走|约(她|他|孩子)?(出去|见面))|(吃|喝)了[^ ]{0,4}(药|农药|老鼠药)[^ ]{0,6}(叫不醒|昏迷|不醒|吐)|叫不醒|昏迷不醒/;
/** A named adult followed by what they do to the child ("后爸一喝酒就拿皮带抽孩子", "他叔把娃锁在屋里"). */
const ABUSE_PERPETRATOR_DOES = new RegExp(
  `(${ABUSE_PERPETRATOR.source})[^ ]{0,10}((打|揍|抽|踢|掐|扇)(孩子|他|她|得|伤|人|我家)|(烫|饿|锁|捆|吊|体罚)(孩子|他|她|着|伤|了))`,
);

/** Abuse by a named adult, marks it leaves, confinement, starvation (see the comments above each). */
export const abuseCues = {
  beating: ABUSE_BEATING,
  marks: ABUSE_INJURY,
  afraidHome: ABUSE_AFRAID_HOME,
  confined: ABUSE_CONFINED,
  starved: ABUSE_STARVED,
  sexual: ABUSE_SEXUAL,
  takenOrPoisoned: ABUSE_TAKEN_OR_POISONED,
  perpetratorDoes: ABUSE_PERPETRATOR_DOES,
};

/** A question about aid rules or money that happens to mention an injury ("孩子烫伤住院了 能补认定吗"). */
export const aidQuestionCue =
  /补助|资助|助学金|奖学金|贷款|申请|认定|救助|报销|低保|公示|名单|材料|条件|能不能(领|申请|办|报)|可以(领|申请|办|报)|多少钱|怎么(申请|办|领)|保险|医保|大病|临时救助/;

export const scamCues = {
  /** A pasted SMS or notice: a 【sender】 header … */
  header: /【[^】]{1,20}】|\[[^\]]{2,20}\]/,
  /** … or a link or a code to scan. */
  link: /https?:\/\/|www\.|[a-z0-9-]{2,}\.(cn|com|net|top|vip|xyz|cc|me|site|shop|info|icu|fun|club|link)(\/|$|[^a-z])|短链|二维码|扫码/,
  /** What a scam asks for. */
  asks: /点击|点开|点链接|链接|登录|登陆|填写|填入|输入|提交|银行卡号|卡号|密码|验证码|手续费|保证金|激活费|解冻费|押金|工本费|会员费|服务费|认证|申领|领取|退款|逾期|失效|过期|冻结|转账|汇款|加微信|加qq|添加客服|联系客服|屏幕共享|共享屏幕|下载(app|软件)|注册/,
  /** What makes it about aid money (or money at all). */
  money: /补助|资助|助学金|奖学金|补贴|贷款|雨露|学费|款|钱|元|资金|津贴|福利|奖励|退费/,
  /** The asker already handed over a card number, password, code or clicked the link, or says they were cheated. */
  victim:
    /(填|输|输入|告诉|发|给|报|念)(了|过)[^ ]{0,8}(银行卡号|卡号|密码|验证码|链接|身份证号)|(银行卡号|卡号|密码|验证码|身份证号)[^ ]{0,8}(填|输|告诉|发给|给|报|念)(?!我)[^ ]{0,6}(了|过|进去|上去)|(点|点开|扫|打开)(了|过)[^ ]{0,4}(链接|二维码|网址|网页)|(?<!(怕|担心|会不会|防止|避免|以免|不要|别))(被骗了|受骗了|上当了)|钱被(转|划|扣)走|卡里(的)?钱(没了|少了|被转)/,
  /** Money already paid … */
  paid: /(转|汇|付|交|给)(了|过|过去)[^ ]{0,8}(钱|款|手续费|保证金|激活费|解冻费|[\d一二三四五六七八九十百千万几]+(块|元))/,
  /** … counts as a scam only with a scam's marks around it. */
  context: /骗|诈骗|短信|链接|陌生|冒充|客服|对方|那人|那个人|网上|微信|qq|激活|解冻|手续费|保证金|验证码|自称/,
  /** A short follow-up that only means "I did it" after a scam warning ("我已经填了咋办", "点过了", "钱转过去了"). */
  followUp:
    /(填|输|转|汇|付|交|给|发|告诉|点|点开|扫|弄|按|登|提交)(了|过|进去|上去|过去)|怎么办|怎么弄|完了|糟了|坏了|来不及|还有救|能追回|要回来|追回/,
};

export const personCues = {
  /** "能不能叫管这个的人当面跟我讲讲", "能不能让老师联系我", "我不想跟机器说". */
  indirect: [
    /(叫|让|派|请|喊)[^ ]{0,3}(个|一个|位)?[^ ]{0,3}(管|负责|懂|办|分管)(这个|这事|这块|这方面|资助|补助|这)?(的|事的)?(人|老师|同志|领导|干部|工作人员)/,
    /当面[^ ]{0,4}(跟|和|给|对)?我[^ ]{0,3}(讲|说|谈|解释|聊)|(跟|和|给)我当面(讲|说|谈|解释|聊)|(当面|面对面)(问问|谈谈|说说|讲讲|聊聊)/,
    /(老师|工作人员|你们的人|你们|领导|干部|学校|资助中心|管事的|有人)[^ ]{0,4}(联系|打电话给|回电话给|回个电话给|来找|上门找|来家里找)我|(联系|回复|回电话|打电话)(一下)?我(吧|好吗|行吗|可以吗)?$|(让|叫|请)[^ ]{0,6}(联系|回电话|打电话给|来找)我/,
    /(不想|不要|不愿意|懒得)(跟|和|同)(机器|机器人|电脑|程序|ai|你)(说|讲|聊)|(机器人|机器)[^ ]{0,4}(说不清|讲不清|听不懂|没用)|(来|派|找)(个|一个)(人|真人|活人)|(有没有|有)(人|真人|活人)(能|可以)?(跟|和|给)我(说|讲|解释)|找个(懂|明白|清楚)的(人|老师)/,
  ],
  /** "你直接给我个电话", "留个电话", "打哪个电话" — a number to call, not a named office's. */
  phone:
    /(给|告诉|发|留)(我)?(个|一个|你们的|你们)?(电话|号码|联系方式|手机号)|电话(是)?多少|(打|拨)(哪个|什么|哪|几号)(电话|号码)|有没有(电话|号码|热线)|(电话|号码)(给我|发我|呢)/,
};

export const upsetCues = {
  /** Money that should have come and has not ("钱到现在都没到", "雨露那笔一千五没见着"). */
  notArrived:
    /(到现在|至今|一直|还是|还|都|咋|怎么|为什么|为啥|几个月|这么久|半年|好久)[^ ]{0,4}没(有)?(到|见|收到|打|发|看到|影|动静|下来|进账)|没(见着|见到|看见|看到|收到|拿到|领到|到账|进账|打过来|发下来)|(不见|没见)(钱|款|到账)|钱呢|钱去哪(了|儿)?|钱哪去了/,
  /** Money words (an aid programme counts: "雨露那笔"). */
  money: /钱|补助|助学金|资助|奖学金|补贴|生活费|雨露|那笔|一笔|[\d一二三四五六七八九十百千万两]+(块|元)|一千|千五|两千|一卡通|到账/,
  /** An accusation or anger: a person should look at it. */
  accuse:
    /(是不是|是否|不会|怕是|肯定|莫不是)[^ ]{0,4}(给|被)?(扣|克扣|吞|贪|截留|挪用|私吞|拿走|昧)|扣了|扣掉|克扣|贪污|贪了|私吞|截留|挪用|吃回扣|骗人|糊弄|太不像话|什么玩意|搞什么|气死|凭什么|欺负人/,
  /** A general question about timing, not the asker's money ("补助一般什么时候到"). */
  general: /一般|通常|每年|每学期|几月|多久能|多长时间/,
};

export const privacyCues = {
  /** Asking on behalf of another family, or pushing back after a refusal ("我是他邻居 他家托我问的"). */
  onBehalf:
    /(他家|她家|人家|邻居|朋友|亲戚|同事|熟人|老乡|别人|同村的?)[^ ]{0,4}(托|让|叫|请|委托)我[^ ]{0,3}(问|查|打听|帮)|我是(他|她|他们|人家|这家)(家)?的?(邻居|朋友|亲戚|同事|熟人|老乡|村干部|同村)|替(他|她|他们|人家|别人|邻居)(家)?(问|查|打听)|帮(他|她|他们|人家|别人|邻居)(家)?(问问|查查|打听)/,
  /** Only after a refusal: "没事的 我就看看", "他家同意了", "我又不干坏事". */
  pushback: /没事|没关系|同意了|允许|授权|不干坏事|不会乱说|就看看|就问问|又不是|通融|帮个忙|行个方便|我是(他|她)的?|托我|让我问|(我|他)(们)?认识/,
};

const line = (hotline: string) => (hotline.trim() ? `县学生资助管理中心电话 ${hotline.trim()}` : "县学生资助管理中心的电话（见县教育局公告或学校通知）");

export const safetyText = {
  /** Added in front of an ordinary answer when a message might be about someone in danger. */
  concern: () => "如果有人受伤或正处在危险中，请先拨打 120 急救、110 报警；孩子需要帮助可拨打 12355，心理援助 12356。",

  /** A pasted message or link that asks for money, a card number, a password or a code. */
  scamPasted: (hotline: string) =>
    `这很可能是诈骗短信或链接，请不要点开链接，不要填写银行卡号、密码或验证码，也不要转账。国家学生资助一律不收任何费用，钱直接打到学生或监护人名下的一卡通账户，不需要您登录网页领取。如果已经填了或转了钱：马上打开户银行的客服电话冻结银行卡、改密码，再拨打 110 报警或 96110 反诈专线。拿不准的可以问孩子的学校，或打${line(hotline)}核实。`,

  /** The asker already filled in, clicked or paid. */
  scamVictim: (hotline: string) =>
    `别着急，马上做这三件事：1. 现在就打您开户银行的客服电话（银行卡背面有号码）或到银行网点，挂失冻结这张卡，改掉密码，网银和手机银行也一起冻结；2. 拨打 110 报警，也可以打 96110 反诈专线；3. 保存好短信、链接、聊天和转账记录，不要删。之后有人说能帮您"追回钱"、要再交费的，也是骗子。国家学生资助一律不收费，需要核实可以打${line(hotline)}，或回复“人工”。`,

  /** A parent whose money has not come (status, when bound, goes before this). */
  notArrivedHelp: (hotline: string) =>
    `钱没收到，可以先带银行卡或存折到银行网点、或村里助农取款点查一下一卡通的到账记录（有时是打到另一张卡上）。查不到或有疑问，请打${line(hotline)}，或找孩子学校的资助老师核对。`,

  notArrivedUnbound: () => "要看您孩子这笔钱走到哪一步了，请先绑定孩子：发送“绑定 孩子姓名 学籍号 监护人手机后四位”，绑定后发“查进度”。",

  /** "你直接给我个电话". */
  hotline: (hotline: string) =>
    `${hotline.trim() ? `县学生资助管理中心的咨询电话是 ${hotline.trim()}（工作日上班时间）` : "县学生资助管理中心的咨询电话见县教育局公告或学校通知（工作日上班时间）"}。孩子在校的具体事情也可以直接问学校资助老师或班主任。想让工作人员联系您，请回复“人工”。`,
};
