/**
 * The words the intent router reads (core/assistant/route.ts holds only the order in which they are tried). Matched
 * against the compact canonical text (core/policy/segment.ts: simplified, dialect mapped, 俺 → 我, 咋 → 怎么).
 */
import { CONTESTED_PLACE } from "./guard-words";

export const UNBIND =
  /解绑|解除绑定|取消绑定|绑定[^ ]{0,3}(解|解除|取消|去|删)(了|掉|开)|(不想|不要|不用|不再|别)(再)?(关联|绑)[^ ]{0,8}(了|啦|取消|去掉|删)|(取消|解除)[^ ]{0,6}(关联|绑定)|(不要|不想|不用|不再)(绑定|绑)了|解除关联|取消关联|不想绑|不绑了|删除绑定|删掉绑定|解除.{0,8}(孩子|信息)|(不|不再|不想|不要|别再?)(跟|和|与)[^ ]{0,6}(关联|绑定|绑)(了|啦)/;
/**
 * "把他从我这删了", "老大不要了 去掉": removing a child from this account, told loosely. Only without a word of an
 * application or a list ("孩子的补助被删除了" is a status / policy question).
 */
export const UNBIND_LOOSE =
  /(孩子|信息|他|她|老[大二三四幺])[^ ]{0,8}(解除|删掉|删除|删了|去掉|移除|拿掉)|(删了|删掉|删除|去掉|移除|拿掉)(我家|我的|这个)?(孩子|老[大二三四幺])|从我(这|这里|名下|手机|账号|这儿)[^ ]{0,4}(删|去掉|移除|拿掉)|不(想|再|用|要)(再)?关注(这个|我家|我的)?(孩子|他|她|老[大二三四幺])?了|^取消(我家|我的|这个)?(孩子|老[大二三四幺])$|绑(的|定的|上的)[^ ]{0,4}(删|去掉|解除|取消|不要)/;
/** "我绑错孩子了 咋取消", "孩子绑错了": the wrong child is bound — unbinding is the first step, whatever follows. */
export const BOUND_WRONG = /绑错|(孩子|学生|人|老[大二三四幺])[^ ]{0,2}(绑|关联)(错|串)了?|关联错/;
export const APPLICATION_WORDS = /补助|资助|助学金|奖学金|贷款|名单|资格|公示|申请|低保|救助|户口|学籍|档案|记录/;
export const MY_CHILDREN =
  /^(我的孩子|我孩子|我绑定的孩子|我绑了哪些孩子|绑定了哪些孩子|我绑定了谁|已绑定的孩子|查看绑定|绑定列表)$/;
export const UNSUBSCRIBE =
  /退订|取消订阅|^td$|关闭.{0,4}(通知|推送|提醒|消息)|(不需要|不要|不想要|不用)(再)?(这些|你们的|你们)?的?(消息|通知|推送)|取消.{0,4}(通知|推送|提醒)|不要再?(给我)?(发|推|推送)(消息|通知)?了?|别再?(给我)?(发|推|推送)(消息|通知)?了|不想(再)?(收|接收|看)(到)?(你们的|这些|那些)?(消息|通知|推送|短信|信息)|关闭(通知|推送|提醒)|关(掉|了)(通知|推送|提醒|消息)|停止(推送|通知|发送)|不再接收/;
/**
 * "别老给我发东西了", "这些不想收了", "以后不用再通知我了", "消息烦得很 关掉": stopping messages, told loosely.
 * Never "别发到我卡上" (where money goes) or "不要收费" (fees).
 */
export const UNSUBSCRIBE_LOOSE =
  /(别|莫|不要|不用|不需要|不必)(再|老|总|老是|总是|一直|天天|每天|乱)?(给我)?(发|推|推送)(消息|通知|东西|信息|短信|这些|那些|了|啦|咯)|不(想|要|用|需要)(再)?(收|接收|接|看)(了|啦|这些|那些|你们|消息|通知|推送|短信)|(不用|不要|别|无需|不必)(再)?(通知|提醒|打扰)(我|了)|(消息|通知|推送|短信)[^ ]{0,6}(烦|不要了|别发|关掉|关了|不看了|不收了)/;
