/**
 * The Hono app, built once. Tests call `app.request()` in-process; Lambda uses
 * `handler` from ./lambda.ts; dev serves it with @hono/node-server.
 *
 * Routes: the parent story (/wechat/:tenant, /chat/:tenant, the web page at /)
 * and the staff story (/api/…).
 */
import { Hono } from "hono";
import { onError } from "./errors.js";
import { requestContext } from "./middleware.js";
import { bodyHygiene } from "./hygiene.js";
import { healthRoutes } from "./health.js";
import { apiRoutes } from "./api/index.js";
import { wechatRoutes } from "./wechat.js";
import { chatRoutes } from "./chat.js";
import { pageRoutes } from "./web/page.js";
import { consoleRoutes } from "./console/static.js";
import type { ReplyFn } from "../../core/channels/reply.js";

/** `reply` replaces the assistant behind the parent channels (tests, bench); default: the real one. */
export function buildApp(deps: { reply?: ReplyFn } = {}) {
  const app = new Hono();
  app.use("*", requestContext());
  app.use("*", bodyHygiene());
  app.onError(onError);
  app.notFound((c) => c.json({ error: { code: "not_found", message: "no such route" } }, 404));
  app.route("/", healthRoutes);
  app.route("/api", apiRoutes);
  app.route("/", wechatRoutes(deps));
  app.route("/", chatRoutes(deps));
  app.route("/", pageRoutes);
  app.route("/", consoleRoutes);
  return app;
}

export const app = buildApp();
export type App = typeof app;
