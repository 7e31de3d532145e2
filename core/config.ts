/**
 * The only module that reads the environment (and SST's `Resource` when deployed).
 * Parsed once with zod; a missing or malformed value fails with its name.
 */
import { z } from "zod";

/** Names of resources linked in sst.config.ts; kept here so infra and code agree. */
export const ResourceName = {
  table: "Table",
  inboundQueue: "InboundQueue",
  fanoutQueue: "FanoutQueue",
  deliveryQueue: "DeliveryQueue",
  importQueue: "ImportQueue",
  wechatAppId: "WechatAppId",
  wechatToken: "WechatToken",
  wechatAesKey: "WechatAesKey",
  wechatAppSecret: "WechatAppSecret",
  openaiApiKey: "OpenaiApiKey",
  tokenPepper: "TokenPepper",
  tenantSecretsKey: "TenantSecretsKey",
} as const;

/** "21:00-07:00" → minutes since midnight; "" disables quiet hours. */
function parseQuietHours(raw: string, ctx: z.RefinementCtx) {
  const s = raw.trim();
  if (s === "") return null;
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(s);
  const [h1, m1, h2, m2] = (m?.slice(1) ?? []).map(Number);
  if (
    !m ||
    h1 === undefined ||
    m1 === undefined ||
    h2 === undefined ||
    m2 === undefined ||
    h1 > 23 ||
    h2 > 23 ||
    m1 > 59 ||
    m2 > 59
  ) {
    ctx.addIssue({ code: "custom", message: "QUIET_HOURS must look like 21:00-07:00 (or be empty)" });
    return z.NEVER;
  }
  return { startMinute: h1 * 60 + m1, endMinute: h2 * 60 + m2 };
}
const quietHours = z.string().default("21:00-07:00").transform(parseQuietHours);

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const Env = z.object({
  STAGE: z.string().default("dev"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default(".data"),
  AWS_REGION: z.string().default("cn-north-1"),
  TABLE_NAME: z.string().default("zizhu"),
  DYNAMODB_ENDPOINT: optional,
  SQS_ENDPOINT: optional,
  INBOUND_QUEUE_URL: optional,
  FANOUT_QUEUE_URL: optional,
  DELIVERY_QUEUE_URL: optional,
  IMPORTS_QUEUE_URL: optional,
  INBOUND_DLQ_URL: optional,
  FANOUT_DLQ_URL: optional,
  DELIVERY_DLQ_URL: optional,
  IMPORTS_DLQ_URL: optional,
  WECHAT_APP_ID: optional,
  WECHAT_TOKEN: optional,
  WECHAT_AES_KEY: optional.refine((v) => v === undefined || /^[A-Za-z0-9]{43}$/.test(v), {
    message: "WECHAT_AES_KEY must be the 43-character EncodingAESKey",
  }),
  WECHAT_AES_KEY_PREVIOUS: optional,
  WECHAT_APP_SECRET: optional,
  /** AES-256 key (64 hex characters or base64 of 32 bytes) that encrypts each county's WeChat secrets at rest. */
  TENANT_SECRETS_KEY: optional.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
    if (key.length !== 32) {
      ctx.addIssue({ code: "custom", message: "TENANT_SECRETS_KEY must be 32 bytes: 64 hex characters or base64" });
      return z.NEVER;
    }
    return key;
  }),
  WECHAT_API_BASE: z.string().url().default("https://api.weixin.qq.com"),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  OPENAI_MODEL: optional,
  /** The model's whole budget per message, storage included: inside WeChat's 5 s with room for the offline answer. */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(3500),
  ADMIN_TOKEN: optional,
  TOKEN_PEPPER: z.string().default("zizhu-local-pepper"),
  QUIET_HOURS: quietHours,
  /** How long the webhook waits for an answer before handing it to the inbound queue (WeChat gives up at 5 s). */
  WECHAT_REPLY_BUDGET_MS: z.coerce.number().int().positive().default(4000),
  /**
   * Per-request timeout of every call to WeChat's API (token, template and customer-service sends): a send that hangs
   * gives up after this, is recorded "retry later", and holds nothing else up (fault test: wechat-timeouts).
   */
  WECHAT_API_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** The latest moment (ms after arrival) the webhook still does bookkeeping — dedupe write, hand-over — before it answers offline. */
  WECHAT_HARD_DEADLINE_MS: z.coerce.number().int().positive().default(4600),
  /** Per-request timeout of every DynamoDB / SQS call (attempts: STORAGE_MAX_ATTEMPTS, with the SDK's backoff). */
  STORAGE_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  STORAGE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** How long /chat works on an answer before it answers from the storage-free assistant instead. */
  CHAT_BUDGET_MS: z.coerce.number().int().positive().default(10000),
  /** A family's request for a person waiting unclaimed this long is flagged overdue (twice as long: escalated to the county). */
  HANDOFF_OVERDUE_MINUTES: z.coerce.number().int().positive().default(120),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Config = ReturnType<typeof build>;

/** SST injects linked resources as SST_RESOURCE_<Name> JSON; read them here and nowhere else. */
function sstResource(name: string): Record<string, string> | undefined {
  const raw = process.env[`SST_RESOURCE_${name}`];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    return undefined;
  }
}