export const RESUBSCRIBE = /^(订阅|重新订阅|恢复订阅|开启通知|打开通知|恢复通知|继续推送|重新接收通知|订阅通知)$/;
export const HANDOFF =
  /人工|真人|活人|(转|找|联系|接|要)客服|客服在|客服人员|找个.{0,6}人|叫个.{0,4}人|(转|找|联系|叫)(你们)?(的)?工作人员|给我回个?电话|回个电话|打个电话给我|能接电话的人|跟人说|和人说|找领导|(要|讨|给)(我)?(个|一个)说法|(叫|找|让|换|要)(你们|个)?的?(领导|负责人|管事的|主任|工作人员|真人|老师)(来|出来|跟我|和我|接|给我|说话|处理)/;
export const GREETING_WORDS =
  /您好|你好|恁好|侬好|雷猴|在吗|在么|在不在|在没有|在不|在没|有人吗|有人没|有没有人|有人在吗|早上好|早晨|早安|上午好|中午好|下午好|晚上好|吃了没|吃了吗|hello|hi|hey|哈喽|哈罗|嗨|喂|老师好|领导好|大家好|同志|老乡|早/g;
export const GREETING_RE = new RegExp(GREETING_WORDS.source);
export const THANKS_WORDS =
  /谢谢你|谢谢您|谢谢恁|谢谢|多谢|感谢|感恩|谢啦|谢了|谢|thanks|thank you|thx|3q|辛苦了|辛苦你了|辛苦|麻烦你了|麻烦您了|麻烦了|好的|好滴|好嘞|好哩|好咧|好勒|好哒|好吧|行嘞|得嘞|要得|要的|中嘞|中|可以了|可以|没问题|嗯嗯|嗯呐|嗯|哦哦|噢噢|知道了|知道啦|知道咯|明白了|明白啦|明白|清楚了|了解了|晓得了|懂了|懂啦|收到|ok|okay|行|好|对的|是的|老师|领导|同志|师傅|大姐|大哥|大妹子|政府|国家|党|你们|你|您|恁/g;
export const DISTRESS = /撑不下去|熬不下去|受不了了|崩溃了|绝望|走投无路|没有活路|不想活/;
/**
 * A short social message ("太感谢了", "麻烦你们了", "okk 谢谢", "你好 请问一下") that the word lists above do not
 * cover word for word: a greeting or thanks word, no question and nothing of the domain.
 */
export const SOCIAL =
  /谢|感谢|感恩|辛苦|麻烦(你|您|了)|你好|您好|恁好|老师好|早|晚上好|在吗|在不|在没|有人吗|有人没|哈喽|喂/;
export const ASKING =
  /怎么|什么|多少|哪|能不能|可不可以|可以吗|有没有|是不是|吗.{2,}|为什么|几|咋|啥|要不要|行不行|如何|谁/;
export const ASPECT_WORDS = /钱|补|助学|资助|贷|学费|免|公示|申请|绑|雨露|低保|奖|卡|进度|发|到账|批/;
/** Asking what the assistant is: the greeting says it. */
export const WHO_ARE_YOU =
  /^(早上好|上午好|中午好|下午好|晚上好|你好|您好)?(你是谁|这(个)?(号|公众号|是)(是)?干(什么|嘛)的|你们是干(什么|嘛)的|你是什么|你是干什么的|你是干嘛的|你能做什么|你能干什么|你会什么|你会干什么|你有什么用|你叫什么|你是机器人吗|你是真人吗)(呀|啊|呢|吗)?$/;
/** Particles that may trail a greeting or a thanks ("你好呀", "谢谢啦"). */
export const PARTICLES = /[呀啊哈呢嘛啦哦噢喔吧哟咯了的嘞哇嗷撒噻咧哒]/g;
export const BIND =
  /绑定|绑上|绑孩子|绑一下|重新绑|再绑(一)?个|绑(一)?个|^绑|^(那|就|好|行|那就)绑(吧|呗|了吧|一下吧)?|绑(我|我家|我的|俺)(孩子|学生|老[大二三四幺])|怎么(才能|能|样)?绑(?![^ ]{0,3}(卡|银行|账户|社保))|关联(一下)?(孩子|学生)|(孩子|学生).{0,4}关联|添加孩子|加孩子|(一串|这个|那个|个)(数字)?码[^ ]{0,4}(怎么用|干什么的|有什么用|怎么弄|怎么填|往哪填)|学校(给|发)(了)?(我|我们)?[^ ]{0,3}(一串|一个|个)(数字)?码|(只|就)(知道|晓得|有)[^ ]{0,6}学籍号|没(给|有|发)[^ ]{0,4}(绑定)?码/;
