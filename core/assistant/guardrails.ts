/**
 * Guardrails applied before any answer is looked up. All take the *canonical* text (core/policy/segment.ts
 * `canonical`: simplified, lower-case, punctuation → space, dialect words → standard ones, e.g. 闺女 → 孩子, 俺 → 我).
 *
 * - crisis: self-harm, a child in danger or abused → a person, with emergency lines first;
 * - privacy: another family's data, lists, ID / phone / 学籍号 / card numbers → refuse (a guardian sees only the
 *   children they bound, and only through status);
 * - injection: attempts to change instructions or read them → a short statement of what Zizhu does, nothing else;
 * - off-topic tasks (poems, jokes, weather, stocks …) → out of scope even when a policy word appears.
 */

const SELF_HARM =
  /想死|不想活|活不下去|活不成了|活着没意思|活着没劲|活着有什么意思|不如死了|死了算了|死了好|寻死|自杀|轻生|跳楼|跳河|跳江|跳桥|喝农药|吃安眠药|割腕|划(自己|手|胳膊)|拿刀.{0,6}(划|割|捅)(自己)?|自残|伤害自己|结束(自己的?)?生命|不想活|要去死|想去死|想不开|不活了|没法活|活够了|活着(太|好|真|很|挺)?(累|苦|痛苦|难受)|(想|要)消失|消失算了|一了百了|离开这个世界|不想醒来|遗书|不想(再)?(活|存在)/;

const DANGER =
  /打孩子(?!.{0,4}(卡|账|户|银行))|家暴|虐待|被.{0,8}(打|揍)(了|伤|得|成)|打得.{0,8}(伤|血|肿|青|紫)|被.{0,10}(欺负|侵犯|猥亵|性侵|强奸|糟蹋|摸)|性侵|猥亵|强奸|拐卖|被拐|绑架|霸凌|离家出走|(孩子|人)(不见了|失踪|找不到)|威胁要杀|要杀了/;

/**
 * Abuse told without the words 家暴 / 虐待: who does it (a step-parent, a relative, "a grown-up"), what is done (beating
 * with a belt, burning, locking up, starving), what it leaves (bruises all over), what it does to the child (afraid to
 * go home), or sexual abuse told indirectly (touching, "told her not to tell anyone").
 */
const PERPETRATOR = /继父|继母|后爸|后妈|后爹|后娘|养父|养母|他爸|她爸|孩子爸|孩子他爸|孩子妈|爸爸|他妈|她妈|他叔|她叔|叔叔|舅舅|姑父|姨父|大伯|伯伯|亲戚|男的|老头|大人|邻居|老师|同学|那个人|那人/;
/** "老是打", "往死里打": a repeated or violent beating (not 打电话 / 打钱 / 打到卡上). */
const BEATING =
  /(老是|总是|经常|天天|动不动|动不动就|一直|往死里|狠狠|使劲|一喝酒就|喝醉了就|喝了酒就)(地)?(打|揍|抽|踢|掐|扇)(?!(电话|卡|款|钱|印|工|针|到|给|过来|进|算|听|车|游戏|麻将|牌|球|架|字|不|没))|(打|揍|抽|踢|掐|扇|拧|扎|戳)(我家|我的|自家)?(孩子|他|她)(?![^ ]{0,3}(卡|账|户|银行|电话|钱|款))|挨打|挨揍|挨打骂|拳打脚踢|扇耳光|打耳光|扇巴掌|巴掌印|对(孩子|他|她)动手|动手打|(用|拿)(针|刀|剪刀|锥子)[^ ]{0,2}(扎|戳|割)|打得[^ ]{0,8}(住院|出血|流血|骨折|晕|起不来|走不了)|勒索|敲诈|(皮带|棍子|棍棒|木棍|鞭子|衣架|扫把|竹条|竹板|板子|烟头|开水|烙铁|拖鞋)[^ ]{0,3}(抽|打|烫|揍|砸)|拿[^ ]{0,2}(皮带|棍子|棍|鞭子|衣架|扫把|竹条|板子|烟头|刀|砖)[^ ]{0,4}(抽|打|烫|砍|揍|砸|吓)/;
