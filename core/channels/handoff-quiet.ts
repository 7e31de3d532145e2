/**
 * The bot stays quiet while a person owns the family's request (docs/architecture.md, "handoff inbox"): the one
 * place the reply path looks at handoffs. Per message it reads one item — the user's open-request marker
 * (pattern 56) — and only a user with an open request costs more:
 *
 * - owned (claimed) and not a crisis → the family's words join the request's thread and the bot says a person is
 *   handling it, instead of answering;
 * - a crisis → always the assistant (emergency numbers), and the request is marked crisis;
 * - open but unclaimed → the assistant answers as usual, and the turn (question and answer) joins the thread so
 *   the person who picks it up sees what happened since;
 * - staff replies that could not be sent (WeChat's 48-hour window had passed) are handed out first.
 */
import { isCrisis } from "../assistant/guardrails.js";
import * as handoffs from "../families/handoffs.js";
import { log } from "../log.js";
import { handoffText } from "../../prompts/handoff.js";
import type { ReplyFn, ReplyOutput } from "./reply.js";

export function withHandoffQuiet(next: ReplyFn): ReplyFn {
  return async function replyWithHandoffQuiet(input) {
    const open = await handoffs.openFor(input.tenant, input.userKey);
    if (!open) {
      const out = await next(input);
      if (out.flags?.crisis) await handoffs.markCrisis(input.tenant, input.userKey);
      return out;
    }
    const at = new Date().toISOString();
    const pending = await handoffs.takePending(input.tenant, input.userKey, open);
    const crisis = isCrisis(input.text);
    const out: ReplyOutput =
      open.owner && !crisis
        ? { intent: "handoff", replies: [{ text: handoffText.personHandling(open.owner) }], citations: [] }
        : await next(input);
    const ticket = await handoffs.byId(input.tenant, open.handoffId);
    if (ticket) {
      const kept = await handoffs.appendThread(
        ticket.key,
        [
          { at, from: "parent", text: input.text },
          ...out.replies.map((r) => ({ at, from: "bot" as const, text: r.text })),
        ],
        { parentAt: at, crisis: crisis || out.flags?.crisis === true },
      );
      if (!kept) log.warn("handoff thread not extended (closed or full)", { tenant: input.tenant });
    }
    return pending.length ? { ...out, replies: [...pending.map((text) => ({ text })), ...out.replies] } : out;
  };
}