/**
 * "怎么把孩子加上", "跟我家老二关联上", "两个孩子都想挂到我手机上": adding a child to this account, told loosely
 * (not "把孩子加到名单上", which is about an application).
 */
export const CHILD = "(孩子|学生|老[大二三四幺])";
export const ADD =
  "(加上|加进|加到|添上|添加|添进|挂上|挂到|挂在|关联|连上|连到|绑上|绑进|绑到|绑在|放进|录进|录入|输进|登记进|弄进)";
export const BIND_LOOSE = new RegExp(
  `${CHILD}[^ ]{0,8}${ADD}|${ADD}[^ ]{0,4}${CHILD}|^(我要|我想|帮我|想)?(加|添)(我|我家|我的|一下)?${CHILD}|(怎么|如何|咋|能不能|可以)(再)?(加|添|多绑|再绑)(上)?(一|两|个|一个|几个)?个?${CHILD}|(跟|和|与)(我家|我的)?${CHILD}[^ ]{0,2}(关联|绑)|${CHILD}[^ ]{0,6}(挂|加|添|连)(到|在)(我|我的)?(手机|名下|账号|微信|这)|^(怎么|如何|我要|我想|帮我|想)?(关联|添加)(一下)?(呢|啊)?$`,
);
/** Words of an application or a list: "把孩子加到名单上" is not binding. */
export const GIVE_UP_BIND = /不会绑(定)?|绑不了|绑不上|不想绑(定)?|不绑了|懒得绑/;
export const NOT_BINDING = /补助|资助|助学金|奖学金|贷款|名单|资格|公示|申请|低保|救助|户口|医保|档案/;

/** Completed-step questions about one's own case ("批了没", "钱到了没", "审核过了没有", "打过来了吗"). */
export const STATUS_DONE =
  /(通过|批准|批下来|下来|到账|评上|发下来|打过来|收到|拿到|领到|审批通过|审核通过)(没|没有)|(发|发放|打|拨|汇|转|批|评上|评|审核|审|通过|下来|收到|领到|拿到|放款|到账|到)(了|过了|过)(没|没有|吗|么|木有|未|不)|(发|打|批|到|拨|汇|转|审)[^ ]{0,6}了(没有|没(?!钱|法|办法|用|事|人|时间|工作|能力)|吗|么)|(发|到|批|打|审|评)没(发|到|批|打|审|评)|(还没|怎么没|咋没|咋还没|怎么还没)(发|到|批|打|收到|到账|下来)|(是不是|有没有)已经|已经.{0,8}(发|打|到|批|通过)了(吗|没)?/;
export const STATUS_STRONG =
  /(报上去|交上去|申请)了?[^ ]{0,6}(现在)?(是)?(个)?(什么情况|怎么样了|咋样了)|报上去[^ ]{0,3}[^ ]{0,6}(没有|没|吗|么)$|到(县|乡|镇)里(了)?(没有|没|吗|么)|(县里|乡里|镇上|上面)(批|审|过)(了)?(没有|没|吗)|进度|到哪一步|到哪了|过没过|批没批|评没评上|发没发下来|到没到账|(打|发)到哪(张|个)卡(上)?了|卡号?尾(数|号)(是)?多少|到(了|账)(了)?(以后|后|的话)?(能|可以|会|记得)?(告诉|通知|提醒)(我|一下)|到哪儿了|到什么程度|走到哪|发放记录|到账记录|发放情况|到账情况|审核结果|评审结果|评选结果|申请结果|查询结果|结果出来|评上没|办得怎么样|批下来没|等了(好久|很久|半天|好几|几个|一个)|一直没(到|收到|发|下来)|怎么还没(到|发|下来|批)/;
export const STATUS_LOOKUP =
  /(查|看)(一下|下|查|看)?.{0,8}(我|我家|我的|孩子).{0,6}(孩子|的)?.{0,10}(补助|助学金|资助|申请|钱|结果|记录|情况|奖学金|贷款)/;
