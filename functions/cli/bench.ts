/**
 * `npm run bench`: every figure in one run, on a fresh in-memory local stack.
 * Peers are measured in the same run, on the same machine, and printed as ratios.
 */
import { resetConfig } from "../../core/config.js";
import { startLocalStack } from "../../core/local/stack.js";
import { benchStore, printFigures } from "./bench-store.js";
import { benchAssistant, printAssistantBench } from "./bench-assistant.js";
import { benchWebhook, printWebhookFigures } from "./bench-webhook.js";
import { benchNotifications } from "./bench-notifications.js";
import { benchCost, printCost } from "./bench-cost.js";
import { availableParallelism, loadavg } from "node:os";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.LOG_LEVEL = "silent";
// The machine is shared with other work: a JVM pause under load must not fail a seed write (3 s by default).
process.env.STORAGE_TIMEOUT_MS ??= "10000";

/** `npm run bench -- [section …] [--requests N] [--seconds S] [--students N]`: sections default to all. */
const args = process.argv.slice(2);
const flag = (name: string): number | undefined => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
};
const only = args.filter((a, i) => !a.startsWith("-") && !args[i - 1]?.startsWith("--"));
const want = (name: string) => only.length === 0 || only.includes(name);

/** The machine is shared: every section states the load average it ran under. */
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")} (1/5/15 min, ${availableParallelism()} cores)`;

const stack = await startLocalStack({ queuePrefix: "bench" });
Object.assign(process.env, stack.env);
resetConfig();
try {
  console.log(`# Zizhu bench — node ${process.version}, ${new Date().toISOString()}`);
  if (want("cost")) {
    const { buildApp } = await import("../http/app.js");
    printCost(await benchCost(async () => buildApp(), { requests: flag("requests") ?? 100 }), load());
  }
  if (want("bundles")) {
    const { benchBundles, printBundles } = await import("./bench-bundles.js");
    printBundles(await benchBundles({ runs: flag("runs") ?? 10 }), load());
  }
  if (want("sustained")) {
    const { benchSustained, printSustained } = await import("./bench-sustained.js");
    const rates = args.includes("--rates")
      ? args[args.indexOf("--rates") + 1]!.split(",")
          .map(Number)
          .filter((n) => n > 0)
      : undefined;
    printSustained(
      await benchSustained({ seconds: flag("seconds") ?? 60, ...(rates?.length ? { rates } : {}) }),
      load(),
    );
  }
  if (want("parsers")) {
    const { benchParsers, printParsers } = await import("./bench-parsers.js");
    printParsers(benchParsers(), load());
  }
  if (want("store")) printFigures("Store: core access patterns on DynamoDB Local", await benchStore());
  if (want("assistant")) printAssistantBench(await benchAssistant());
  if (want("webhook"))
    printWebhookFigures("WeChat webhook (safe mode) vs node-webot on express", await benchWebhook(stack));
  if (want("bigfiles")) {
    const { benchBigFiles, printBigFiles } = await import("./bench-bigfiles.js");
    printBigFiles(await benchBigFiles({ rows: flag("rows") ?? 50_000 }), load());
  }
  if (want("notifications"))
    await benchNotifications({ stack, print: true, ...(flag("students") ? { students: flag("students") } : {}) });
} finally {
  await stack.stop();
}
