/**
 * Create the table and the queues from their definitions in core/. Idempotent:
 * running it against an existing (dev) database changes nothing.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
} from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { TableDefinition } from "../db/table.js";
import {
  DeadLetterRetentionSeconds,
  QueueDefinitions,
  physicalQueueName,
  queueNames,
  type QueueName,
} from "../queue/definitions.js";

export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (e) {
    if ((e as { name?: string }).name !== "ResourceNotFoundException") throw e;
  }
  const gsis: GlobalSecondaryIndex[] = Object.entries(TableDefinition.globalIndexes).map(([name, idx]) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: idx.hashKey, KeyType: "HASH" },
      { AttributeName: idx.rangeKey, KeyType: "RANGE" },
    ],
    Projection: { ProjectionType: "ALL" },
  }));
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: Object.keys(TableDefinition.fields).map((f) => ({ AttributeName: f, AttributeType: "S" })),
      KeySchema: [
        { AttributeName: TableDefinition.primaryIndex.hashKey, KeyType: "HASH" },
        { AttributeName: TableDefinition.primaryIndex.rangeKey, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: gsis,
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TableDefinition.ttl, Enabled: true },
    }),
  );
}

export type QueueUrls = Record<QueueName, { url: string; arn: string; dlqUrl: string; dlqArn: string }>;

export async function createQueues(client: SQSClient, prefix: string): Promise<QueueUrls> {
  const out = {} as QueueUrls;
  for (const name of queueNames) {
    const def = QueueDefinitions[name];
    const dlq = await client.send(
      new CreateQueueCommand({
        QueueName: physicalQueueName(prefix, name, true),
        Attributes: { MessageRetentionPeriod: String(DeadLetterRetentionSeconds) },
      }),
    );
    const dlqUrl = dlq.QueueUrl!;
    const dlqAttrs = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
    );
    const dlqArn = dlqAttrs.Attributes!.QueueArn!;
    const main = await client.send(
      new CreateQueueCommand({
        QueueName: physicalQueueName(prefix, name),
        Attributes: {
          VisibilityTimeout: String(def.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: def.maxReceiveCount }),
        },
      }),
    );
    const url = main.QueueUrl!;
    const attrs = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
    out[name] = { url, arn: attrs.Attributes!.QueueArn!, dlqUrl, dlqArn };
  }
  return out;
}