/** "我的补助呢", "我要查询": the asker's own case in a few words. */
/** "俺家娃评上贫困生没有", "老二那个补助批下来了吗": whether one's own child got something. */
export const STATUS_GOT = /(评上|评到|选上|批下来|批了|通过|录上|纳入)[^ ]{0,8}(没有|没|了吗|了没|了么|吗)$/;
/** "这学期给了没", "发了没呢": whether something was given yet, at the end of the message. */
export const GIVEN_YET = /(给|发|打|到|领)(了|过)(没|没有|吗|么)(呢|啊|呀)?$/;
/** Reporting or contesting another family's place (not the asker's own case). */
export const OBJECTION = new RegExp(CONTESTED_PLACE.source);
/** "…给查一下", "帮我看看": asked to look something up. */
export const LOOKUP_ASKED = /(给|帮)(我)?(查|看|瞅|问)(一下|下|查|看|瞅)?(吧|呗)?$/;
export const STATUS_SHORT =
  /^(我要|我想|帮我|我)?(查询|查一下|查查|查)$|^(我的|我家的?|孩子的|我孩子的?)(补助|助学金|钱|资助|奖学金|补贴|贷款|申请)(呢|咧|嘞|哪去了|去哪了)?$/;
/** "为啥俺家的申请没通过", "我那个雨露计划的申请是不是被退回来了": the outcome of the asker's own application. */
export const OWN_OUTCOME =
  /(我家|我自己|自己家|我那个|我(的)?[^ ]{0,3}的)[^ ]{0,12}(没通过|没评上|没批|没选上|不通过|没过|被退|退回|退了|驳回|打回|被拒|拒了|刷下来|刷掉)/;
/** Contesting an outcome (the objection answer), not asking for it: "没评上 咋申诉", "倒是条件好的评上了". */
export const CONTESTING =
  /申诉|异议|投诉|明明|举报|反映|复核|找谁|不公|公平|凭什么|倒(是)?[^ ]{0,6}评上|条件(好|比我)|有车|有楼|关系户/;
/** "那俺自己家的能查不" (after a refusal to look up another family): the asker's own. */
export const OWN_LOOKUP =
  /^那?(我|自己)(自己)?(家)?(的)?(孩子)?的?(呢|咧|嘞)$|(我|自己)(自己)?(家)?(的|孩子的?)[^ ]{0,3}(能|可以|能不能)(查|看)(不|吗|么|没|一下)?(呢|啊)?$/;
/** "到现在都没收到": money that has not arrived. */
export const NOT_ARRIVED = /(都|还|一直|怎么|咋|为啥|为什么)?没(有)?(收到|到账|打过来|发下来|拿到|领到|见到)/;
export const MONEY = /钱|补助|助学金|资助|奖学金|补贴|生活费|雨露/;
/** "孩子的钱啥时候能到" — the asker's own case, not the usual timing. */
export const STATUS_WHEN = /(什么时候|啥时候|多久|几时)(能|才能|会|才|可以)?(到账?|发下来|发|下来|批下来|批|打过来|打)/;
export const ON_THE_LIST = /(孩子|我家|我).{0,12}名单上?(有没有|没有|没|吗|么)/;
export const GENERAL_TIME = /一般|通常|每年|多久|什么时候|几月|哪个月|多长时间|几号/;
export const PERSONAL = /我家|我的|我孩子|孩子的|给我家/;

/**
 * A report of a fee demand or a scam ("要先交手续费才能到账", "加微信说助学金要交钱"): a policy question about scams
 * even when it mentions money arriving, so it is checked before the status words.
 */
export const SCAM =
  /手续费|保证金|激活费|解冻费|押金|工本费|材料费|服务费|卡费|好处费|辛苦费|会员费|(先|要|得|需要|让我|叫我)(交|付|转)[^ ]{0,6}(钱|费|款|块|元)|交(点|些|一笔|个|了)?[^ ]{0,4}(钱|费|块|元)(才|就|能|后)|(让我|叫我|要我|要求|先)(转账|汇款)|加(我|了)?(个)?微信|点(开)?链接|验证码|密码|冒充|骗/;

/** A 学籍号 as schools print it (G / J / L and digits). */
export const STUDENT_NO = /(?<![0-9A-Za-z])[GJLgjl]\d{8,20}(?![0-9A-Za-z])/;
export const BIND_DATA = /^\s*[\p{Script=Han}·]{2,5}\s*[,，]?\s*[A-Za-z]?\d[\dA-Za-z]{7,23}(\s*[,，]?\s*\d{4})?\s*$/u;
