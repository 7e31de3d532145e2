/**
 * The FamilyPort (core/assistant/ports.ts) against DynamoDB: binding, children, status, unbinding, subscription
 * and handoff for one chat user. Every word comes from prompts/family.ts; every name leaves masked.
 */
import type { BindArgs, ChatContext, FamilyPort } from "../assistant/ports.js";
import * as chatusers from "../chatusers/index.js";
import * as tenants from "../tenants/index.js";
import { maskName } from "../mask.js";
import { bindingHelpCues, childNameIntro, family } from "../../prompts/family.js";
import * as bindings from "./bindings.js";
import { bindWithCode, bindWithDetails, type BindOutcome } from "./binding.js";
import { normalizeCode } from "./codes.js";
import { momentLabel } from "./dates.js";
import * as handoffs from "./handoffs.js";
import * as safetyTopics from "./safety-topic.js";
import * as session from "./session.js";
import { isNameLike } from "./names.js";
import { childLabel, childrenOf, statusTexts, type Child, type StatusSettings } from "./status.js";

/** The port plus what the assistant needs for the step-by-step flow and status questions that name a child. */
export interface Family extends FamilyPort {
  /** Status; with the question, one naming another child is refused and one naming an own child shows just that one. */
  status(ctx: ChatContext, question?: string): Promise<string[]>;
  /**
   * Call before routing a message: when the user is in the middle of a step-by-step binding and the message is
   * the next piece (a name, a 学籍号, four digits, a code, or 取消), returns the reply; otherwise undefined.
   */
  continueBinding(ctx: ChatContext, text: string, opts?: { freeText: boolean }): Promise<string | undefined>;
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
      const school =
        (await childrenOf(ctx.tenant, ctx.userKey)).find((c) => c.student.id === outcome.student.id)?.school?.name ??
        "学校";
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

/** "取消", "取消 不绑了", "算了吧": one or more cancel words and nothing else. */
const CANCEL = /^(取消|算了|不绑了|不绑|退出|不用了|不要了|取消绑定|先不绑了?)+(吧|了|啦)?$/;
/** "搞错了 是0002", "不对 学籍号应该是G…": a correction replaces the piece it carries. */
const CORRECTION =
  /不对|错了|搞错|弄错|打错|写错|输错|发错|填错|记错|更正|改一下|改成|应该是|重新发|重新输|刚才的?|我再发一下|是/g;
const LABELS =
  /绑定|学生姓名|孩子姓名|姓名|名字|学籍号|学籍|手机尾号|手机后四位|手机号|手机|尾号|后四位|后4位|监护人|绑定码|孩子|学生|电话|叫/g;
const STUDENT_NO = /(?<![0-9A-Za-z])([A-Za-z]?\d[\dA-Za-z]{7,23})(?![0-9A-Za-z])/;
const FOUR = /(?<!\d)(\d{4})(?!\d)/;
const HAN_NAME = /^[\p{Script=Han}·]{2,5}$/u;
/** Words a guardian may send during the flow that are not a child's name. */
const NOT_A_NAME =
  /^(好的|好|嗯|对|是的|可以|收到|知道了|明白|谢谢|不知道|不清楚|忘了|没有|在吗|你好|您好|什么|怎么|为什么|哪里)$/;

/** The pieces of binding data in one message (a name, a 学籍号, four digits, a 12-digit binding code). */
function piecesOf(
  text: string,
  flow: session.BindingFlow,
  freeText: boolean,
): { name?: string; studentNo?: string; phoneLast4?: string; code?: string } {
  let rest = text.normalize("NFKC").replace(/\s+/g, " ").trim().replace(childNameIntro, "");
  const corrected = CORRECTION.test(rest);
  CORRECTION.lastIndex = 0;
  rest = rest
    .replace(CORRECTION, " ")
    .replace(LABELS, " ")
    .replace(/[,，。.:：;；!！?？、]/g, " ");
  const out: { name?: string; studentNo?: string; phoneLast4?: string; code?: string } = {};
  const compact = rest.replace(/\s+/g, "");
  const code = normalizeCode(compact);
  if (code && !flow.studentNo) return { code };
  const no = STUDENT_NO.exec(rest);
  if (no) {
    out.studentNo = no[1]!.toUpperCase();
    rest = rest.replace(no[0], " ");
  }
  const four = FOUR.exec(rest);
  if (four && (out.studentNo || flow.studentNo)) {
    out.phoneLast4 = four[1]!;
    rest = rest.replace(four[0], " ");
  }
  const name = rest.replace(/\s+/g, "");
  // A bare name only when the message is free text (not a command or a question) or sent with a number.
  if (
    HAN_NAME.test(name) &&
    !NOT_A_NAME.test(name) &&
    !bindingHelpCues.question.test(name) &&
    (freeText || out.studentNo || out.phoneLast4 || corrected)
  )
    out.name = name;
  // A question that happens to hold four digits ("一年1250吗") is not binding data: a routed message must be data only.
  else if (!freeText && name !== "") return {};
  return out;
}

export function createFamily(): Family {
  async function bind(ctx: ChatContext, args: BindArgs): Promise<string> {
    if (args.code) {
      await session.clear(ctx.tenant, ctx.userKey);
      return replyFor(ctx, await bindWithCode(ctx.tenant, ctx.userKey, args.code));
    }
    if (args.malformedCode && !args.name && !args.studentNo) return family.bindCodeMalformed();
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
      const outcome = await bindWithDetails(ctx.tenant, ctx.userKey, {
        name: flow.name,
        studentNo: flow.studentNo,
        phoneLast4: flow.phoneLast4,
      });
      // After a mismatch the pieces stay (15 minutes) so "搞错了 是0002" replaces just the one that was wrong.
      if (outcome.kind === "failed") await session.put(ctx.tenant, ctx.userKey, flow);
      else await session.clear(ctx.tenant, ctx.userKey);
      return replyFor(ctx, outcome);
    }
    await session.put(ctx.tenant, ctx.userKey, flow);
    if (!flow.name) return family.bindStart();
    if (!flow.studentNo) return family.bindAskStudentNo();
    return family.bindAskPhone();
  }

