/**
 * Tenant onboarding: the bureau enters its county's WeChat Official Account. Secrets are stored encrypted (the raw
 * item holds none of them), never come back (only 已设置 and the last four characters), and 测试连接 fetches an
 * access token from the WeChat API base — here the local fake, which checks the AppID and AppSecret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getItem } from "../../../../core/db/client.js";
import { keys } from "../../../../core/db/keys.js";
import { resetConfig } from "../../../../core/config.js";
import * as audit from "../../../../core/audit/index.js";
import { startFakeWechatApi, type FakeWechatApi } from "../../../../core/local/fake-wechat-api.js";
import { decrypted, open, seal } from "../../../../core/tenants/wechat-credentials.js";
import { call, county } from "./support.js";

const APP_ID = "wx1234567890abcdef";
const SECRET = "0123456789abcdef0123456789abWXYZ";
const TOKEN = "zizhuToken2025";
const AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

let c: Awaited<ReturnType<typeof county>>;
let fake: FakeWechatApi;
let previousBase: string | undefined;

beforeAll(async () => {
  c = await county();
  fake = await startFakeWechatApi({ appId: APP_ID, secret: SECRET });
  previousBase = process.env.WECHAT_API_BASE;
  process.env.WECHAT_API_BASE = fake.url;
  resetConfig();
});

afterAll(async () => {
  if (previousBase === undefined) delete process.env.WECHAT_API_BASE;
  else process.env.WECHAT_API_BASE = previousBase;
  resetConfig();
  await fake?.stop();
});

describe("the county's WeChat account in the console", () => {
  it("starts with nothing set, and says where WeChat must call", async () => {
    const r = await call(c.tokens.bureau, "GET", "/api/tenant/wechat");
    expect(r.status).toBe(200);
    expect(r.body.credentials).toMatchObject({
      appSecret: { set: false },
      token: { set: false },
      aesKey: { set: false },
    });
    expect(r.body.serverPath).toBe(`/wechat/${c.tenant}`);
    const test = await call(c.tokens.bureau, "POST", "/api/tenant/wechat/test");
    expect(test.body).toMatchObject({ ok: false, message: "请先填写并保存 AppID 和 AppSecret，再测试连接" });
  });

  it("stores the secrets encrypted and shows only 已设置 and the last four characters", async () => {
    const r = await call(c.tokens.bureau, "PUT", "/api/tenant/wechat", {
      appId: APP_ID,
      appSecret: SECRET,
      token: TOKEN,
      aesKey: AES,
    });
    expect(r.status).toBe(200);
    expect(r.body.changed).toEqual(["AppID", "AppSecret", "Token", "EncodingAESKey"]);
    expect(r.body.credentials).toMatchObject({
      appId: APP_ID,
      appSecret: { set: true, last4: "WXYZ" },
      token: { set: true, last4: "2025" },
      aesKey: { set: true, last4: "DEFG" },
    });
    const read = await call(c.tokens.bureau, "GET", "/api/tenant/wechat");
    for (const body of [JSON.stringify(r.body), JSON.stringify(read.body)]) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(TOKEN);
      expect(body).not.toContain(AES);
    }
    // At rest: none of the three secrets, nor a long piece of one, is in the stored item.
    const raw = JSON.stringify(await getItem(keys.wechatCredentials(c.tenant)));
    for (const s of [SECRET, TOKEN, AES]) expect(raw).not.toContain(s.slice(0, 10));
    expect(await decrypted(c.tenant)).toEqual({ appId: APP_ID, appSecret: SECRET, token: TOKEN, aesKey: AES });
    // The trail names the person and the fields, never a value.
    const trail = await audit.trail(c.tenant, `tenant:${c.tenant}`);
    expect(trail.at(-1)).toMatchObject({
      action: "wechat_credentials",
      reason: "更新公众号AppID、AppSecret、Token、EncodingAESKey",
    });
    expect(JSON.stringify(trail)).not.toContain(SECRET.slice(0, 10));
  });

  it("测试连接 fetches an access token with the stored AppID and AppSecret, without returning it", async () => {
    const before = fake.tokenCalls.length;
    const r = await call(c.tokens.bureau, "POST", "/api/tenant/wechat/test");
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.message).toMatch(/^连接成功：已用 AppID wx1234567890abcdef 取得 access_token/);
    expect(fake.tokenCalls.length).toBe(before + 1);
    expect(fake.tokenCalls.at(-1)).toMatchObject({ errcode: 0, body: { appid: APP_ID, secret: SECRET } });
    expect(JSON.stringify(r.body)).not.toContain(fake.tokenCalls.at(-1)!.accessToken!);
    expect(JSON.stringify(r.body)).not.toMatch(/access_token"|ACCESS|tok_/);
  });

  it("an empty field keeps what is stored; a wrong AppSecret is caught by 测试连接 in Chinese", async () => {
    const keep = await call(c.tokens.bureau, "PUT", "/api/tenant/wechat", { appId: "", appSecret: "", token: " " });
    expect(keep.status).toBe(200);
    expect(keep.body.changed).toEqual([]);
    expect((await decrypted(c.tenant)).appSecret).toBe(SECRET);

    const wrong = await call(c.tokens.bureau, "PUT", "/api/tenant/wechat", {
      appSecret: "ffffffffffffffffffffffffffff0000",
    });
    expect(wrong.body.changed).toEqual(["AppSecret"]);
    expect(wrong.body.credentials.appSecret).toEqual({ set: true, last4: "0000" });
    const r = await call(c.tokens.bureau, "POST", "/api/tenant/wechat/test");
    expect(r.body).toMatchObject({ ok: false, errcode: 40125 });
    expect(r.body.message).toMatch(/^AppSecret 不对/);
  });

  it("refuses malformed values field by field, in Chinese", async () => {
    const r = await call(c.tokens.bureau, "PUT", "/api/tenant/wechat", { appId: "12345", aesKey: "short" });
    expect(r.status).toBe(400);
    const byField = Object.fromEntries(
      (r.body.error.details as { field: string; message: string }[]).map((d) => [d.field, d.message]),
    );
    expect(byField.appId).toMatch(/^AppID：应为 wx 开头/);
    expect(byField.aesKey).toMatch(/^EncodingAESKey：应为 43 位/);
  });

  it("is the bureau's alone: township and school accounts are refused", async () => {
    for (const token of [c.tokens.chengguan, c.tokens.a1]) {
      expect((await call(token, "GET", "/api/tenant/wechat")).status).toBe(403);
      expect((await call(token, "PUT", "/api/tenant/wechat", { appSecret: SECRET })).status).toBe(403);
      expect((await call(token, "POST", "/api/tenant/wechat/test")).status).toBe(403);
    }
  });

  it("a sealed secret does not open for another county or another field", () => {
    const sealed = seal(c.tenant, "appSecret", SECRET);
    expect(open(c.tenant, "appSecret", sealed)).toBe(SECRET);
    expect(() => open("another-county", "appSecret", sealed)).toThrow(/无法解密/);
    expect(() => open(c.tenant, "token", sealed)).toThrow(/无法解密/);
    // Two seals of one value differ (a fresh IV each time).
    expect(seal(c.tenant, "appSecret", SECRET).data).not.toBe(sealed.data);
  });
});
