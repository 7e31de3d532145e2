/**
 * Every word a notification says. Core code picks the values (already masked) and these functions compose them.
 *
 * Privacy: a notice names only the recipient's own child, masked (张*明), and never the list, other families,
 * an ID number or a full account. WeChat template messages show at most 20 characters per field and no line
 * breaks (docs/wechat-protocol.md §6); core/notifications/render.ts enforces that on whatever these return.
 *
 * Template keys follow the category-library style (`thing1`, `time3` …). The tenant's templates (tenant settings
 * `templates.publicity|payment|broadcast`) must be created with these keys.
 */
import { ProgrammeShortNames, type Programme } from "../core/applications/programmes.js";

/** 2025-11-01 → 2025年11月1日 */
export function dateLabel(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2025-11-01 .. 2025-11-07 → 11月1日至11月7日 (the year once, when both ends share it). */
export function rangeLabel(start: string, end: string): string {
  const [y1] = start.split("-");
  const [y2, m2, d2] = end.split("-").map(Number);
  return y1 === String(y2) ? `${dateLabel(start)}至${m2}月${d2}日` : `${dateLabel(start)}至${dateLabel(end)}`;
}

export interface PublicityNotice {
  /** The recipient's own child, masked. */
  child: string;
  programme: Programme;
  /** Official programme name, for the full text. */
  programmeName: string;
  term: string;
  start: string;
  end: string;
  objectionContact: string;
}

export interface PaymentLine {
  programme: Programme;
  /** Official programme name, for the full text. */
  programmeName: string;
  term: string;
  /** Yuan, as text ("625" or "625.50"). */
  amount: string;
  paidDate: string;
  accountLast4: string;
}

export interface PaymentNotice {
  child: string;
  /** One line per paid application of this child in the batch (usually one). */
  lines: PaymentLine[];
  /** Sum of the lines, yuan as text. */
  total: string;
}

export interface BroadcastNotice {
  school: string;
  text: string;
  /** The local date (YYYY-MM-DD) the notice was issued. */
  date: string;
}

export interface ObjectionNotice {
  /** The recipient's own child, masked. */
  child: string;
  programme: Programme;
  programmeName: string;
  term: string;
  /** upheld: the objection holds and the application did not pass; dismissed: it does not hold. */
  verdict: "upheld" | "dismissed";
  /** The bureau's reason; said only when upheld (it is that family's own). */
  reason: string;
  /** Who tells: the county's name (the 通知 template's first field). */
  sender: string;
  /** The county centre's phone. */
  hotline: string;
  /** The local date (YYYY-MM-DD) it was decided. */
  date: string;
}

export const notices = {
  publicity: {
    text: (n: PublicityNotice) =>
      `【资助公示】您的孩子${n.child}申请的${n.programmeName}（${n.term}）已通过县级审核，现进入公示，公示期${rangeLabel(n.start, n.end)}。` +
      `公示期内如有疑问或异议，请联系：${n.objectionContact}。公示名单请到学校或村（社区）公示栏查看。`,
    template: (n: PublicityNotice) => ({
      thing1: n.child,
      thing2: ProgrammeShortNames[n.programme],
      time3: rangeLabel(n.start, n.end),
      thing4: n.objectionContact,
    }),
  },
  payment: {
    text: (n: PaymentNotice) =>
      `【资助到账】您的孩子${n.child}的` +
      n.lines
        .map(
          (l) =>
            `${l.programmeName}（${l.term}）${l.amount}元已于${dateLabel(l.paidDate)}发放到尾号${l.accountLast4}的账户`,
        )
        .join("；") +
      `，请注意查收。资助资金不收取任何费用，凡索要手续费、验证码的都是诈骗。`,
    template: (n: PaymentNotice) => {
      const first = n.lines[0];
      const name = first ? ProgrammeShortNames[first.programme] : "";
      return {
        thing1: n.child,
        thing2: n.lines.length > 1 ? `${name}等${n.lines.length}项` : name,
        amount3: `${n.total}元`,
        time4: first ? dateLabel(first.paidDate) : "",
        character_string5: first ? `尾号${first.accountLast4}` : "",
      };
    },
  },
  /**
   * An objection decided. WeChat: the 通知 (broadcast) template, whose three fields fit it (who tells, what, when);
   * the reason does not fit 20 characters, so the template points to 查进度, which shows it to this family only.
   */
  objection: {
    text: (n: ObjectionNotice) =>
      n.verdict === "upheld"
        ? `【异议复核结果】您的孩子${n.child}申请的${n.programmeName}（${n.term}）在公示期间有人提出异议，县学生资助管理中心已经复核，结果是：申请未通过。原因：${n.reason}。` +
          `如有不同意见，可以找学校资助老师，或打电话${n.hotline}反映。`
        : `【异议复核结果】您的孩子${n.child}申请的${n.programmeName}（${n.term}）在公示期间有人提出异议，县学生资助管理中心已经复核，异议不成立，申请恢复为“公示无异议”，接下来按正常流程等待发放，您不用再做什么。` +
          `如有疑问，请打电话${n.hotline}。`,
    template: (n: ObjectionNotice) => ({
      thing1: n.sender,
      thing2:
        n.verdict === "upheld" ? `${n.child}的申请复核未通过，回复查进度看原因` : `${n.child}的异议不成立，公示无异议`,
      time3: dateLabel(n.date),
    }),
  },
  broadcast: {
    text: (n: BroadcastNotice) => `【学校通知】${n.school}：${n.text}`,
    template: (n: BroadcastNotice) => ({
      thing1: n.school,
      thing2: n.text,
      time3: dateLabel(n.date),
    }),
  },
} as const;

export type NoticeKind = keyof typeof notices;
