/**
 * The staff console: the static bundle Vite builds into console/dist, served at /console (SPA: every
 * /console/* path that is not a file answers index.html). On Lambda, copyFiles puts console/dist beside the
 * handler; locally `npm run dev` and `npm test` build it first (scripts/console-build.ts).
 */
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { Hono, type Context } from "hono";

const ROOT = resolve(process.cwd(), "console", "dist");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

async function file(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

const notBuilt = `<!doctype html><meta charset="utf-8"><title>资助通 管理台</title><p>管理台尚未构建：请在项目目录运行 <code>npm run dev</code>（会自动构建），或 <code>npm run console:build</code>。</p>`;

async function indexPage(c: Context) {
  const index = await file(join(ROOT, "index.html"));
  if (!index) return c.html(notBuilt, 503);
  return c.body(new Uint8Array(index), 200, {
    "content-type": TYPES[".html"]!,
    "cache-control": "no-cache",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
  });
}

export const consoleRoutes = new Hono()
  .get("/console/*", async (c) => {
    const rel = normalize(decodeURIComponent(c.req.path.slice("/console".length))).replace(/^(\.\.[/\\])+/, "");
    const assetPath = join(ROOT, rel);
    if (rel.startsWith("/assets/") && assetPath.startsWith(ROOT) && extname(assetPath)) {
      const body = await file(assetPath);
      if (!body) return c.text("not found", 404);
      return c.body(new Uint8Array(body), 200, {
        "content-type": TYPES[extname(assetPath)] ?? "application/octet-stream",
        "cache-control": "public, max-age=31536000, immutable",
      });
    }
    return indexPage(c);
  })
  .get("/console", (c) => indexPage(c));
