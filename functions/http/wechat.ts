/**
 * GET|POST /wechat/:tenant — the WeChat Official Account webhook. Thin: read the raw text body (never a form
 * parser, at most 64 KiB), call the core webhook verb, map the answer. Refusals are AppErrors (401/403/400/404)
 * mapped by the app's onError.
 */
import { Hono } from "hono";
import { z } from "zod";
import { defaultReply, type ReplyFn } from "../../core/channels/reply.js";
import { wechatWebhook, type WebhookDeps } from "../../core/channels/wechat/inbound.js";
import { MAX_BODY_BYTES } from "../../core/channels/wechat/webhook.js";
import { notificationOutcomes } from "../../core/notifications/outcomes.js";
import { declare, route, type RouteDecl } from "./api/contract.js";

const Signed = z.object({
  signature: z.string().describe("sha1(sort(token, timestamp, nonce))"),
  timestamp: z.string(),
  nonce: z.string(),
  echostr: z.string().optional().describe("GET only: echoed back when the signature holds"),
  openid: z.string().optional(),
  encrypt_type: z.enum(["aes", "raw"]).optional().describe("aes in safe mode"),
  msg_signature: z.string().optional().describe("safe mode: signature over the Encrypt value"),
});
const params = { tenant: "县（租户）编号，如 demo" };

const verifyRoute: RouteDecl<undefined, typeof Signed> = {
  method: "get",
  path: "/wechat/{tenant}",
  summary: "WeChat server URL verification: answers echostr when the signature holds",
  tags: ["wechat"],
  roles: "public",
  scope: "public",
  security: "none",
  // core/channels/wechat verifies the signature (401) and reads the rest; the schema is for readers.
  request: { params, query: Signed, checkedBy: "core" },
  responses: { 200: { description: "echostr", text: "text/plain" } },
  errors: { 401: "签名不对" },
};

const receiveRoute: RouteDecl<undefined, typeof Signed> = {
  method: "post",
  path: "/wechat/{tenant}",
  summary: "WeChat message push: XML in (plain or safe mode), a passive XML reply or `success` out within 5 s",
  description:
    "Query: signature, timestamp, nonce (+ encrypt_type=aes and msg_signature in safe mode). Body: WeChat's XML. Every message is answered once (dedupe on FromUserName|MsgId); answers that need longer go out through the customer-service API.",
  tags: ["wechat"],
  roles: "public",
  scope: "public",
  security: "none",
  request: { params, query: Signed, checkedBy: "core", files: { "text/xml": "WeChat's message XML" } },
  responses: {
    200: {
      description: "a passive reply (text/xml), or the text `success` when the answer goes out later or not at all",
      text: "text/xml",
    },
  },
  errors: { 401: "签名不对" },
  bodyLimit: MAX_BODY_BYTES,
};

// Declared when the module loads, so the OpenAPI document has them whichever app is built (or none).
declare(verifyRoute);
declare(receiveRoute);

export function wechatRoutes(deps: Partial<WebhookDeps> & { reply?: ReplyFn } = {}) {
  const webhook = wechatWebhook({
    ...deps,
    reply: deps.reply ?? defaultReply,
    outcomes: deps.outcomes ?? notificationOutcomes,
  });
  const app = new Hono();
  route(app, verifyRoute, async (c) => c.text(await webhook.verify(c.req.param("tenant")!, c.req.query())));
  route(app, receiveRoute, async (c) => {
    const startedAt = Date.now();
    const out = await webhook.receive(c.req.param("tenant")!, c.req.query(), await c.req.text(), startedAt);
    if (out.xml === undefined) return c.text("success");
    return c.body(out.xml, 200, { "content-type": "text/xml; charset=utf-8" });
  });
  return app;
}
