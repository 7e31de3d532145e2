/** Request id + a per-request logger with persistent keys (never bodies); the one request-body limit. */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../core/errors.js";
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

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${Math.round(bytes / 1024)} KB`);

/**
 * The one body limit, applied to every route that takes a body with the limit its declaration gives
 * (functions/http/api/contract.ts). A declared Content-Length over the limit is refused before anything is read;
 * a body without one (chunked) is counted while it streams in and refused as soon as it passes the limit.
 * Either way: 413, code `body_too_large`, a Chinese message.
 */
export function limitBody(options: { maxBytes: number; file?: boolean }): MiddlewareHandler {
  const tooLarge = () =>
    AppError.tooLarge(
      "body_too_large",
      options.file
        ? `文件超过 ${size(options.maxBytes)}：请分成几个文件上传`
        : `请求内容超过 ${size(options.maxBytes)}：请减少一次提交的内容`,
    );
  const streamed = bodyLimit({
    maxSize: options.maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async function limitBodyMiddleware(c, next) {
    const declared = Number(c.req.header("content-length") ?? "0");
    if (Number.isFinite(declared) && declared > options.maxBytes) throw tooLarge();
    return streamed(c, next);
  };
}
