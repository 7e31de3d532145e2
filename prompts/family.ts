/**
 * What Zizhu says to families about their own children: binding, the children list, status, subscriptions and
 * handoff. Short sentences for a grandparent reading on a small phone; names arrive masked (张*明), accounts as the
 * last four digits, and no reply repeats a 学籍号, an ID number or a phone number.
 */
import type { Programme } from "../core/applications/programmes.js";

export interface FamilySettings {
  /** The tenant's hotline; empty when not configured. */
  hotline: string;
}

function callUs(s: FamilySettings): string {
  return s.hotline.trim() ? `拨打 ${s.hotline.trim()}` : "拨打县学生资助管理中心的电话（见学校通知）";
}

const HOW = "发送：绑定 孩子姓名 学籍号 监护人手机后四位。学校给了12位绑定码的，发送：绑定 绑定码。";

export interface StatusLine {
  programme: string;
  term: string;
  stage: string;
  /** 2025年11月20日 */
  date: string;
  next: string;
  paid?: { amount: string; date: string; accountLast4: string };
  rejected?: { reason?: string };
  publicity?: { end: string; contact: string };
}

export const family = {
  // ── binding ──
  /** The first reply of the step-by-step flow says everything binding needs, so a parent can gather it at once. */
  bindStart: () =>
    `好的，我们一步一步来绑定孩子。需要三样：孩子的姓名、学籍号（问班主任或学校资助老师）、学校登记的监护人手机后四位；学校给了12位绑定码的，直接发“绑定 绑定码”就行。请先发孩子的姓名（例如：张小明）。随时发“取消”可以退出。`,
  /** "学籍号俺不晓得": where it comes from; the binding stays open. */
  bindWhereStudentNo: () =>
    "学籍号可以问孩子的班主任或学校资助老师，一般是 G 开头加一串数字；孩子的学籍卡、学生证上也有。学校给过 12 位绑定码的，直接发“绑定 绑定码”也行。拿到学籍号发过来就行，发“取消”可以退出。",
  /** "那咋办嘛", "码是老师刚给的 咋不中" after a binding that did not go through: what to check and whom to ask. */
  bindTrouble: () =>
    "绑定没成功，多半是填的和学校登记的对不上。请核对三样：孩子姓名要和学籍上的字一模一样；学籍号（G 开头）可以问班主任；手机后四位要用学校登记的那个监护人手机号。用绑定码的，要用学校最新发的那一张（重新打印后，旧码就不能用了），数字别抄错。核对后还不行，请找班主任或学校资助老师查一下登记的信息，也可以回复“人工”。",
  bindAskStudentNo: () => "请发孩子的学籍号（可以问班主任或学校资助老师）。",
  bindAskPhone: () => "请发学校登记的监护人手机号的后四位数字。",
  bindCancelled: () => "好的，已取消绑定。需要时再发“绑定”。",
  bindSuccess: (child: string, school: string) =>
    `绑定成功！孩子：${child}，学校：${school}。以后发“查进度”就能看孩子的补助申请和到账情况。`,
  bindAlready: (child: string, school: string) =>
    `您已经绑定过 ${child}（${school}），不用重复绑定。发“查进度”可以看进度。`,
  /** One message for every mismatch: never which part was wrong. */
  bindFailed: (triesLeft: number) =>
    `信息没有对上，暂时绑定不了。请核对孩子姓名、学籍号和学校登记的监护人手机后四位，再发一次。${triesLeft > 0 ? `今天还能试 ${triesLeft} 次。` : ""}不确定的可以问学校资助老师要绑定码。`,
  bindCodeFailed: (triesLeft: number) =>
    `这个绑定码用不了（可能输错、已用过或过期了）。请核对后再发，或请学校资助老师重新给一个。${triesLeft > 0 ? `今天还能试 ${triesLeft} 次。` : ""}`,
  /** "绑定码 7KQ2MX": not a code's shape; the try is not counted. */
  bindCodeMalformed: () =>
    "绑定码是学校发的 12 位数字（比如 1234 5678 9012），您发的好像不是。请对照学校发的绑定条，发“绑定 12位绑定码”；没有绑定码，也可以发“绑定 孩子姓名 学籍号 监护人手机后四位”。这次不算试错次数。",
  bindLocked: (until: string) =>
    `为保护孩子的信息，试错次数太多，绑定暂停了。请在 ${until} 以后再试，或请学校资助老师给一个绑定码。`,
  bindHow: () => `绑定孩子请${HOW}手机后四位是学校登记的监护人手机号后四位。`,

  // ── children ──
  childrenNone: () => `您还没有绑定孩子。${HOW}`,
  childrenList: (lines: readonly string[]) =>
    `您绑定的孩子：\n${lines.join("\n")}\n发“查进度”看申请和到账情况；发“解绑 孩子姓名”可以解除绑定。`,
  childLine: (n: number, child: string, school: string) => `${n}. ${child}（${school}）`,
  unbindNone: () => "您目前没有绑定孩子，不需要解绑。",
  unbindDone: (child: string) => `已解除和 ${child} 的绑定，以后不再收到这个孩子的通知。需要时可以重新绑定。`,
  unbindAllDone: (count: number) => `已解除全部 ${count} 个孩子的绑定。需要时可以重新绑定。`,
  unbindWhich: (lines: readonly string[]) =>
    `您绑定了几个孩子：\n${lines.join("\n")}\n请发“解绑 孩子姓名”，或“解绑 全部”。`,
  unbindNotFound: () => "没有找到这个孩子的绑定。发“我的孩子”可以看已绑定的孩子。",

  // ── status ──
  statusNeedsBinding: () => `查孩子的申请进度和到账情况，要先绑定孩子。${HOW}绑定后只显示您自己孩子的信息。`,
  statusNotYourChild: () =>
    "为保护每个家庭的隐私，我只能告诉您已绑定的自己孩子的情况，不能查别人家的孩子。发“我的孩子”可以看已绑定的孩子。",
  statusChildHeader: (child: string, school: string) => `【${child}，${school}】`,
  statusNoApplications: () => "暂时没有补助申请记录。学校开始申请时会通知；有疑问可以问学校资助老师。",
  /** One date per fact: a paid line carries the payment date only, never the date the record last changed. */
  statusLine: (l: StatusLine) =>
    [
      l.paid ? `${l.programme}（${l.term}）：${l.stage}。` : `${l.programme}（${l.term}）：${l.stage}，${l.date}。`,
      l.paid
        ? `已发放 ${l.paid.amount} 元，发放日期 ${l.paid.date}，打到尾号${l.paid.accountLast4}的账户。可以带银行卡或存折到银行网点查，也可以到村里的助农取款服务点查。`
        : "",
      // A reason typed with its own full stop ("…后重新申请。") is not given a second one.
      l.rejected
        ? `没通过的原因：${(l.rejected.reason ?? "请问学校资助老师").replace(/[。.！!；;，,\s]+$/u, "")}。`
        : "",
      l.publicity ? `公示到 ${l.publicity.end} 结束。对名单有异议，请联系：${l.publicity.contact}。` : "",
      l.next,
    ]
      .filter((s) => s !== "")
      .join(""),

  // ── status narrowed to what was asked ──
  /** "钱打到哪张卡上了": where a paid amount went. */
  cardPaid: (programme: string, term: string, amount: string, date: string, last4: string) =>
    `${programme}（${term}）的 ${amount} 元，${date} 打到了尾号${last4}的账户（学生或监护人名下的一卡通/社保卡）。带这张卡或存折到银行网点、或村里助农取款点就能查到。`,
  cardNotYet: (programme: string, term: string, stage: string, next: string) =>
    `${programme}（${term}）还没有发放，现在是：${stage}。${next}`,
  cardNone: () => "您孩子暂时没有已发放的补助记录，所以还没有打到卡上的钱。",
  /** "这期公示有没有我家老二": the child's own applications and the 公示. */
  publicityOn: (programme: string, term: string, end: string, contact: string) =>
    `${programme}（${term}）：在公示名单上，公示到 ${end}。对名单有异议，请联系：${contact}。`,
  publicityDone: (programme: string, term: string) => `${programme}（${term}）：已经公示完，没有异议，进入发放。`,
  publicityNotYet: (programme: string, term: string, stage: string) =>
    `${programme}（${term}）：还没到公示这一步，现在是：${stage}。审核完会在学校和村里公示。`,
  publicityRejected: (programme: string, term: string) =>
    `${programme}（${term}）：没有通过审核，所以不在公示名单上。有不同意见可以找学校资助老师。`,
  publicityObjected: (programme: string, term: string) => `${programme}（${term}）：公示期间有人提出异议，正在复核。`,
  /** A programme the question names that the child has no record of. */
  statusNoProgramme: (programme: string) =>
    `没有查到这个孩子的${programme}申请记录。如果申请过，请问学校资助老师是否已经录入。`,
  /** "老二" when fewer children are bound. */
  statusNoSuchChild: (n: number) => `您只绑定了 ${n} 个孩子。发“我的孩子”可以看已绑定的孩子；其他孩子要先绑定。`,

  /** What happens next, in plain words, by stage. */
  next: {
    submitted: () => "下一步：学校审核。",
    school_approved: () => "下一步：乡镇中心校审核。",
    school_approved_direct: () => "下一步：县学生资助管理中心审核。",
    township_approved: () => "下一步：县学生资助管理中心审核。",
    county_approved: () => "下一步：在学校和村里公示。",
    publicizing: () => "公示期满没有异议，就安排发放。",
    approved: () => "下一步：发放，钱会打到学生或监护人的一卡通账户。",
    paid: () => "",
    rejected: (s: FamilySettings) => `如有不同意见，可以找学校资助老师提出，或${callUs(s)}反映。`,
    objected: () => "有人对公示提出了异议，正在复核。复核有了结果，您再发「查进度」就能看到。",
  },

  // ── subscription ──
  unsubscribed: () => "好的，已退订学校群发的通知。您自己孩子的补助发放和公示通知仍会照常发给您。想恢复请发“订阅”。",
  subscribed: () => "好的，已恢复接收学校群发的通知。",

  // ── handoff ──
  handoffRecorded: (s: FamilySettings) => `已帮您转人工，工作人员上班时间会处理。着急的话请${callUs(s)}。`,
} as const;

