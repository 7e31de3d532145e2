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
import { healthRoutes } from "./health.js";

export function buildApp() {
  const app = new Hono();
  app.use("*", requestContext());
  app.onError(onError);
  app.notFound((c) => c.json({ error: { code: "not_found", message: "no such route" } }, 404));
  app.route("/", healthRoutes);
  return app;
}

export const app = buildApp();
export type App = typeof app;
