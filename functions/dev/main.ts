/**
 * `npm run dev`: the whole system on one machine, on the embedded default.
 * DynamoDB Local + the SQS emulator, table and queues from core/ definitions,
 * the demo county, the HTTP app on PORT, and the queue workers calling the very
 * same Lambda handlers. Ctrl-C stops everything (java included).
 */
import { serve } from "@hono/node-server";
import { config, resetConfig } from "../../core/config.js";
import { JavaMissingError, startLocalStack, type LocalStack } from "../../core/local/stack.js";
import { DEMO_TENANT, seedDemoCounty } from "../../core/local/seed.js";
import { startFakeWechatApi, type FakeWechatApi } from "../../core/local/fake-wechat-api.js";
import { ensureAdminToken } from "../../core/staff/index.js";
import { startQueueRunner } from "./queue-runner.js";
import { ensureFirstBureauAccount } from "../../core/accounts/index.js";
import { ensureConsoleBuilt } from "../../scripts/console-build.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** Fixed, public dev credentials: they only ever talk to the local fake WeChat API. */
const DEV_WECHAT = {
  WECHAT_APP_ID: "wx0000000000000dev",
  WECHAT_TOKEN: "zizhu-dev-token",
  WECHAT_AES_KEY: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  WECHAT_APP_SECRET: "dev-secret-for-the-local-fake",
};

/** A fixed, public key for the counties' WeChat secrets in the local data only (a deployment sets its own secret). */
const DEV_TENANT_SECRETS_KEY = "7a697a6875206465762d6f6e6c79206b657920666f72206c6f63616c20646174";

const say = (line = "") => process.stdout.write(line + "\n");

async function main() {
  const started = Date.now();
  const base = config();
  // The console's static bundle: built now when missing or older than its sources (a few seconds), then served.
  const built = ensureConsoleBuilt().then((did) =>
    did ? say(`  staff console   built into console/dist`) : undefined,
  );
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ dataDir: base.dataDir, queuePrefix: "zizhu" });
  } catch (e) {
    if (e instanceof JavaMissingError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  Object.assign(process.env, stack.env);
  process.env.TENANT_SECRETS_KEY ||= DEV_TENANT_SECRETS_KEY;

  // From here on Ctrl-C or SIGTERM (npm passes it on: package.json runs main with `exec`) stops whatever has
  // started — also during the seeding — and java with it.
  let fake: FakeWechatApi | undefined;
  let server: ReturnType<typeof serve> | undefined;
  let runner: ReturnType<typeof startQueueRunner> | undefined;
  let cron: NodeJS.Timeout | undefined;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    say("\nstopping …");
    clearInterval(cron);
    server?.close();
    await runner?.stop();
    await fake?.stop();
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());

  if (!process.env.WECHAT_APP_SECRET) {
    fake = await startFakeWechatApi();
    for (const [k, v] of Object.entries(DEV_WECHAT)) process.env[k] ||= v;
    process.env.WECHAT_API_BASE = fake.url;
  }
  resetConfig();
  const c = config();

  // Imported after the environment points at the local stack.
  const { app } = await import("../http/app.js");
  const { handler: inbound } = await import("../queues/inbound.js");
  const { handler: fanout } = await import("../queues/fanout.js");
  const { handler: delivery } = await import("../queues/delivery.js");
  const { handler: imports } = await import("../queues/imports.js");
  const { handler: release } = await import("../cron/release.js");

  // The first bureau login exists before the server answers, so the printed login works at once.
  const firstLogin = await ensureFirstBureauAccount(DEMO_TENANT);
  await built;
  server = serve({ fetch: app.fetch, port: c.port, hostname: "0.0.0.0" });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new Error(`port ${c.port} is in use: set PORT to another port`) : e),
    );
  });
  runner = startQueueRunner({ handlers: { inbound, fanout, delivery, imports }, concurrency: 2 });
  cron = setInterval(() => void release().catch(() => undefined), 60_000);

  const url = `http://localhost:${c.port}`;
  say(`\n资助通 Zizhu — dev stack up (http + queues in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  say(
    `  staff console   ${url}/console   (单位代码 ${DEMO_TENANT}, 用户名 ${firstLogin.username}, ${firstLogin.password ? `初始密码 ${firstLogin.password} — 首次登录须修改` : "密码已由本人修改"})`,
  );
  say(`  web chat        ${url}/`);
  say(`  health          ${url}/health`);
  say(
    `  WeChat webhook  ${url}/wechat/${DEMO_TENANT}   (${c.wechat.aesKey ? "safe mode" : "plain mode"}, token ${fake ? DEV_WECHAT.WECHAT_TOKEN : "from WECHAT_TOKEN"})`,
  );
  say(`  staff API       ${url}/api   (OpenAPI: ${url}/api/openapi.json)`);
  say(`  DynamoDB Local  ${stack.dynamoEndpoint}   data in ${base.dataDir}`);
  say(`  SQS emulator    ${stack.sqsEndpoint}`);
  if (fake) say(`  fake WeChat API ${fake.url}   (no WECHAT_APP_SECRET: sends are recorded locally)`);

  const admin = await ensureAdminToken(DEMO_TENANT);
  say(`  bureau token    ${admin}   (staff API, Authorization: Bearer …)`);
  say(`  seeding the demo county … (the console and API answer already)`);
  // On a machine under heavy load a seeding write can exceed the storage timeout. The seed marks the county seeded
  // only after its last write and its ids are deterministic, so running it again is safe.
  let seed: Awaited<ReturnType<typeof seedDemoCounty>> | undefined;
  for (let attempt = 1; !seed; attempt++) {
    try {
      seed = await seedDemoCounty();
    } catch (e) {
      if (attempt >= 3) throw e;
      say(`  seeding stalled (${(e as Error).message}); trying again (${attempt + 1}/3) …`);
    }
  }
  say(
    seed.seeded
      ? `  demo county     seeded: ${seed.schools} schools, ${seed.students} students, ${seed.applications} applications`
      : `  demo county     already seeded (tenant ${DEMO_TENANT})`,
  );
  if (seed.example) {
    say(
      `  try binding     绑定 ${seed.example.name} ${seed.example.studentNo} ${seed.example.phoneLast4}   (fictional student of ${seed.example.school})`,
    );
  }
  say(`\nCtrl-C to stop.`);
}

main().catch((e) => {
  console.error(`npm run dev failed: ${(e as Error).message}`);
  process.exit(1);
});
