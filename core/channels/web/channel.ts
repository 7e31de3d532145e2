/**
 * The web chat as a channel: it has no push, so a notice goes into the user's inbox (inbox.ts) and is handed out
 * with their next answer (chat.ts). The inbox item's time is fixed at the first attempt, so a retried delivery
 * writes the same item once. Reaching the inbox is the end of it: `delivered`.
 */
import type { ChatChannel } from "../port.js";
import * as inbox from "./inbox.js";

export const webChannel: ChatChannel = {
  name: "web",
  async send(to, notice, ctx) {
    const at = await ctx.firstAttemptAt();
    await inbox.push(to.tenant, to.userKey, {
      id: notice.id,
      eventId: notice.eventId,
      kind: notice.kind,
      text: notice.text,
      at,
    });
    return { status: "delivered" };
  },
};
