/**
 * Are the table and every queue reachable? Each check has its own short deadline, so /health answers within
 * ~2 s even when storage hangs; anything unreachable makes the report `degraded` (the service still answers
 * policy questions then — core/channels/offline.ts).
 */
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { ddb, tableName } from "./db/client.js";
import { queueNames } from "./queue/definitions.js";
import { queueUrl, sqs } from "./queue/client.js";
import { withDeadline } from "./channels/offline.js";

export interface HealthReport {
  ok: boolean;
  status: "ok" | "degraded";
  table: "ok" | "unreachable";
  queues: Record<string, "ok" | "unreachable">;
}

const CHECK_MS = 2000;

async function reachable(check: () => Promise<unknown>): Promise<"ok" | "unreachable"> {
  return withDeadline(check(), CHECK_MS).then(
    () => "ok" as const,
    () => "unreachable" as const,
  );
}

export async function checkHealth(): Promise<HealthReport> {
  const [table, ...queueStates] = await Promise.all([
    reachable(() => ddb().send(new DescribeTableCommand({ TableName: tableName() }))),
    ...queueNames.map((q) =>
      reachable(() =>
        sqs().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(q), AttributeNames: ["QueueArn"] })),
      ),
    ),
  ]);
  const queues = Object.fromEntries(queueNames.map((q, i) => [q, queueStates[i]!]));
  const ok = table === "ok" && queueStates.every((s) => s === "ok");
  return { ok, status: ok ? "ok" : "degraded", table, queues };
}
