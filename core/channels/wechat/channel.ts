/**
 * WeChat as a channel: a notice goes out as a template message (the tenant's template id for its kind) carrying
 * client_msg_id = notification id, so a takeover after a crash between send and record is absorbed by WeChat (same
 * openid + client_msg_id within 10 minutes is delivered once). After the send the msgid is linked to the notice
 * (template-results.ts); WeChat's TEMPLATESENDJOBFINISH later says whether it arrived.
 *
 * Errors (docs/design.md §3, docs/wechat-protocol.md §7): retry-later → `retry` with a delay (the daily quota resets at midnight, the minute
 * quota in a minute); token errors are retried inside the client, and if they still fail they are retried later;
 * permanent, configuration and window errors → `failed`, not retried. Anything that is not a WeChat error (network,
 * our own bug) is thrown: delivery gives the claim back and the queue retries.
 */
import { log } from "../../log.js";
import { backoffSeconds } from "../../queue/batch.js";
import type { ChatChannel } from "../port.js";
import { wechatApi, WechatApiError } from "./api.js";
import { linkSent } from "./template-results.js";

/** Seconds to wait for a WeChat retry-later error: the daily quota (45009) resets at midnight, the minute quota in a minute. */
function retryDelay(errcode: number, receiveCount: number): number {
  if (errcode === 45009) return 3600;
  if (errcode === 45011) return Math.max(60, backoffSeconds(receiveCount));
  return backoffSeconds(receiveCount);
}

export const wechatChannel: ChatChannel = {
  name: "wechat",
  async send(to, notice, ctx) {
    const nlog = log.child(ctx.logFields);
    const templateId = ctx.tenant.templates[notice.template];
    if (!templateId) {
      nlog.warn("no WeChat template configured for this kind of notice", { kind: notice.kind });
      return { status: "failed", reason: "template_not_configured" };
    }
    let msgid: string;
    try {
      const out = await wechatApi(to.tenant).sendTemplate(to.channelId, templateId, notice.fields, notice.id);
      msgid = String(out.msgid);
    } catch (e) {
      if (!(e instanceof WechatApiError)) throw e;
      if (e.kind === "permanent" || e.kind === "config" || e.kind === "window") {
        if (e.kind === "config") nlog.error("WeChat configuration error", { errcode: e.errcode });
        return { status: "failed", errcode: e.errcode, reason: `wechat_${e.errcode}` };
      }
      return {
        status: "retry",
        afterSeconds: retryDelay(e.errcode, ctx.receiveCount),
        reason: `wechat_${e.errcode}`,
        errcode: e.errcode,
        detail: `WeChat ${e.errcode} (${e.kind})`,
      };
    }
    const early = await linkSent(to.tenant, notice.eventId, notice.id, msgid);
    return { status: early ?? "sent", ref: msgid };
  },
};
