/**
 * Per-file setup of the `unit` project: there is no DynamoDB Local and no SQS emulator. Both endpoints point at a
 * small refusing server in this worker instead, so a unit test that reaches storage fails at once and by name:
 * the request gets a non-retryable 400 (no SDK retries, no timeout to wait out), and the test fails in `afterEach`
 * even when the code under test caught the error and fell back to its storage-free path.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { resetConfig } from "../../core/config.js";

/**
 * One refusing server per worker: unit files run without isolation (vitest.config.ts), so this file may be evaluated
 * once per test file in the same worker while the SDK clients built by the first file are reused by the next. Keeping
 * the server and its record on globalThis keeps every file pointed at the same server and the guard exact.
 */
type Refuser = { endpoint: string; touched: string[] };
const shared = globalThis as typeof globalThis & { __zizhuNoStorage?: Refuser };
shared.__zizhuNoStorage ??= await startRefuser();
const { endpoint, touched } = shared.__zizhuNoStorage;

async function startRefuser(): Promise<Refuser> {
  const touched: string[] = [];
  const server = createServer((req, res) => {
    // Both SDKs speak JSON with the operation in X-Amz-Target ("DynamoDB_20120810.GetItem", "AmazonSQS.SendMessage").
    const operation = String(req.headers["x-amz-target"] ?? `${req.method} ${req.url}`);
    touched.push(operation);
    req.resume();
    res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
    res.end(
      JSON.stringify({
        __type: "com.amazon.coral.validate#ValidationException",
        message: `unit tests have no storage (${operation}): name the test file *.int.test.ts`,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, touched };
}

Object.assign(process.env, {
  AWS_REGION: "cn-north-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  DYNAMODB_ENDPOINT: endpoint,
  SQS_ENDPOINT: endpoint,
  TABLE_NAME: "no-storage-in-unit-tests",
  INBOUND_QUEUE_URL: `${endpoint}/queue/inbound`,
  FANOUT_QUEUE_URL: `${endpoint}/queue/fanout`,
  DELIVERY_QUEUE_URL: `${endpoint}/queue/delivery`,
  IMPORTS_QUEUE_URL: `${endpoint}/queue/imports`,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  QUIET_HOURS: "",
});
resetConfig();

afterEach(() => {
  if (touched.length === 0) return;
  const operations = [...new Set(touched.splice(0))].join(", ");
  throw new Error(
    `This unit test reached storage (${operations}). Unit tests run without DynamoDB Local and the SQS emulator; ` +
      "rename the file to *.int.test.ts to run it in the integration project.",
  );
});