/** Words a status question uses for one programme (every programme of core/applications/programmes.ts). */
export const programmeCues: Record<Programme, RegExp> = {
  preschool_aid: /学前|幼儿园|保教费/,
  compulsory_living: /生活补助|两免一补|住校|寄宿|走读|营养|义务教育/,
  senior_grant: /高中[^ ]{0,2}助学金|普高助学金|高中的?补助/,
  senior_fee_waiver: /高中[^ ]{0,2}免(学)?(杂)?费/,
  vocational_grant: /中职[^ ]{0,2}助学金|职高助学金|技校助学金/,
  vocational_fee_waiver: /中职[^ ]{0,2}免学费|职高免学费/,
  vocational_scholarship: /中职[^ ]{0,2}奖学金|国家奖学金/,
  student_loan: /贷款|生源地/,
  yulu: /雨露/,
  freshman_aid: /新生|路费|入学资助/,
};

/** What a status question asks about. */
/** "娃叫赵小兵", "俺孙女名字是王丫": the words that introduce a child's name (stripped before the name is read). */
export const childNameIntro =
  /^(那|就|好|嗯)?(我家|俺家|我|俺)?(的)?(娃|孩子|儿子|闺女|女儿|孙子|孙女|外孙女?|外孙|小孩|学生)(的)?(名字)?(叫做|叫|是)\s*/u;