function fromResources(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!env.SST_RESOURCE_App) return env;
  const merged = { ...env };
  const put = (key: string, res: string, field: string) => {
    const v = sstResource(res)?.[field];
    if (v && !merged[key]) merged[key] = v;
  };
  put("TABLE_NAME", ResourceName.table, "name");
  put("INBOUND_QUEUE_URL", ResourceName.inboundQueue, "url");
  put("FANOUT_QUEUE_URL", ResourceName.fanoutQueue, "url");
  put("DELIVERY_QUEUE_URL", ResourceName.deliveryQueue, "url");
  put("IMPORTS_QUEUE_URL", ResourceName.importQueue, "url");
  put("INBOUND_DLQ_URL", `${ResourceName.inboundQueue}Dlq`, "url");
  put("FANOUT_DLQ_URL", `${ResourceName.fanoutQueue}Dlq`, "url");
  put("DELIVERY_DLQ_URL", `${ResourceName.deliveryQueue}Dlq`, "url");
  put("IMPORTS_DLQ_URL", `${ResourceName.importQueue}Dlq`, "url");
  put("WECHAT_APP_ID", ResourceName.wechatAppId, "value");
  put("WECHAT_TOKEN", ResourceName.wechatToken, "value");
  put("WECHAT_AES_KEY", ResourceName.wechatAesKey, "value");
  put("WECHAT_APP_SECRET", ResourceName.wechatAppSecret, "value");
  put("OPENAI_API_KEY", ResourceName.openaiApiKey, "value");
  put("TOKEN_PEPPER", ResourceName.tokenPepper, "value");
  put("TENANT_SECRETS_KEY", ResourceName.tenantSecretsKey, "value");
  const app = sstResource("App");
  if (app?.stage && !merged.STAGE) merged.STAGE = app.stage;
  return merged;
}

function build(env: NodeJS.ProcessEnv) {
  const parsed = Env.safeParse(fromResources(env));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Configuration error in ${first?.path.join(".") ?? "?"}: ${first?.message ?? "invalid"}`);
  }
  const e = parsed.data;
  return {
    stage: e.STAGE,
    port: e.PORT,
    dataDir: e.DATA_DIR,
    region: e.AWS_REGION,
    tableName: e.TABLE_NAME,
    dynamoEndpoint: e.DYNAMODB_ENDPOINT,
    sqsEndpoint: e.SQS_ENDPOINT,
    queues: {
      inbound: e.INBOUND_QUEUE_URL,
      fanout: e.FANOUT_QUEUE_URL,
      delivery: e.DELIVERY_QUEUE_URL,
      imports: e.IMPORTS_QUEUE_URL,
    },
    deadLetterQueues: {
      inbound: e.INBOUND_DLQ_URL,
      fanout: e.FANOUT_DLQ_URL,
      delivery: e.DELIVERY_DLQ_URL,
      imports: e.IMPORTS_DLQ_URL,
    },
    wechat: {
      appId: e.WECHAT_APP_ID,
      token: e.WECHAT_TOKEN,
      aesKey: e.WECHAT_AES_KEY,
      aesKeyPrevious: e.WECHAT_AES_KEY_PREVIOUS,
      appSecret: e.WECHAT_APP_SECRET,
      apiBase: e.WECHAT_API_BASE.replace(/\/+$/, ""),
      replyBudgetMs: e.WECHAT_REPLY_BUDGET_MS,
      apiTimeoutMs: e.WECHAT_API_TIMEOUT_MS,
      hardDeadlineMs: e.WECHAT_HARD_DEADLINE_MS,
    },
    llm:
      e.OPENAI_API_KEY && e.OPENAI_MODEL
        ? {
            apiKey: e.OPENAI_API_KEY,
            baseURL: e.OPENAI_BASE_URL,
            model: e.OPENAI_MODEL,
            timeoutMs: e.OPENAI_TIMEOUT_MS,
          }
        : undefined,
    adminToken: e.ADMIN_TOKEN,
    tokenPepper: e.TOKEN_PEPPER,
    tenantSecretsKey: e.TENANT_SECRETS_KEY,
    quietHours: e.QUIET_HOURS,
    logLevel: e.LOG_LEVEL,
    storage: { timeoutMs: e.STORAGE_TIMEOUT_MS, maxAttempts: e.STORAGE_MAX_ATTEMPTS },
    chatBudgetMs: e.CHAT_BUDGET_MS,
    handoffOverdueMinutes: e.HANDOFF_OVERDUE_MINUTES,
  };
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= build(process.env);
  return cached;
}

/** For the dev runner and tests, after they set the environment of a freshly started local stack. */
export function resetConfig(): void {
  cached = undefined;
}

/** Name the missing setting instead of failing somewhere deep inside an SDK. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`Configuration error: ${name} is not set`);
  return value;
}
