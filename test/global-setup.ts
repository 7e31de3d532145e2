/**
 * Starts DynamoDB Local and the SQS emulator once per test run and stops them
 * after. Test files get the endpoints through `inject("stack")`; each file
 * isolates itself with its own tenant id and, when it uses queues, its own queues.
 */
import type { TestProject } from "vitest/node";
import { startLocalStack, type LocalStack } from "../core/local/stack.js";
import { ensureConsoleBuilt } from "../scripts/console-build.js";

let stack: LocalStack | undefined;

export async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  // The staff console's bundle (served at /console) is built when missing or stale, alongside the stack's start.
  const built = ensureConsoleBuilt();
  stack = await startLocalStack({ queuePrefix: "shared" });
  await built;
  project.provide("stack", stack.env);
}

export async function teardown() {
  await stack?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    stack: Record<string, string>;
  }
}
