/**
 * GET|POST /wechat/:tenant — the WeChat Official Account webhook. Thin: read the raw text body (never a form
 * parser, at most 64 KiB), call the core webhook verb, map the answer. Refusals are AppErrors (401/403/400/404)
 * mapped by the app's onError.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../core/errors.js";
import { defaultReply, type ReplyFn } from "../../core/channels/reply.js";
import { wechatWebhook, type WebhookDeps } from "../../core/channels/wechat/inbound.js";
import { MAX_BODY_BYTES } from "../../core/channels/wechat/webhook.js";
import { notificationOutcomes } from "../../core/notifications/outcomes.js";

export function wechatRoutes(deps: Partial<WebhookDeps> & { reply?: ReplyFn } = {}) {
  const webhook = wechatWebhook({ ...deps, reply: deps.reply ?? defaultReply, outcomes: deps.outcomes ?? notificationOutcomes });
  return new Hono()
    .get("/wechat/:tenant", async (c) => {
      const echo = await webhook.verify(c.req.param("tenant"), c.req.query());
      return c.text(echo);
    })
    .post(
      "/wechat/:tenant",
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: () => {
          throw AppError.validation("too_large", `body exceeds ${MAX_BODY_BYTES} bytes`);
        },
      }),
      async (c) => {
        const startedAt = Date.now();
        const out = await webhook.receive(c.req.param("tenant"), c.req.query(), await c.req.text(), startedAt);
        if (out.xml === undefined) return c.text("success");
        return c.body(out.xml, 200, { "content-type": "text/xml; charset=utf-8" });
      },
    );
}
