/**
 * 本县设置: what families see (name, hotline, the Official Account the binding slips point to) and what delivery uses
 * (WeChat template ids); the county's own WeChat account. Bureau only.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import * as tenants from "../../../core/tenants/index.js";
import { missingTemplates } from "../../../core/actions/compose.js";
import { forgetWechatAccount } from "../../../core/channels/wechat/account.js";
import { actorOf } from "../../../core/staff/index.js";
import {
  ConnectionResult,
  WechatCredentialsInput,
  WechatCredentialsView,
  credentialsView,
  saveCredentials,
  testConnection,
} from "../../../core/tenants/wechat-credentials.js";
import { staffRoute } from "./contract.js";
import { TenantView } from "./views.js";

export const tenantRoutes = new Hono();

async function current(tenant: string) {
  const t = await tenants.fromId(tenant);
  // The token resolved, so the tenant was provisioned; a missing record is an operations problem, not a 404.
  if (!t) throw new AppError("internal", "tenant_missing", "本县的设置记录不存在：请联系运维人员");
  return t;
}

staffRoute(
  tenantRoutes,
  {
    method: "get",
    path: "/api/tenant",
    summary:
      "Tenant settings; missingTemplates names each kind of notice WeChat families would not get, with what to create in the WeChat admin",
    roles: ["bureau"],
    scope: "tenant",
    responses: { 200: { description: "the settings", schema: TenantView } },
  },
  async (c) => {
    const t = await current(c.var.staff.tenant);
    return c.json({ tenant: t, missingTemplates: missingTemplates(t) });
  },
);

staffRoute(
  tenantRoutes,
  {
    method: "put",
    path: "/api/tenant",
    summary:
      "本县设置: change the county's name, hotline, Official Account follow link (printed as the binding slips' QR code) or WeChat template ids; an absent field is kept, null clears an optional one; audited with the fields changed",
    roles: ["bureau"],
    scope: "tenant",
    request: { body: tenants.SettingsUpdate, labels: tenants.SETTINGS_LABELS },
    responses: {
      200: {
        description: "the settings, what the county still lacks, and the fields changed (in Chinese)",
        schema: TenantView.extend({ changed: z.array(z.string()) }),
      },
    },
  },
  async (c) => {
    const out = await tenants.updateSettings(c.var.staff.tenant, actorOf(c.var.staff), c.req.valid("json"));
    return c.json({ ...out, missingTemplates: missingTemplates(out.tenant) });
  },
);

const WechatAnswer = z.object({
  credentials: WechatCredentialsView,
  serverPath: z.string().describe("公众号后台“服务器配置”的 URL 路径（加在本服务的网址后面）"),
});

staffRoute(
  tenantRoutes,
  {
    method: "get",
    path: "/api/tenant/wechat",
    summary:
      "The county's WeChat Official Account: the AppID, and for AppSecret, Token and EncodingAESKey only whether each is set and its last four characters",
    roles: ["bureau"],
    scope: "tenant",
    responses: { 200: { description: "the account (secrets never returned)", schema: WechatAnswer } },
  },
  async (c) =>
    c.json({
      credentials: await credentialsView(c.var.staff.tenant),
      serverPath: `/wechat/${c.var.staff.tenant}`,
    }),
);

staffRoute(
  tenantRoutes,
  {
    method: "put",
    path: "/api/tenant/wechat",
    summary:
      "Enter the county's AppID, AppSecret, Token and EncodingAESKey (an empty field keeps what is stored); secrets encrypted at rest (AES-256-GCM), audited by field name",
    roles: ["bureau"],
    scope: "tenant",
    request: { body: WechatCredentialsInput },
    responses: {
      200: {
        description: "the account as the console shows it, and the fields changed",
        schema: WechatAnswer.extend({ changed: z.array(z.string()) }),
      },
    },
    errors: { 503: "服务器没有配置加密密钥（secrets_key_missing）" },
  },
  async (c) => {
    const out = await saveCredentials(c.var.staff.tenant, actorOf(c.var.staff), c.req.valid("json"));
    // This process uses the new account at once; other instances within their 30 s cache.
    if (out.changed.length > 0) forgetWechatAccount(c.var.staff.tenant);
    return c.json({ ...out, serverPath: `/wechat/${c.var.staff.tenant}` });
  },
);

staffRoute(
  tenantRoutes,
  {
    method: "post",
    path: "/api/tenant/wechat/test",
    summary:
      "测试连接: fetch an access token through the WeChat API with the stored AppID and AppSecret (the token is not returned); ok false says what to fix",
    roles: ["bureau"],
    scope: "tenant",
    responses: { 200: { description: "how it went", schema: ConnectionResult } },
  },
  async (c) => c.json(await testConnection(c.var.staff.tenant)),
);
