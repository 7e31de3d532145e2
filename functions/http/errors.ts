/**
 * The single place where errors become HTTP responses. Validation → 400 with a
 * clear message; AppError → its status; anything else → 500 without internals.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { AppError, isStorageFault, type ErrorKind } from "../../core/errors.js";
import { log } from "../../core/log.js";
import { type FieldLabels, issueLine } from "../../core/zod-zh.js";
import { staffMessage } from "../../core/staff/messages.js";

const status: Record<ErrorKind, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503 | 500> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export function zodDetails(e: ZodError, labels?: FieldLabels) {
  return e.issues.slice(0, 50).map((i) => ({ field: i.path.join(".") || undefined, message: issueLine(i, labels) }));
}

/** A request that failed its schema, as staff read it: the first problem, how many more, each one with its field. */
export function invalidInput(e: ZodError, labels?: FieldLabels): AppError {
  const details = zodDetails(e, labels);
  const first = details[0];
  const message = first
    ? `填写有误：${first.message}${details.length > 1 ? `（另有 ${details.length - 1} 处）` : ""}——请改正后重试`
    : "填写有误：请改正后重试";
  return AppError.validation("invalid_input", message, details);
}

export function onError(err: Error, c: Context) {
  const requestId = c.get("requestId");
  if (err instanceof AppError) {
    if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
    const details = err.details?.map((d) => ({ ...d, message: d.message }));
    return c.json({ error: { code: err.code, message: staffMessage(err), details, requestId } }, status[err.kind]);
  }
  if (err instanceof ZodError) {
    const { code, message, details } = invalidInput(err);
    return c.json({ error: { code, message, details, requestId } }, 400);
  }
  if (err instanceof HTTPException) {
    return c.json(
      { error: { code: `http_${err.status}`, message: err.message || "请求被拒绝：请稍后重试", requestId } },
      err.status,
    );
  }
  if (isStorageFault(err)) {
    // Storage unreachable, slow or throttled: a retryable 503, never a 500 (WeChat then retries; people try later).
    log.warn("storage unavailable", { requestId, path: c.req.routePath, error: err });
    c.header("Retry-After", "10");
    return c.json({ error: { code: "storage_unavailable", message: "系统繁忙，请稍后再试", requestId } }, 503);
  }
  log.error("unhandled error", { requestId, path: c.req.routePath, error: err });
  return c.json(
    {
      error: {
        code: "internal",
        message: `服务器内部错误：请稍后重试；如仍不行，请把编号 ${requestId} 告诉县资助中心`,
        requestId,
      },
    },
    500,
  );
}
