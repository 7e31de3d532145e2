/**
 * `npm run bench`: every figure in one run, on a fresh in-memory local stack.
 * Peers are measured in the same run, on the same machine, and printed as ratios.
 */
import { resetConfig } from "../../core/config.js";
import { startLocalStack } from "../../core/local/stack.js";
import { benchStore, printFigures } from "./bench-store.js";

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
} finally {
  await stack.stop();
}
