/**
 * Helpers for integration tests: a fresh tenant per test file, fresh queues
 * when a test consumes them, and the queue runner bound to the real handlers.
 */
import { randomBytes } from "node:crypto";
import { SQSClient } from "@aws-sdk/client-sqs";
import { resetConfig } from "../../core/config.js";
import { createQueues } from "../../core/local/provision.js";
import * as tenants from "../../core/tenants/index.js";

export function uniqueTenant(prefix = "t"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export async function createTenant(id = uniqueTenant(), extra: Partial<tenants.TenantInfo> = {}) {
  return tenants.put({
    id,
    name: "测试县教育局",
    hotline: "0000-1234567",
    timeZone: "Asia/Shanghai",
    templates: {},
    ...extra,
  });
}

/** Give this test file queues of its own, so pollers in other files never see its messages. */
export async function isolatedQueues(): Promise<Awaited<ReturnType<typeof createQueues>>> {
  const client = new SQSClient({
    region: process.env.AWS_REGION,
    endpoint: process.env.SQS_ENDPOINT,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const queues = await createQueues(client, `q${randomBytes(4).toString("hex")}`);
  process.env.INBOUND_QUEUE_URL = queues.inbound.url;
  process.env.FANOUT_QUEUE_URL = queues.fanout.url;
  process.env.DELIVERY_QUEUE_URL = queues.delivery.url;
  process.env.IMPORTS_QUEUE_URL = queues.imports.url;
  process.env.INBOUND_DLQ_URL = queues.inbound.dlqUrl;
  process.env.FANOUT_DLQ_URL = queues.fanout.dlqUrl;
  process.env.DELIVERY_DLQ_URL = queues.delivery.dlqUrl;
  process.env.IMPORTS_DLQ_URL = queues.imports.dlqUrl;
  resetConfig();
  return queues;
}
