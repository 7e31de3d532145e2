/**
 * The slice of Lambda's SQS event we use, declared here so neither core/ nor
 * the dev runner needs @types/aws-lambda.
 */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string; SentTimestamp?: string; [k: string]: string | undefined };
  messageAttributes: Record<string, { stringValue?: string; dataType: string }>;
  eventSource: "aws:sqs";
  eventSourceARN: string;
  awsRegion: string;
}
export interface SqsEvent {
  Records: SqsRecord[];
}
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
export type SqsHandler = (event: SqsEvent) => Promise<SqsBatchResponse>;
