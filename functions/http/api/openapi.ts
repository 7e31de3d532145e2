/**
 * The contract's two public readings: the OpenAPI document (`GET /api/openapi.json`, built from every route's
 * declaration in ./contract.ts) and an interactive reference beside it (`GET /api/docs`, Swagger UI).
 *
 * Swagger UI is served from the `swagger-ui-dist` package on this server — no CDN, nothing fetched from the
 * internet (the online spec validator badge is switched off), so it works offline and behind a county's firewall.
 * On Lambda, sst.config.ts copies the package beside the handler.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Hono } from "hono";
import { openApiDocument } from "./contract.js";
// The parents' routes are in the document too: their modules declare them when loaded.
import "../chat.js";
import "../wechat.js";

export { openApiDocument };

const DIST = join(process.cwd(), "node_modules", "swagger-ui-dist");
const ASSETS: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
};

const page = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>资助通 接口文档</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;

// Same origin, so "Try it out" sends the console's session cookie or a pasted Bearer token; no validator badge.
const init = `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#api", validatorUrl: null, deepLinking: true, persistAuthorization: false, tryItOutEnabled: false });`;

const security = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

export const docsRoutes = new Hono()
  // Public, so integrators can read the contract before they hold a token.
  .get("/openapi.json", (c) => c.json(openApiDocument()))
  .get("/docs", (c) =>
    c.body(page, 200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache", ...security }),
  )
  .get("/docs/init.js", (c) =>
    c.body(init, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache", ...security }),
  )
  .get("/docs/:asset", async (c) => {
    const name = c.req.param("asset");
    const type = ASSETS[name];
    const body = type ? await readFile(join(DIST, name)).catch(() => undefined) : undefined;
    if (!type || !body) return c.json({ error: { code: "not_found", message: "没有这个文件" } }, 404);
    return c.body(new Uint8Array(body), 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400",
      ...security,
    });
  });
