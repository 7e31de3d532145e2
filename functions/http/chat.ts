/**
 * POST /chat/:tenant — the web chat (contract: `{text, session?}` → `{session, intent, replies:[{text}]}` + citations,
 * inbox); POST /chat/:tenant/inbox — the page's own look for new inbox items (`{session}` → `{inbox}`), so a
 * person's reply or a notice shows without the family typing.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../core/errors.js";
import { chat, ChatRequest, InboxRequest, newInbox } from "../../core/channels/web/chat.js";
import { defaultReply, type ReplyFn } from "../../core/channels/reply.js";
import { clientAddress } from "./client.js";
import { declare, route, type RouteDecl } from "./api/contract.js";

export const ChatResponse = z.object({
  session: z.string().describe("会话编号：同一会话就是同一个用户，后续问题结合前文理解"),
  intent: z
    .enum(["policy", "status", "bind", "unbind", "handoff", "greeting", "unsubscribe", "out_of_scope"])
    .or(z.string()),
  replies: z.array(z.object({ text: z.string() })),
  citations: z.array(z.object({ id: z.string(), title: z.string() })).describe("回答所依据的政策条目"),
  inbox: z
    .array(z.object({ id: z.string(), kind: z.string(), text: z.string(), at: z.string() }))
    .describe("给这个会话的通知（公示、发放、学校通知）"),
});

const chatRoute: RouteDecl<typeof ChatRequest> = {
  method: "post",
  path: "/chat/{tenant}",
  summary: "Web chat: one message in, the assistant's replies out",
  description:
    "The server issues `session` on the first turn; send it back to continue the same conversation. 429 with Retry-After past 20 messages a minute per session or 120 per address.",
  tags: ["chat"],
  roles: "public",
  scope: "public",
  request: { body: ChatRequest, checkedBy: "core", params: { tenant: "县（租户）编号，如 demo" } },
  responses: { 200: { description: "the replies", schema: ChatResponse } },
  errors: { 429: "太频繁（Retry-After）" },
  bodyLimit: 8 * 1024,
};

export const InboxResponse = ChatResponse.pick({ inbox: true });

const inboxRoute: RouteDecl<typeof InboxRequest> = {
  method: "post",
  path: "/chat/{tenant}/inbox",
  summary: "Web chat: what waits for this session (a person's reply, notices), each item once",
  description:
    "The chat page asks every ~12 seconds while it is open and when it regains focus, so a reply or notice shows without the family typing. POST so the session (a bearer secret) stays out of URLs and access logs. An unknown or expired session gets an empty list (no new session). Items handed out here are not repeated with the next message, nor the other way round. 429 with Retry-After past 12 looks a minute per session or the chat's 120 requests a minute per address.",
  tags: ["chat"],
  roles: "public",
  scope: "public",
  request: { body: InboxRequest, params: { tenant: "县（租户）编号，如 demo" } },
  responses: { 200: { description: "new inbox items, oldest first", schema: InboxResponse } },
  errors: { 429: "太频繁（Retry-After）" },
  bodyLimit: 1024,
};

// Declared when the module loads, so the OpenAPI document has them whichever app is built (or none).
declare(chatRoute);
declare(inboxRoute);

export function chatRoutes(deps: { reply?: ReplyFn } = {}) {
  const reply = deps.reply ?? defaultReply;
  const app = new Hono();
  route(app, chatRoute, async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw AppError.validation("invalid_json", 'body must be JSON: {"text": "…", "session": "…"}');
    }
    c.header("cache-control", "no-store");
    return c.json(await chat(reply, c.req.param("tenant")!, body, { client: clientAddress(c) }));
  });
  route(app, inboxRoute, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await newInbox(c.req.param("tenant")!, c.req.valid("json"), { client: clientAddress(c) }));
  });
  return app;
}
