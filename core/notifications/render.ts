/**
 * From a notification and its event to what is sent: the template fields (WeChat) and the full text (inbox).
 * The words live in prompts/notifications.ts; this module supplies masked values and enforces the protocol
 * limits (≤ 20 characters per template field, no line breaks — docs/wechat-protocol.md §6).
 */
import { Programmes, termLabel, yuan } from "../applications/index.js";
import { notices } from "../../prompts/notifications.js";
import type { EventInfo } from "./events.js";
import type { NotificationInfo } from "./records.js";

export const TEMPLATE_FIELD_MAX = 20;

/** One line, at most 20 characters; a longer value ends in "…" rather than being cut mid-word by WeChat. */
export function templateField(value: string): string {
  const flat = value
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...flat];
  return chars.length <= TEMPLATE_FIELD_MAX ? flat : chars.slice(0, TEMPLATE_FIELD_MAX - 1).join("") + "…";
}

export interface Rendered {
  /** Template fields, ready for sendTemplate. */
  data: Record<string, { value: string }>;
  /** The whole notice, for the inbox. */
  text: string;
}

/** The tenant's WeChat templates (tenant settings `templates`). */
export type TemplateKind = "publicity" | "payment" | "broadcast";

/** Which template carries each kind of notice: an objection result goes out in the 通知 template (prompts/notifications.ts). */
export const TEMPLATE_OF: Record<NotificationInfo["kind"], TemplateKind> = {
  publicity: "publicity",
  payment: "payment",
  broadcast: "broadcast",
  objection: "broadcast",
};

export interface RenderContext {
  /** The broadcasting school's name. */
  schoolName?: string;
  /** The county's name and its centre's phone (an objection result says who decided and whom to call). */
  tenantName?: string;
  hotline?: string;
  /** The local date the event was issued (YYYY-MM-DD, tenant time zone). */
  localDate: string;
}

function fields(raw: Record<string, string>): Rendered["data"] {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, { value: templateField(v) }]));
}

export function render(event: EventInfo, n: NotificationInfo, ctx: RenderContext): Rendered {
  switch (event.kind) {
    case "publicity": {
      const p = event.publicity;
      const notice = {
        child: n.child,
        programme: p.programme,
        programmeName: Programmes[p.programme],
        term: termLabel(p.term),
        start: p.start,
        end: p.end,
        objectionContact: p.objectionContact,
      };
      return { data: fields(notices.publicity.template(notice)), text: notices.publicity.text(notice) };
    }
    case "payment": {
      const paid = n.payments ?? [];
      if (paid.length === 0) throw new Error("payment notification without payment lines");
      const notice = {
        child: n.child,
        lines: paid.map((l) => ({
          programme: l.programme,
          programmeName: Programmes[l.programme],
          term: termLabel(l.term),
          amount: yuan(l.amountFen),
          paidDate: l.paidDate,
          accountLast4: l.accountLast4,
        })),
        total: yuan(paid.reduce((sum, l) => sum + l.amountFen, 0)),
      };
      return { data: fields(notices.payment.template(notice)), text: notices.payment.text(notice) };
    }
    case "broadcast": {
      const notice = { school: ctx.schoolName ?? "", text: event.broadcast.text, date: ctx.localDate };
      return { data: fields(notices.broadcast.template(notice)), text: notices.broadcast.text(notice) };
    }
    case "objection": {
      const o = event.objection;
      const notice = {
        child: n.child,
        programme: o.programme,
        programmeName: Programmes[o.programme],
        term: termLabel(o.term),
        verdict: o.verdict,
        reason: o.reason,
        sender: ctx.tenantName || "县学生资助管理中心",
        hotline: ctx.hotline ?? "",
        date: ctx.localDate,
      };
      return { data: fields(notices.objection.template(notice)), text: notices.objection.text(notice) };
    }
  }
}
