/**
 * The web-chat verb behind POST /chat/:tenant (docs/design.md §4.5, §4.6): `{text, session?}` →
 * `{session, intent, replies:[{text}]}`, plus the answer's `citations` and the user's pending notifications
 * (`inbox`, from ./inbox.ts: web users have no push channel, so notices wait there and are
 * handed out with the next answer, each once per session).
 */
import { z } from "zod";
import { userKey } from "../../db/keys.js";
import { AppError } from "../../errors.js";
import { withOrigin, type Origin } from "../../abuse/origin.js";
import { enforce, RateRules } from "../../abuse/ratelimit.js";
import { log } from "../../log.js";
import * as inbox from "./inbox.js";
import type { ReplyFn } from "../reply.js";
import { channelTenant, knownTenant, lookupTenant } from "../tenant.js";
import { findSession, promoteIfBound, resolveSession, saveInboxCursor } from "./session.js";
import { randomBytes } from "node:crypto";
import { config } from "../../config.js";
import { isTenantId } from "../../ids.js";
import { isPersonal, isStorageFault, offlineReply, withDeadline } from "../offline.js";
import { channelText } from "../../../prompts/channels.js";

/** A storage fault found on the way (core/errors.ts counts the name as one). */
class StorageDown extends Error {
  override readonly name = "StorageUnavailable";
}

export const ChatRequest = z.object({
  text: z.string().trim().min(1, "text is empty").max(500, "text is longer than 500 characters"),
  session: z.string().max(128).optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

export interface ChatResponse {
  session: string;
  intent: string;
  replies: { text: string }[];
  citations: { id: string; title: string }[];
  inbox: { id: string; kind: string; text: string; at: string }[];
}

async function pendingInbox(
  tenant: string,
  key: string,
  sessionId: string,
  since: string | undefined,
): Promise<ChatResponse["inbox"]> {
  try {
    const page = await inbox.read(tenant, key, since);
    if (page.items.length === 0 || !page.cursor) return [];
    // Another read of this session (the page's look for notices) handed these out already.
    if (!(await saveInboxCursor(tenant, sessionId, page.cursor, since))) return [];
    return page.items.map((i) => ({ id: i.id, kind: i.kind, text: i.text, at: i.at }));
  } catch (e) {
    // The answer matters more than the notices; they are shown with the next message instead.
    log.warn("web inbox could not be read", { tenant, error: e });
    return [];
  }
}

export const InboxRequest = z.object({
  session: z.string().max(128).describe("the session the chat issued"),
});
export type InboxRequest = z.infer<typeof InboxRequest>;

/**
 * The page's own look for what waits in the session's inbox (a person's reply, a school notice) while nobody types:
 * each item once, as with a message (the cursor moves only for the read that hands it out). An unknown or expired
 * session gets nothing and no new session. Limits: the chat's per-address limit and a per-session one for looking.
 */
export async function newInbox(
  tenant: string,
  req: InboxRequest,
  origin: Origin = {},
): Promise<Pick<ChatResponse, "inbox">> {
  if (!(await channelTenant(tenant))) throw AppError.notFound("tenant");
  await enforce(tenant, RateRules.chatPerClient, origin.client);
  const s = await findSession(tenant, req.session);
  if (!s) return { inbox: [] };
  await enforce(tenant, RateRules.inboxPerSession, s.sessionId);
  return { inbox: await pendingInbox(tenant, userKey("web", s.userId), s.sessionId, s.inboxCursor) };
}

/**
 * Limits (429 with Retry-After, core/abuse/ratelimit.ts): messages per client address and per session, and new
 * sessions per client address (in resolveSession) — every new session is a fresh chat user with its own binding
 * budget, so sessions must not be free to mint.
 */
export async function chat(reply: ReplyFn, tenant: string, input: unknown, origin: Origin = {}): Promise<ChatResponse> {
  const req = ChatRequest.parse(input);
  const c = config();
  const budget = c.llm ? Math.max(c.chatBudgetMs, c.llm.timeoutMs + 4000) : c.chatBudgetMs;
  try {
    return await withDeadline(answer(reply, tenant, req, origin), budget);
  } catch (e) {
    if (!isStorageFault(e)) throw e;
    return offline(tenant, req, e);
  }
}

/**
 * Storage down or too slow (core/channels/offline.ts): a policy answer from the storage-free assistant, with the
 * session the client sent (or a fresh id that is not stored — it simply starts a new session next time); a
 * personal question gets 503 "系统繁忙，请稍后再试" with Retry-After.
 */
async function offline(tenant: string, req: ChatRequest, cause: unknown): Promise<ChatResponse> {
  if (!isTenantId(tenant)) throw AppError.notFound("tenant");
  // A tenant this process never read may not exist: nothing is answered for it until storage is back.
  if (!knownTenant(tenant)) throw AppError.unavailable("storage_unavailable", channelText.busy(), 10, cause);
  log.warn("storage unavailable: web chat answered offline", { tenant, error: cause });
  const out = await offlineReply({ tenant, userKey: "web:offline", channel: "web", text: req.text });
  if (isPersonal(out)) throw AppError.unavailable("storage_unavailable", channelText.busy(), 10, cause);
  return {
    session:
      req.session && /^[A-Za-z0-9_-]{22}$/.test(req.session) ? req.session : randomBytes(16).toString("base64url"),
    intent: out.intent,
    replies: out.replies.map((r) => ({ text: r.text })),
    citations: (out.citations ?? []).map((x) => ({ id: x.id, title: x.title })),
    inbox: [],
  };
}

async function answer(reply: ReplyFn, tenant: string, req: ChatRequest, origin: Origin): Promise<ChatResponse> {
  const looked = await lookupTenant(tenant);
  if (!looked.tenant) throw AppError.notFound("tenant");
  // Storage did not answer the lookup (the last known tenant stood in): answer offline now, not after the budget.
  if (looked.stale) throw new StorageDown("the tenant lookup got no answer from storage");
  await enforce(tenant, RateRules.chatPerClient, origin.client);
  const s = await resolveSession(tenant, req.session, origin.client);
  if (!s.isNew) await enforce(tenant, RateRules.chatPerSession, s.sessionId);
  const key = userKey("web", s.userId);
  const [out, notices] = await Promise.all([
    withOrigin(origin, () => reply({ tenant, userKey: key, channel: "web", text: req.text })),
    s.isNew ? Promise.resolve([]) : pendingInbox(tenant, key, s.sessionId, s.inboxCursor),
  ]);
  if (out.intent === "bind") {
    await promoteIfBound(tenant, s).catch((e: unknown) =>
      log.warn("web session not promoted after binding", { tenant, error: e }),
    );
  }
  return {
    session: s.sessionId,
    intent: out.intent,
    replies: out.replies.map((r) => ({ text: r.text })),
    citations: (out.citations ?? []).map((c) => ({ id: c.id, title: c.title })),
    inbox: notices,
  };
}
