/** Are the table and every queue reachable? */
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { ddb, tableName } from "./db/client.js";
import { queueNames } from "./queue/definitions.js";
import { queueUrl, sqs } from "./queue/client.js";

export interface HealthReport {
  ok: boolean;
  table: "ok" | "unreachable";
  queues: Record<string, "ok" | "unreachable">;
}

export async function checkHealth(): Promise<HealthReport> {
  const table = await ddb()
    .send(new DescribeTableCommand({ TableName: tableName() }))
    .then(() => "ok" as const)
    .catch(() => "unreachable" as const);
  const queues: Record<string, "ok" | "unreachable"> = {};
  await Promise.all(
    queueNames.map(async (q) => {
      queues[q] = await sqs()
        .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(q), AttributeNames: ["QueueArn"] }))
        .then(() => "ok" as const)
        .catch(() => "unreachable" as const);
    }),
  );
  return { ok: table === "ok" && Object.values(queues).every((s) => s === "ok"), table, queues };
}
