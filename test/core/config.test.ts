import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { config, required, resetConfig, ResourceName } from "../../core/config.js";

/** Every case starts from a bare environment and leaves the process's own untouched afterwards. */
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (
      /^(SST_|WECHAT_|OPENAI_|INBOUND_|FANOUT_|DELIVERY_|QUIET_|STORAGE_|CHAT_|TABLE_|PORT$|STAGE$|LOG_LEVEL$|ADMIN_TOKEN$|TOKEN_PEPPER$)/.test(
        key,
      )
    )
      delete process.env[key];
  }
  resetConfig();
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  resetConfig();
});

function withEnv(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetConfig();
  return config();
}

describe("config", () => {
  it("has working defaults for local use", () => {
    const c = config();
    expect(c.stage).toBe("dev");
    expect(c.port).toBe(3000);
    expect(c.tableName).toBe("zizhu");
    expect(c.quietHours).toEqual({ startMinute: 21 * 60, endMinute: 7 * 60 });
    expect(c.wechat.apiBase).toBe("https://api.weixin.qq.com");
    expect(c.wechat.replyBudgetMs).toBeLessThan(5000);
    expect(c.wechat.hardDeadlineMs).toBeLessThan(5000);
    expect(c.storage).toEqual({ timeoutMs: 3000, maxAttempts: 3 });
    expect(c.logLevel).toBe("info");
    expect(c.llm).toBeUndefined();
  });

  it("is read once and kept until reset", () => {
    const first = config();
    process.env.STAGE = "changed";
    expect(config()).toBe(first);
    resetConfig();
    expect(config().stage).toBe("changed");
  });

  it("reads numbers from text and parses quiet hours to minutes", () => {
    const c = withEnv({ PORT: "8080", QUIET_HOURS: "22:30-06:15", STORAGE_MAX_ATTEMPTS: "5" });
    expect(c.port).toBe(8080);
    expect(c.quietHours).toEqual({ startMinute: 22 * 60 + 30, endMinute: 6 * 60 + 15 });
    expect(c.storage.maxAttempts).toBe(5);
  });

  it("turns quiet hours off with an empty value", () => {
    expect(withEnv({ QUIET_HOURS: "" }).quietHours).toBeNull();
    expect(withEnv({ QUIET_HOURS: "  " }).quietHours).toBeNull();
  });

  it("treats blank optional settings as not set and trims the others", () => {
    const c = withEnv({ WECHAT_APP_ID: "   ", WECHAT_TOKEN: " tok " });
    expect(c.wechat.appId).toBeUndefined();
    expect(c.wechat.token).toBe("tok");
  });

  it("drops the trailing slash of the WeChat API base", () => {
    expect(withEnv({ WECHAT_API_BASE: "http://127.0.0.1:9999/" }).wechat.apiBase).toBe("http://127.0.0.1:9999");
  });

  it("turns LLM mode on only when both the key and the model are set", () => {
    expect(withEnv({ OPENAI_API_KEY: "sk-test" }).llm).toBeUndefined();
    const c = withEnv({ OPENAI_MODEL: "qwen-plus", OPENAI_TIMEOUT_MS: "2000" });
    expect(c.llm).toEqual({ apiKey: "sk-test", baseURL: undefined, model: "qwen-plus", timeoutMs: 2000 });
  });

  it.each([
    ["QUIET_HOURS", "9pm-7am", /QUIET_HOURS.*21:00-07:00/],
    ["QUIET_HOURS", "24:00-07:00", /QUIET_HOURS/],
    ["QUIET_HOURS", "21:60-07:00", /QUIET_HOURS/],
    ["PORT", "70000", /PORT/],
    ["PORT", "http", /PORT/],
    ["STORAGE_MAX_ATTEMPTS", "0", /STORAGE_MAX_ATTEMPTS/],
    ["LOG_LEVEL", "verbose", /LOG_LEVEL/],
    ["WECHAT_AES_KEY", "too-short", /WECHAT_AES_KEY.*43-character/],
    ["WECHAT_API_BASE", "not a url", /WECHAT_API_BASE/],
    ["OPENAI_TIMEOUT_MS", "-1", /OPENAI_TIMEOUT_MS/],
  ])("names the setting when %s is %j", (name, value, message) => {
    process.env[name] = value;
    resetConfig();
    expect(() => config()).toThrow(/^Configuration error in /);
    expect(() => config()).toThrow(message);
  });

  it("accepts a 43-character EncodingAESKey", () => {
    const key = "a".repeat(20) + "B".repeat(20) + "123";
    expect(withEnv({ WECHAT_AES_KEY: key }).wechat.aesKey).toBe(key);
  });

  it("takes linked resources from SST when deployed, without overriding the environment", () => {
    const c = withEnv({
      SST_RESOURCE_App: JSON.stringify({ name: "zizhu", stage: "prod" }),
      [`SST_RESOURCE_${ResourceName.table}`]: JSON.stringify({ name: "zizhu-prod-Table" }),
      [`SST_RESOURCE_${ResourceName.inboundQueue}`]: JSON.stringify({ url: "https://sqs/inbound" }),
      [`SST_RESOURCE_${ResourceName.inboundQueue}Dlq`]: JSON.stringify({ url: "https://sqs/inbound-dlq" }),
      [`SST_RESOURCE_${ResourceName.wechatToken}`]: JSON.stringify({ value: "from-secret" }),
      [`SST_RESOURCE_${ResourceName.tokenPepper}`]: "{not json",
      WECHAT_TOKEN: "from-env",
    });
    expect(c.stage).toBe("prod");
    expect(c.tableName).toBe("zizhu-prod-Table");
    expect(c.queues.inbound).toBe("https://sqs/inbound");
    expect(c.deadLetterQueues.inbound).toBe("https://sqs/inbound-dlq");
    expect(c.wechat.token).toBe("from-env");
    // An unreadable resource is ignored: the default stays.
    expect(c.tokenPepper).toBe("zizhu-local-pepper");
  });

  it("ignores SST resources outside a deployed app", () => {
    const c = withEnv({ [`SST_RESOURCE_${ResourceName.table}`]: JSON.stringify({ name: "elsewhere" }) });
    expect(c.tableName).toBe("zizhu");
  });
});

describe("required", () => {
  it("gives back a value that is set, even a falsy one", () => {
    expect(required("x", "X")).toBe("x");
    expect(required(0, "N")).toBe(0);
    expect(required("", "E")).toBe("");
  });

  it("names the missing setting", () => {
    expect(() => required(undefined, "WECHAT_APP_SECRET")).toThrow("Configuration error: WECHAT_APP_SECRET is not set");
  });
});