  async function continueBinding(
    ctx: ChatContext,
    text: string,
    opts: { freeText: boolean } = { freeText: true },
  ): Promise<string | undefined> {
    const flow = await session.get(ctx.tenant, ctx.userKey);
    if (!flow) return undefined;
    const t = text.normalize("NFKC").trim().replace(/\s+/g, "");
    if (CANCEL.test(t)) {
      await session.clear(ctx.tenant, ctx.userKey);
      return family.bindCancelled();
    }
    if (bindingHelpCues.studentNo.test(t)) {
      await session.put(ctx.tenant, ctx.userKey, flow);
      return family.bindWhereStudentNo();
    }
    // A bare name that the router took for a short policy question (a surname and one or two characters) is a name.
    const p = piecesOf(
      text,
      flow,
      opts.freeText || (/^\p{Script=Han}{2,3}$/u.test(t) && isNameLike(t) && !/中|学|补|钱|贷|费/.test(t.slice(1))),
    );
    if (p.code) return bind(ctx, { code: p.code });
    if (!p.name && !p.studentNo && !p.phoneLast4) return undefined;
    return bind(ctx, p);
  }

  return {
    bind,
    continueBinding,
    safetyTopic: (ctx) => safetyTopics.get(ctx.tenant, ctx.userKey),
    hasBoundChild: async (ctx) => (await bindings.studentsOf(ctx.tenant, ctx.userKey)).length > 0,
    rememberSafetyTopic: (ctx, topic) => safetyTopics.put(ctx.tenant, ctx.userKey, topic),

    async status(ctx, question) {
      const texts = await statusTexts(ctx.tenant, ctx.userKey, await settingsOf(ctx.tenant), question);
      // No child bound yet: the answer says how to bind, so the next message may be the child's name ("娃叫赵小兵").
      if (
        texts.length === 1 &&
        texts[0] === family.statusNeedsBinding() &&
        !(await session.get(ctx.tenant, ctx.userKey))
      )
        await session.put(ctx.tenant, ctx.userKey, {});
      return texts;
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
            : children.find(
                (c) =>
                  c.student.name === w || maskName(c.student.name) === w || [...c.student.name].slice(1).join("") === w,
              );
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
