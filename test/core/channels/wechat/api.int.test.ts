import { beforeEach, describe, expect, test, vi } from "vitest";
import { resetConfig } from "../../../../core/config.js";
import {
  errorKindOf,
  wechatApi,
  WechatApiError,
  type WechatApiErrorKind,
} from "../../../../core/channels/wechat/api.js";
import { startFakeWechatApi, useFakeWechatApi, type FakeWechatApi } from "../../../fakes/wechat-api.js";
import { uniqueTenant } from "../../../support/stack.js";

const APPID = "wx_api_test";
const SECRET = "api_test_secret";
const CUSTOM = "/cgi-bin/message/custom/send";
const TEMPLATE = "/cgi-bin/message/template/send";
const TOKEN = "/cgi-bin/stable_token";

const wechat = useFakeWechatApi({ appId: APPID, secret: SECRET });
let fake: FakeWechatApi;
let tenant: string;

beforeEach(() => {
  fake = wechat.api;
  // A fresh tenant per test: its own token item and lease in DynamoDB, its own module cache entry.
  tenant = uniqueTenant("api");
});

describe("wechatApi: sending", () => {
  test("sends a customer-service text message with a token from stable_token", async () => {
    await wechatApi(tenant).sendText("openid-1", "您好，这是回复");
    expect(fake.tokenCalls).toHaveLength(1);
    expect(fake.tokenCalls[0]?.body).toMatchObject({
      grant_type: "client_credential",
      appid: APPID,
      force_refresh: false,
    });
    expect(fake.sends).toHaveLength(1);
    expect(fake.sends[0]).toMatchObject({
      path: CUSTOM,
      body: { touser: "openid-1", msgtype: "text", text: { content: "您好，这是回复" } },
    });
  });

  test("sends a template message with client_msg_id and returns the msgid as a string", async () => {
    const out = await wechatApi(tenant).sendTemplate("openid-2", "tpl_pay", { thing2: { value: "已发放" } }, "ntf_abc");
    expect(out.msgid).toBe("1000");
    expect(fake.sends[0]).toMatchObject({
      path: TEMPLATE,
      body: { touser: "openid-2", template_id: "tpl_pay", client_msg_id: "ntf_abc" },
    });
  });

  test("reuses the cached token for later calls", async () => {
    const api = wechatApi(tenant);
    await api.sendText("o", "一");
    await api.sendText("o", "二");
    await wechatApi(tenant).sendText("o", "三");
    expect(fake.tokenCalls).toHaveLength(1);
    expect(fake.sends).toHaveLength(3);
  });
});

describe("wechatApi: access token across instances", () => {
  test("concurrent callers in separate module instances make one stable_token call between them", async () => {
    fake.setLatency(150); // a slow token endpoint widens the race
    const instances = [];
    for (let i = 0; i < 6; i++) {
      vi.resetModules();
      instances.push(await import("../../../../core/channels/wechat/api.js"));
    }
    expect(instances[0]).not.toBe(instances[1]);
    await Promise.all(instances.map((m, i) => m.wechatApi(tenant).sendText(`o${i}`, "并发")));
    fake.setLatency(0);
    expect(fake.tokenCalls).toHaveLength(1);
    expect(fake.sends).toHaveLength(6);
  });

  test("concurrent callers in one instance share one refresh", async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => wechatApi(tenant).sendText(`o${i}`, "并发")));
    expect(fake.tokenCalls).toHaveLength(1);
  });

  test("a new instance reads the token stored by another instead of fetching its own", async () => {
    await wechatApi(tenant).sendText("o", "一");
    vi.resetModules();
    const other = await import("../../../../core/channels/wechat/api.js");
    await other.wechatApi(tenant).sendText("o", "二");
    expect(fake.tokenCalls).toHaveLength(1);
  });
});

describe("wechatApi: token errors", () => {
  test.each([40001, 42001, 40014])("on %i it refreshes the token and retries the call once", async (errcode) => {
    const api = wechatApi(tenant);
    await api.sendText("o", "先拿到令牌");
    fake.failNext(CUSTOM, errcode);
    await api.sendText("o", "再试一次");
    expect(fake.tokenCalls).toHaveLength(2);
    expect(fake.calls.filter((c) => c.path === CUSTOM).map((c) => c.errcode)).toEqual([0, errcode, 0]);
  });

  test("an expired token is replaced and the call goes through", async () => {
    fake.setTokenExpiry(2);
    const api = wechatApi(tenant);
    await api.sendText("o", "一");
    fake.expireTokens();
    fake.setTokenExpiry(7200);
    await api.sendText("o", "二");
    expect(fake.sends).toHaveLength(2);
  });

  test("a second token error is thrown, not retried again", async () => {
    fake.failNext(CUSTOM, 40001, 2);
    const err = await wechatApi(tenant)
      .sendText("o", "x")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err).toMatchObject({ errcode: 40001, kind: "token" });
    expect(fake.calls.filter((c) => c.path === CUSTOM)).toHaveLength(2);
    expect(fake.tokenCalls).toHaveLength(2);
  });

  test("bad credentials at stable_token are a configuration error", async () => {
    fake.failNext(TOKEN, 40125);
    await expect(wechatApi(tenant).sendText("o", "x")).rejects.toMatchObject({ errcode: 40125, kind: "config" });
    expect(fake.sends).toHaveLength(0);
  });
});

describe("wechatApi: errors are sorted by kind", () => {
  const cases: [number, WechatApiErrorKind][] = [
    [-1, "retry"],
    [45009, "retry"],
    [45011, "retry"],
    [43004, "permanent"],
    [43101, "permanent"],
    [40003, "permanent"],
    [40164, "config"],
    [40037, "config"],
    [48001, "config"],
    [41001, "config"],
    [45015, "window"],
    [45047, "window"],
  ];
  test.each(cases)("errcode %i from template/send is thrown as kind %s", async (errcode, kind) => {
    fake.failNext(TEMPLATE, errcode);
    const err = await wechatApi(tenant)
      .sendTemplate("o", "tpl", {}, "ntf_1")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err).toMatchObject({ errcode, kind });
    expect(errorKindOf(errcode)).toBe(kind);
  });

  test("an unknown errcode is permanent so nothing retries it forever", () => {
    expect(errorKindOf(99999)).toBe("permanent");
  });

  test("an unreachable API is a retry-later transport error", async () => {
    const down = await startFakeWechatApi();
    await down.stop();
    process.env.WECHAT_API_BASE = down.url;
    resetConfig();
    try {
      const err = await wechatApi(uniqueTenant("down"))
        .sendText("o", "x")
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ errcode: -1, kind: "retry", transport: true });
    } finally {
      process.env.WECHAT_API_BASE = fake.url;
      resetConfig();
    }
  });

  test("missing credentials are a configuration error before any request", async () => {
    delete process.env.WECHAT_APP_SECRET;
    resetConfig();
    try {
      await expect(wechatApi(tenant).sendText("o", "x")).rejects.toMatchObject({ kind: "config" });
      expect(fake.calls).toHaveLength(0);
    } finally {
      process.env.WECHAT_APP_SECRET = SECRET;
      resetConfig();
    }
  });
});
