/**
 * A webhook server of its own process for the sustained-load bench (bench-sustained.ts), so the load generator's
 * CPU and memory are not counted: `ours` is the full dev HTTP app (Hono on @hono/node-server, safe mode, DynamoDB
 * dedupe, the real assistant) against the local stack given in the environment; `peer` is node-webot's `wechat`
 * middleware on express answering a fixed text. Prints {"origin":…} when listening, then {"rss":…,"heapUsed":…}
 * every `SAMPLE_MS` (default 1000); exits on SIGTERM.
 *
 *   node --import tsx functions/cli/bench-sustained-server.ts ours|peer
 */
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { BENCH_WECHAT } from "./bench-cost.js";

const which = process.argv[2];
const sampleMs = Number(process.env.SAMPLE_MS ?? 1000);

async function start(): Promise<Server> {
  if (which === "peer") {
    const require = createRequire(import.meta.url);
    type Handler = (req: unknown, res: { reply: (s: string) => void }, next: unknown) => void;
    const express = require("express") as () => {
      use: (path: string, h: unknown) => void;
      listen: (port: number, host: string) => Server;
    };
    const wechat = require("wechat") as (config: Record<string, unknown>, handler: Handler) => unknown;
    const app = express();
    app.use(
      "/wechat",
      wechat(
        { token: BENCH_WECHAT.token, appid: BENCH_WECHAT.appId, encodingAESKey: BENCH_WECHAT.aesKey },
        (_req, res) => res.reply("收到，我们会尽快答复您。"),
      ),
    );
    return app.listen(0, "127.0.0.1");
  }
  const { serve } = await import("@hono/node-server");
  const { buildApp } = await import("../http/app.js");
  return serve({ fetch: buildApp().fetch, port: 0, hostname: "127.0.0.1" }) as Server;
}

const server = await start();
await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
process.stdout.write(JSON.stringify({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }) + "\n");
const timer = setInterval(() => {
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed }) + "\n");
}, sampleMs);
process.once("SIGTERM", () => {
  clearInterval(timer);
  server.close();
  (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  process.exit(0);
});
