/**
 * Body hygiene for every route, before any handler reads the body (core/hygiene.ts says why):
 * - a body over the limit is refused as soon as it passes it — by Content-Length, or while a chunked body streams
 *   in — instead of being read whole first;
 * - a JSON, plain-text or XML (WeChat) body must be valid UTF-8 (400 invalid_utf8), and invisible characters are
 *   stripped from a JSON body's strings. CSV and file uploads may be GB18030 (Excel on Chinese Windows): core/csv.ts decodes and checks them,
 *   and core/staff/spreadsheet.ts cleans their cells.
 */
import type { MiddlewareHandler } from "hono";
import { cleanJsonText, decodeUtf8Strict } from "../../core/hygiene.js";
import { FILE_LIMIT_BYTES, JSON_LIMIT_BYTES } from "./api/contract.js";
import { limitBody } from "./middleware.js";

// WeChat's pushes (text/xml) too: a push with bytes that are not UTF-8 is refused (400 invalid_utf8) instead of
// reaching the assistant as U+FFFD. The cleaning below leaves XML as it is (it only rewrites JSON).
const TEXT_BODY = /^(application\/(json|[\w.+-]*\+json|xml)|text\/(plain|xml))\b/i;

export function bodyHygiene(options: { maxBytes?: number } = {}): MiddlewareHandler {
  // The outer bound (the largest any route declares), through the one body-limit mechanism; each route's own
  // declared limit then applies to what it reads.
  const limit = limitBody({ maxBytes: options.maxBytes ?? FILE_LIMIT_BYTES, file: true });
  return async function bodyHygieneMiddleware(c, next) {
    if (!c.req.raw.body) return next();
    // A declared length over any JSON route's limit is the route's to refuse (413) before anything is read.
    if (Number(c.req.header("content-length") ?? "0") > JSON_LIMIT_BYTES) return next();
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
