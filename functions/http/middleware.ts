/** Request id + a per-request logger with persistent keys (never bodies). */
import type { MiddlewareHandler } from "hono";
import { newId } from "../../core/ids.js";
import { log } from "../../core/log.js";
import "./context.js";

export function requestContext(): MiddlewareHandler {
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[A-Za-z0-9_-]{6,64}$/.test(incoming) ? incoming : newId("req", 12);
    c.set("requestId", requestId);
    c.set("log", log.child({ requestId }));
    const start = performance.now();
    await next();
    c.header("x-request-id", requestId);
    c.get("log").info("request", {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - start),
    });
  };
}
