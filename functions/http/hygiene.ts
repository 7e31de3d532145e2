/**
 * Body hygiene for every route, before any handler reads the body (core/hygiene.ts says why):
 * - a body over the limit is refused as soon as it passes it — by Content-Length, or while a chunked body streams
 *   in — instead of being read whole first;
 * - a JSON or plain-text body must be valid UTF-8 (400 invalid_utf8), and invisible characters are stripped from its
 *   strings. CSV and file uploads may be GB18030 (Excel on Chinese Windows): core/csv.ts decodes and checks them,
 *   and core/staff/spreadsheet.ts cleans their cells.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../core/errors.js";
import { cleanJsonText, decodeUtf8Strict } from "../../core/hygiene.js";
import { MAX_BODY_BYTES } from "./api/validate.js";

const TEXT_BODY = /^(application\/(json|[\w.+-]*\+json)|text\/plain)\b/i;

export function bodyHygiene(options: { maxBytes?: number } = {}): MiddlewareHandler {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw AppError.validation("body_too_large", `the body is larger than ${maxBytes / 1024 / 1024} MB`);
    },
  });
  return async function bodyHygieneMiddleware(c, next) {
    if (!c.req.raw.body) return next();
    return limit(c, async () => {
      const type = c.req.header("content-type") ?? "";
      if (type !== "" && !TEXT_BODY.test(type)) return next();
      const text = cleanJsonText(decodeUtf8Strict(new Uint8Array(await c.req.raw.arrayBuffer())));
      const headers = new Headers(c.req.raw.headers);
      headers.delete("content-length");
      c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers, body: text });
      await next();
    });
  };
}
