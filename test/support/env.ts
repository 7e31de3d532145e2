/** Per-worker setup: point core/config at the shared local stack, quiet logs. */
import { inject } from "vitest";
import { resetConfig } from "../../core/config.js";

const env = inject("stack");
Object.assign(process.env, env, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", QUIET_HOURS: "" });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
resetConfig();
