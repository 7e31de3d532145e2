/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Zizhu on AWS. Infra only: the table and queue shapes come from core/ (the
 * same definitions the local stack provisions), so local and AWS cannot drift —
 * test/infra/sst-config.test.ts evaluates this file and compares.
 */
export default $config({
  app(input) {
    return {
      name: "zizhu",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
    };
  },
  async run() {
    const { TableDefinition } = await import("./core/db/table");
    const { QueueDefinitions, DeadLetterRetentionSeconds } = await import("./core/queue/definitions");

    const table = new sst.aws.Dynamo(TableDefinition.resource, {
      fields: TableDefinition.fields,
      primaryIndex: TableDefinition.primaryIndex,
      globalIndexes: TableDefinition.globalIndexes,
      ttl: TableDefinition.ttl,
    });

    const secrets = {
      wechatAppId: new sst.Secret("WechatAppId", ""),
      wechatToken: new sst.Secret("WechatToken", ""),
      wechatAesKey: new sst.Secret("WechatAesKey", ""),
      wechatAppSecret: new sst.Secret("WechatAppSecret", ""),
      openaiApiKey: new sst.Secret("OpenaiApiKey", ""),
      tokenPepper: new sst.Secret("TokenPepper"),
      tenantSecretsKey: new sst.Secret("TenantSecretsKey"),
    };

    const runtime = {
      runtime: "nodejs22.x" as const,
      architecture: "arm64" as const,
      // The assistant reads its knowledge base and reply texts at run time.
      copyFiles: [{ from: "prompts" }],
      environment: {
        OPENAI_BASE_URL: process.env.OPENAI_BASE_URL ?? "",
        OPENAI_MODEL: process.env.OPENAI_MODEL ?? "",
        QUIET_HOURS: process.env.QUIET_HOURS ?? "21:00-07:00",
        WECHAT_API_BASE: process.env.WECHAT_API_BASE ?? "https://api.weixin.qq.com",
      },
    };

    const queues = Object.fromEntries(
      Object.entries(QueueDefinitions).map(([name, def]) => {
        const dlq = new sst.aws.Queue(`${def.resource}Dlq`, {
          transform: { queue: { messageRetentionSeconds: DeadLetterRetentionSeconds } },
        });
        const queue = new sst.aws.Queue(def.resource, {
          visibilityTimeout: `${def.visibilityTimeoutSeconds} seconds`,
          dlq: { queue: dlq.arn, retry: def.maxReceiveCount },
        });
        return [name, { queue, dlq, def }];
      }),
    ) as Record<
      keyof typeof QueueDefinitions,
      { queue: sst.aws.Queue; dlq: sst.aws.Queue; def: (typeof QueueDefinitions)[keyof typeof QueueDefinitions] }
    >;

    const link = [table, ...Object.values(secrets), ...Object.values(queues).flatMap((q) => [q.queue, q.dlq])];

    for (const { queue, def } of Object.values(queues)) {
      queue.subscribe(
        {
          handler: def.handler,
          link,
          timeout: `${Math.max(10, def.visibilityTimeoutSeconds - 5)} seconds`,
          ...runtime,
        },
        { batch: { size: def.batchSize, partialResponses: true } },
      );
    }

    // The API function also serves the staff console at /console: its static bundle (built by
    // `npm run console:build` before deploy) is copied beside the handler; and the API reference page at /api/docs
    // (Swagger UI's two files, served from this function, never from a CDN).
    const api = new sst.aws.Function("Api", {
      handler: "functions/http/lambda.handler",
      url: true,
      link,
      timeout: "20 seconds",
      memory: "512 MB",
      ...runtime,
      copyFiles: [
        ...runtime.copyFiles,
        { from: "console/dist" },
        {
          from: "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
          to: "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
        },
        { from: "node_modules/swagger-ui-dist/swagger-ui.css", to: "node_modules/swagger-ui-dist/swagger-ui.css" },
      ],
    });

    new sst.aws.Cron("ReleaseHeld", {
      schedule: "rate(5 minutes)",
      function: { handler: "functions/cron/release.handler", link, timeout: "60 seconds", ...runtime },
    });

    return { api: api.url };
  },
});
