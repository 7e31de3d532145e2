/**
 * The FamilyPort (core/assistant/ports.ts) against DynamoDB: binding, children, status, unbinding, subscription
 * and handoff for one chat user. Every word comes from prompts/family.ts; every name leaves masked.
 */
import type { BindArgs, ChatContext, FamilyPort } from "../assistant/ports.js";
import * as chatusers from "../chatusers/index.js";
import * as tenants from "../tenants/index.js";
import { maskName } from "../mask.js";
import { family } from "../../prompts/family.js";
import * as bindings from "./bindings.js";
import { bindWithCode, bindWithDetails, type BindOutcome } from "./binding.js";
import { normalizeCode } from "./codes.js";
import { momentLabel } from "./dates.js";
import * as handoffs from "./handoffs.js";
import * as session from "./session.js";
import { childLabel, childrenOf, statusTexts, type Child, type StatusSettings } from "./status.js";

/** The port plus what the assistant needs for the step-by-step flow and status questions that name a child. */
export interface Family extends FamilyPort {
  /** Status; with the question, one naming another child is refused and one naming an own child shows just that one. */
  status(ctx: ChatContext, question?: string): Promise<string[]>;
  /**
   * Call before routing a message: when the user is in the middle of a step-by-step binding and the message is
   * the next piece (a name, a 学籍号, four digits, a code, or 取消), returns the reply; otherwise undefined.
   */
  continueBinding(ctx: ChatContext, text: string): Promise<string | undefined>;
}

async function settingsOf(tenant: string): Promise<StatusSettings> {
  const t = await tenants.fromId(tenant);
  return { hotline: t?.hotline ?? "", timeZone: t?.timeZone ?? "Asia/Shanghai" };
}

function childLines(children: Child[]): string[] {
  return children.map((c, i) => {
    const { child, school } = childLabel(c);
    return family.childLine(i + 1, child, school);
  });
}

async function replyFor(ctx: ChatContext, outcome: BindOutcome): Promise<string> {
  switch (outcome.kind) {
    case "bound": {
      const school = (await childrenOf(ctx.tenant, ctx.userKey)).find((c) => c.student.id === outcome.student.id)?.school?.name ?? "学校";
      const child = maskName(outcome.student.name);
      return outcome.created ? family.bindSuccess(child, school) : family.bindAlready(child, school);
    }
    case "failed":
      return family.bindFailed(outcome.left);
    case "code_failed":
      return family.bindCodeFailed(outcome.left);
    case "locked":
      return family.bindLocked(momentLabel(outcome.until, (await settingsOf(ctx.tenant)).timeZone));
  }
}

const CANCEL = /^(取消|算了|不绑了|退出|不用了)$/;
const HAN_NAME = /^[\p{Script=Han}·]{2,8}$/u;
const STUDENT_NO = /^[A-Za-z]?\d[\dA-Za-z]{7,23}$/;
/** "张小明 G5101… 1234" sent without the 绑定 word while a flow is open. */
const ALL_IN_ONE = /^([\p{Script=Han}·]{2,8})\s+([A-Za-z]?\d[\dA-Za-z]{7,23})\s+(\d{4})$/u;

