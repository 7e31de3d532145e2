/**
 * Answering while storage is down. The policy knowledge base lives in the code, so a policy question needs no
 * storage at all: when the normal path fails with a storage fault (or runs out of time), the channel asks this
 * offline assistant instead — the repository knowledge base, no tenant overrides, no LLM, and a family port that
 * answers every personal request with "系统繁忙，请稍后再试" (never a guess about a child). The channel then
 * sends a policy answer as usual, and a personal one as the busy answer (503 on /chat; a passive reply on WeChat,
 * which must never see a 500).
 */
import { createAssistant, type Assistant, type FamilyPort } from "../assistant/index.js";
import { repositoryKb } from "../policy/overrides.js";
import { channelText } from "../../prompts/channels.js";
import type { ReplyFn, ReplyOutput } from "./reply.js";

export { isStorageFault } from "../errors.js";

export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
}

/** `work`, or DeadlineExceeded after `ms` (the work itself goes on; its result is then ignored). */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), Math.max(0, ms))),
  );
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const busy = async () => channelText.busy();
const busyFamily: FamilyPort = {
  status: async () => [channelText.busy()],
  bind: busy,
  listChildren: async () => [channelText.busy()],
  unbind: busy,
  setSubscription: busy,
  handoff: busy,
};

let assistant: Assistant | undefined;

/** The storage-free answer (built once per process: the index over the repository knowledge base is reused). */
export const offlineReply: ReplyFn = async (input) => {
  assistant ??= createAssistant({ kb: repositoryKb(), tenantSettings: { name: "", hotline: "" }, family: busyFamily });
  return assistant.reply(input);
};

/** An answer about the user's own children (or a request to act on them), which storage must back. */
export function isPersonal(out: Pick<ReplyOutput, "intent" | "flags">): boolean {
  if (out.intent === "handoff") return !out.flags?.crisis;
  return out.intent === "status" || out.intent === "bind" || out.intent === "unbind" || out.intent === "unsubscribe";
}
