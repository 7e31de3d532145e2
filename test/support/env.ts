/** Per-worker setup: point core/config at the shared local stack, quiet logs. */
import { inject } from "vitest";
import { resetConfig } from "../../core/config.js";

const env = inject("stack");
Object.assign(process.env, env, {
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  QUIET_HOURS: "",
  // Two cores shared by several test runs make DynamoDB Local answer in seconds at times: generous storage
  // timeouts here keep a slow call from being taken for a storage fault. The fault tests set their own.
  STORAGE_TIMEOUT_MS: "15000",
  CHAT_BUDGET_MS: "60000",
  WECHAT_HARD_DEADLINE_MS: "60000",
  // A fixed test key for the counties' WeChat secrets at rest (never a real deployment's).
  TENANT_SECRETS_KEY:
    process.env.TENANT_SECRETS_KEY ?? "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
});
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
resetConfig();
