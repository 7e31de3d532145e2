/**
 * The console is served by the API function: /console and any /console/* route answer the SPA's page, built
 * assets answer with their type, and the console's API types are the ones generated from the current OpenAPI
 * document (a route change without `npm run console:types` fails here).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import { SCHEMA_FILE, generateConsoleTypes } from "../../../../scripts/console-types.js";

describe("GET /console", () => {
  it("answers the console's page at /console and at any route below it", async () => {
    for (const path of ["/console", "/console/", "/console/review", "/console/lists/evt_0000000000000000"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      const html = await res.text();
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain("资助通");
      expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js">/);
    }
  });

  it("serves the built script with its type, and nothing outside the bundle", async () => {
    // The entry script index.html loads (lazy pages, like the dashboard with ECharts, are chunks of their own).
    const index = readFileSync(join(process.cwd(), "console", "dist", "index.html"), "utf8");
    const js = /src="\/console\/assets\/([^"]+\.js)"/.exec(index)![1]!;
    expect(readdirSync(join(process.cwd(), "console", "dist", "assets"))).toContain(js);
    const res = await app.request(`/console/assets/${js}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    const body = await res.text();
    expect(body).toContain("首次登录：请设置您自己的密码"); // the Chinese pages are in the bundle
    // ECharts loads only with the dashboard (its own chunk): the first page stays small.
    expect(body).not.toContain("legendselectchanged");
    const chunks = readdirSync(join(process.cwd(), "console", "dist", "assets")).filter(
      (f) => f.endsWith(".js") && f !== js,
    );
    const lazy = await Promise.all(chunks.map(async (f) => (await app.request(`/console/assets/${f}`)).text()));
    expect(lazy.some((b) => b.includes("legendselectchanged"))).toBe(true);
    expect((await app.request("/console/assets/../../../package.json")).status).not.toBe(200);
    expect((await app.request("/console/assets/nope.js")).status).toBe(404);
  });
});

describe("the console's API types", () => {
  it("are generated from the current OpenAPI document", async () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(await generateConsoleTypes());
  });
});