export function createFamily(): Family {
  async function bind(ctx: ChatContext, args: BindArgs): Promise<string> {
    if (args.code) {
      await session.clear(ctx.tenant, ctx.userKey);
      return replyFor(ctx, await bindWithCode(ctx.tenant, ctx.userKey, args.code));
    }
    // One message with everything, or pieces across messages (merged with what the flow already holds); a bare
    // "绑定" starts over.
    const empty = !args.name && !args.studentNo && !args.phoneLast4;
    const held = empty ? {} : ((await session.get(ctx.tenant, ctx.userKey)) ?? {});
    const flow = {
      ...held,
      ...(args.name ? { name: args.name.trim() } : {}),
      ...(args.studentNo ? { studentNo: args.studentNo.trim() } : {}),
      ...(args.phoneLast4 ? { phoneLast4: args.phoneLast4.trim() } : {}),
    };
    if (flow.name && flow.studentNo && flow.phoneLast4) {
      await session.clear(ctx.tenant, ctx.userKey);
      return replyFor(ctx, await bindWithDetails(ctx.tenant, ctx.userKey, { name: flow.name, studentNo: flow.studentNo, phoneLast4: flow.phoneLast4 }));
    }
    await session.put(ctx.tenant, ctx.userKey, flow);
    if (!flow.name) return family.bindStart();
    if (!flow.studentNo) return family.bindAskStudentNo();
    return family.bindAskPhone();
  }

  async function continueBinding(ctx: ChatContext, text: string): Promise<string | undefined> {
    const flow = await session.get(ctx.tenant, ctx.userKey);
    if (!flow) return undefined;
    const t = text.normalize("NFKC").trim().replace(/\s+/g, "");
    if (CANCEL.test(t)) {
      await session.clear(ctx.tenant, ctx.userKey);
      return family.bindCancelled();
    }
    const all = ALL_IN_ONE.exec(text.normalize("NFKC").trim());
    if (all) return bind(ctx, { name: all[1]!, studentNo: all[2]!.toUpperCase(), phoneLast4: all[3]! });
    const value = t.replace(/^(姓名|名字|学籍号|学籍|手机尾号|手机后四位|尾号|后四位|绑定码)[:：]?/, "");
    if (!flow.name && HAN_NAME.test(value)) return bind(ctx, { name: value });
    const code = normalizeCode(value);
    if (code && !flow.studentNo) return bind(ctx, { code });
    if (!flow.studentNo && STUDENT_NO.test(value)) return bind(ctx, { studentNo: value.toUpperCase() });
    if (flow.name && flow.studentNo && !flow.phoneLast4 && /^\d{4}$/.test(value)) return bind(ctx, { phoneLast4: value });
    return undefined;
  }

  return {
    bind,
    continueBinding,

    async status(ctx, question) {
      return statusTexts(ctx.tenant, ctx.userKey, await settingsOf(ctx.tenant), question);
    },

    async listChildren(ctx) {
      const children = await childrenOf(ctx.tenant, ctx.userKey);
      return [children.length ? family.childrenList(childLines(children)) : family.childrenNone()];
    },

    async unbind(ctx, which) {
      const children = await childrenOf(ctx.tenant, ctx.userKey);
      // Bindings whose student record is gone still count: unbinding must always be possible.
      const bound = await bindings.studentsOf(ctx.tenant, ctx.userKey);
      if (bound.length === 0) return family.unbindNone();
      const w = which?.trim();
      if (w && /^(全部|所有|都|全部孩子|all)$/i.test(w)) {
        await Promise.all(bound.map((b) => bindings.unbind(ctx.tenant, b.studentId, ctx.userKey)));
        return family.unbindAllDone(bound.length);
      }
      let target: Child | undefined;
      if (w) {
        const position = /^\d+$/.test(w) ? Number(w) : undefined;
        target =
          position !== undefined
            ? children[position - 1]
            : children.find((c) => c.student.name === w || maskName(c.student.name) === w || [...c.student.name].slice(1).join("") === w);
        if (!target) return family.unbindNotFound();
      } else if (children.length === 1) {
        target = children[0];
      } else if (children.length === 0) {
        await Promise.all(bound.map((b) => bindings.unbind(ctx.tenant, b.studentId, ctx.userKey)));
        return family.unbindAllDone(bound.length);
      } else {
        return family.unbindWhich(childLines(children));
      }
      await bindings.unbind(ctx.tenant, target!.student.id, ctx.userKey);
      return family.unbindDone(childLabel(target!).child);
    },

    async setSubscription(ctx, on) {
      await chatusers.setBroadcasts(ctx.tenant, ctx.userKey, on);
      return on ? family.subscribed() : family.unsubscribed();
    },

    async handoff(ctx, text) {
      const children = await childrenOf(ctx.tenant, ctx.userKey);
      await handoffs.record(
        ctx.tenant,
        ctx.userKey,
        text,
        children.map((c) => ({ name: maskName(c.student.name), schoolId: c.student.schoolId })),
      );
      return family.handoffRecorded(await settingsOf(ctx.tenant));
    },
  };
}
