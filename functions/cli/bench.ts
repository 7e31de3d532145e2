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

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.LOG_LEVEL = "silent";

const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const want = (name: string) => only.length === 0 || only.includes(name);

const stack = await startLocalStack({ queuePrefix: "bench" });
Object.assign(process.env, stack.env);
resetConfig();
try {
  console.log(`# Zizhu bench — node ${process.version}, ${new Date().toISOString()}`);
  if (want("store")) printFigures("Store: core access patterns on DynamoDB Local", await benchStore());
  if (want("assistant")) printAssistantBench(await benchAssistant());
  if (want("webhook")) printWebhookFigures("WeChat webhook (safe mode) vs node-webot on express", await benchWebhook(stack));
  if (want("notifications")) await benchNotifications({ stack, print: true });
} finally {
  await stack.stop();
}
