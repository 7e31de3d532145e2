/** POST /chat/:tenant — the web chat (contract: `{text, session?}` → `{session, intent, replies:[{text}]}` + citations, inbox). */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../core/errors.js";
import { chat } from "../../core/channels/web/chat.js";
import { defaultReply, type ReplyFn } from "../../core/channels/reply.js";
import { clientAddress } from "./client.js";

const MAX_BODY = 8 * 1024;

export function chatRoutes(deps: { reply?: ReplyFn } = {}) {
  const reply = deps.reply ?? defaultReply;
  return new Hono().post(
    "/chat/:tenant",
    bodyLimit({
      maxSize: MAX_BODY,
      onError: () => {
        throw AppError.validation("too_large", `body exceeds ${MAX_BODY} bytes`);
      },
    }),
    async (c) => {
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        throw AppError.validation("invalid_json", "body must be JSON: {\"text\": \"…\", \"session\": \"…\"}");
      }
      c.header("cache-control", "no-store");
      return c.json(await chat(reply, c.req.param("tenant"), body, { client: clientAddress(c) }));
    },
  );
}