/** During binding: "学籍号俺不晓得 去哪找", "手机号换了咋办" — where a piece comes from, not the piece itself. */
export const bindingHelpCues = {
  /** "找谁说", "咋办呢": a question is never a child's name. */
  question: /[谁啥吗呢哪咋]|什么|怎么|为何/,
  studentNo: /学籍(号)?[^ ]{0,6}(不知道|不晓得|不清楚|忘了|忘记|没有|找不到|在哪|去哪|哪里|怎么查|咋查|是啥|是什么)/,
};

export const statusAspectCues = {
  card: /卡|账户|账号|尾号|存折|打到哪|打哪|发到哪|转到哪/,
  /**
   * Asking about one's own record: a lookup ("给查一下", "查进度"), a completed step ("打了没有", "是不是已经打到卡上了")
   * or one's own child named ("我家孩子的"). Always the child's status, bound or not; "雨露计划的钱打到哪张卡上" and
   * "钱还没打到社保卡上 咋回事" without these are questions about the programme.
   */
  lookup:
    /查|进度|到哪一步|到哪步|审核结果|我的申请|(了|过)(没有|没|吗|么|木有)|是不是已经|有没有(发|打|到)|发了好多|打了多少|我家|我的|孩子的|我孩子/,
  publicity: /公示|名单/,
  /**
   * A question about the asker's own child that reads like a general one ("钱打到哪张卡上了", "这期公示有没有我家
   * 老二"): for a parent with a bound child it is answered from the child's records, not the knowledge base.
   */
  ownCase:
    /(钱|补助|助学金|补贴|那笔|生活费|奖学金)[^ ]{0,6}(打到|打在|发到|转到|存到|到了|进了)(哪|什么)[^ ]{0,3}(张|个)?(卡|账户|账号|折子|存折)|(打到|打在|发到|转到)(了)?哪(张|个)?(卡|账户)|(公示|名单)[^ ]{0,6}(有没有|有|在不在|上没上|里有)[^ ]{0,2}(我家|我的|我|孩子)|(我家|我的|孩子)[^ ]{0,6}(在不在|上没上|有没有|上了)[^ ]{0,4}(公示|名单)/,
  /** "老大", "老二" … "老幺": the n-th bound child. */
  ordinal: /老(大|二|三|四|幺)/,
};