/** Marks that abuse leaves (bruises, burns), not an accident (受伤住院 stays a policy question about 补认定). */
const INJURY =
  /青一块紫一块|鼻青脸肿|淤青|瘀青|鞭痕|伤痕累累|烟头烫|浑身是伤|(身上|腿上|背上|脸上|手上|胳膊上?|手腕上?|屁股上)[^ ]{0,6}(都是|全是|到处是|满是|好多|好几(个|处|道|块)|很多|一块一块|一道一道)[^ ]{0,2}(伤|疤|青|紫|印子|血印|刀口|口子|划痕|掌印)|一块一块的?(青|紫)|伤是[^ ]{0,6}(弄|打|搞|烫|掐)的/;
const AFRAID_HOME = /不敢回家|怕回家|害怕回家|不敢进家门|不敢回去.{0,4}(怕|打)/;
const CONFINED = /(锁|关)在(屋|房|家|柴房|猪圈|牛棚|厕所|地下室|小黑屋|笼)|锁(屋|房)里|(孩子|他|她)[^ ]{0,2}(锁|关)起来|被(锁|关)(了|起来|在)/;
/** Starving a child (not a school meal that was not served: that is a question about 营养餐). */
const STARVED = /不给(孩子|他|她)?(饭)?吃|不让(孩子|他|她)?吃饭|饿得[^ ]{0,3}(皮包骨|不行|直哭|发晕|走不动)|饿(了|着)?(孩子|他|她)?(好几|两|三|几|一整)天|饿着(孩子|他|她)/;
const SEXUAL =
  /摸(她|他|孩子)(?!底)|摸[^ ]{0,3}(身子|身体|下面|下身|胸|屁股|私处|隐私|大腿)|脱(了)?(她|他|孩子)?的?(衣服|裤子)[^ ]{0,4}(拍|看|摸|照)|脱(了)?(她|他|孩子)的?(衣服|裤子)|(她|他|孩子)脱(衣服|裤子)|裸照|拍裸|动手动脚|性骚扰|耍流氓|搞大[^ ]{0,2}肚子|(晚上|半夜)[^ ]{0,4}(进|钻|去)(她|他|孩子)的?(房间|屋|被窝|床)|做了?(不好|那种|见不得人)的事/;
/** Someone taking a child away, or an overdose: call 110 / 120 now. */
const TAKEN_OR_POISONED = /(网友|陌生人|生人|不认识的人|网上认识)[^ ]{0,8}(要带|带走|约(她|他|孩子)?(出去|见面))|(吃|喝)了[^ ]{0,4}(药|农药|老鼠药)[^ ]{0,6}(叫不醒|昏迷|不醒|吐)|叫不醒|昏迷不醒/;
/** "叫她别跟家里讲": secrecy imposed on a child, which counts only next to something done to the child. */
const SECRECY = /(不让|不许|不准)(她|他|孩子)?((跟|和|对|告诉)(家里|家人|大人|父母|爸妈|爸爸|妈妈|任何人|别人)|说出去|说|讲)|(叫|让|要)(她|他|孩子)?(别|不要|不许|不准)((跟|和|对|告诉)(家里|家人|大人|父母|爸妈|爸爸|妈妈|任何人|别人)|说出去|说|讲)/;
const DONE_TO = /摸|亲|碰|脱|抱|欺负|睡|搞|打|吓|威胁|单独|房间|办公室|宿舍|拍照|视频|带走|关起来/;
/** A named adult followed by what they do to the child ("后爸一喝酒就拿皮带抽孩子", "他叔把娃锁在屋里"). */
const PERPETRATOR_DOES = new RegExp(
  `(${PERPETRATOR.source})[^ ]{0,10}((打|揍|抽|踢|掐|扇)(孩子|他|她|得|伤|人|我家)|(烫|饿|锁|捆|吊|体罚)(孩子|他|她|着|伤|了))`,
);

function isAbuse(text: string): boolean {
  if (BEATING.test(text) || INJURY.test(text) || AFRAID_HOME.test(text) || CONFINED.test(text) || SEXUAL.test(text) || TAKEN_OR_POISONED.test(text)) return true;
  if (STARVED.test(text) && !/营养|餐|食堂|伙食|补助/.test(text)) return true;
  if (SECRECY.test(text) && DONE_TO.test(text.replace(/打(电话|钱|款|卡|到)/g, "")) && !/补助|资助|助学金|贷款|公示|名单|申请/.test(text)) return true;
  return PERPETRATOR_DOES.test(text);
}

/** Self-harm or a child in danger. */
export function isCrisis(text: string): boolean {
  return SELF_HARM.test(text) || DANGER.test(text) || isAbuse(text);
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
