/**
 * A county's own WeChat Official Account: AppID, AppSecret, Token and EncodingAESKey, entered by the bureau in the
 * console. The three secrets are encrypted at rest with AES-256-GCM under the deployment's key
 * (TENANT_SECRETS_KEY through core/config), each bound to its tenant and field as associated data, so a value copied
 * to another county or field does not decrypt. What leaves this module for a browser is only whether each secret is
 * set and its last four characters; the plain values are for the server's own calls (`decrypted`).
 *
 * Also the "测试连接" check: one stable_token call to the WeChat API base with the stored AppID and AppSecret; the
 * token itself is not kept or shown.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { z } from "zod";
import { auditPut, type Actor } from "../audit/index.js";
import { config } from "../config.js";
import { getItem, tableName, transact, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
import { AppError } from "../errors.js";

export const SECRET_FIELDS = ["appSecret", "token", "aesKey"] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
const LABEL: Record<SecretField | "appId", string> = {
  appId: "AppID",
  appSecret: "AppSecret",
  token: "Token",
  aesKey: "EncodingAESKey",
};

/** An empty field in the form means "keep what is stored". */
const blankIsUnset = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const WechatCredentialsInput = z.strictObject({
  appId: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^wx[0-9a-zA-Z]{16}$/, "应为 wx 开头的 18 位字母数字（公众号后台“设置与开发 → 基本配置”）"),
  ),
  appSecret: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^[0-9a-zA-Z]{32}$/, "应为 32 位字母或数字（公众号后台“基本配置”里重置后复制）"),
  ),
  token: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^[0-9a-zA-Z]{3,32}$/, "应为 3–32 位字母或数字，与公众号后台“服务器配置”里填的一致"),
  ),
  aesKey: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^[0-9a-zA-Z]{43}$/, "应为 43 位字母或数字，与公众号后台“服务器配置”里的一致"),
  ),
});
export type WechatCredentialsInput = z.output<typeof WechatCredentialsInput>;

const Sealed = z.object({ iv: z.string(), tag: z.string(), data: z.string(), last4: z.string() });
const Stored = z.object({
  appId: z.string().optional(),
  secrets: z.object({ appSecret: Sealed.optional(), token: Sealed.optional(), aesKey: Sealed.optional() }),
  updatedAt: z.string(),
  updatedBy: z.string().max(60),
});
type Stored = z.infer<typeof Stored>;

export const SecretState = z.object({
  set: z.boolean(),
  last4: z.string().optional().describe("已设置时的后四位"),
});
export const WechatCredentialsView = z.object({
  appId: z.string().optional(),
  appSecret: SecretState,
  token: SecretState,
  aesKey: SecretState,
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type WechatCredentialsView = z.infer<typeof WechatCredentialsView>;

function key(): Buffer {
  const k = config().tenantSecretsKey;
  if (!k)
    throw new AppError(
      "unavailable",
      "secrets_key_missing",
      "服务器没有配置加密密钥（TENANT_SECRETS_KEY），公众号密钥不能保存：请联系运维人员配置后再试",
    );
  return k;
}

const aad = (tenant: string, field: SecretField) => Buffer.from(`zizhu|${tenant}|wechat|${field}`, "utf8");

export function seal(tenant: string, field: SecretField, plain: string): z.infer<typeof Sealed> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(aad(tenant, field));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return {
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
    last4: plain.slice(-4),
  };
}

export function open(tenant: string, field: SecretField, sealed: z.infer<typeof Sealed>): string {
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(sealed.iv, "base64"));
  decipher.setAAD(aad(tenant, field));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
  } catch (e) {
    throw new AppError("internal", "secret_unreadable", "保存的公众号密钥无法解密：请重新填写后保存", undefined, {
      cause: e,
    });
  }
}

async function stored(tenant: string): Promise<Stored | undefined> {
  const item = await getItem(keys.wechatCredentials(tenant));
  return item ? Stored.parse(withoutKeys(item)) : undefined;
}

function view(s: Stored | undefined): WechatCredentialsView {
  const state = (f: SecretField) => {
    const v = s?.secrets[f];
    return v ? { set: true, last4: v.last4 } : { set: false };
  };
  return {
    ...(s?.appId ? { appId: s.appId } : {}),
    appSecret: state("appSecret"),
    token: state("token"),
    aesKey: state("aesKey"),
    ...(s ? { updatedAt: s.updatedAt, updatedBy: s.updatedBy } : {}),
  };
}

/** What the console shows: the AppID, and for each secret only whether it is set and its last four characters. */
export async function credentialsView(tenant: string): Promise<WechatCredentialsView> {
  return view(await stored(tenant));
}

/** Save what was entered; a field left empty keeps its stored value. Returns the view and the fields changed. */
export async function saveCredentials(
  tenant: string,
  actor: Actor,
  input: WechatCredentialsInput,
): Promise<{ credentials: WechatCredentialsView; changed: string[] }> {
  const before = await stored(tenant);
  const secrets = { ...(before?.secrets ?? {}) };
  const changed: string[] = [];
  if (input.appId !== undefined && input.appId !== before?.appId) changed.push(LABEL.appId);
  for (const f of SECRET_FIELDS) {
    const v = input[f];
    if (v === undefined) continue;
    secrets[f] = seal(tenant, f, v);
    changed.push(LABEL[f]);
  }
  const next = Stored.parse({
    appId: input.appId ?? before?.appId,
    secrets,
    updatedAt: new Date().toISOString(),
    updatedBy: (actor.name ?? actor.id).slice(0, 60),
  });
  if (changed.length === 0) return { credentials: view(before), changed };
  // The trail names who changed which fields, never a value.
  await transact([
    {
      Put: { TableName: tableName(), Item: { ...keys.wechatCredentials(tenant), type: "wechatCredentials", ...next } },
    },
    auditPut(tableName(), tenant, {
      entityId: `tenant:${tenant}`,
      actor,
      action: "wechat_credentials",
      reason: `更新公众号${changed.join("、")}`,
    }),
  ]);
  return { credentials: view(next), changed };
}

/** The plain values, for the server's own calls to WeChat. Never for a response. */
export async function decrypted(
  tenant: string,
): Promise<{ appId?: string; appSecret?: string; token?: string; aesKey?: string }> {
  const s = await stored(tenant);
  if (!s) return {};
  const out: { appId?: string; appSecret?: string; token?: string; aesKey?: string } = {};
  if (s.appId) out.appId = s.appId;
  for (const f of SECRET_FIELDS) {
    const v = s.secrets[f];
    if (v) out[f] = open(tenant, f, v);
  }
  return out;
}

/** WeChat's answers to a token request, in the words the bureau needs to fix them. */
const WECHAT_ERROR: Record<number, string> = {
  40013: "AppID 不对：请在公众号后台“设置与开发 → 基本配置”核对后重新填写",
  40125: "AppSecret 不对：请在公众号后台“基本配置”重置 AppSecret 后重新填写",
  40164: "本服务器的 IP 不在公众号的 IP 白名单中：请在公众号后台“基本配置 → IP 白名单”加入服务器的出口 IP",
  41002: "没有填写 AppID",
  41004: "没有填写 AppSecret",
  45009: "今天取 access_token 的次数已用完：请明天再试",
  "-1": "微信服务器繁忙：请稍后再试",
} as Record<number, string>;

export const ConnectionResult = z.object({
  ok: z.boolean(),
  message: z.string(),
  errcode: z.number().int().optional(),
  expiresIn: z.number().int().optional().describe("取得的 access_token 的有效秒数（令牌本身不返回）"),
});
export type ConnectionResult = z.infer<typeof ConnectionResult>;

/** 测试连接: one stable_token request with the stored AppID and AppSecret (the WeChat API base from config). */
export async function testConnection(tenant: string): Promise<ConnectionResult> {
  const c = await decrypted(tenant);
  if (!c.appId || !c.appSecret) return { ok: false, message: "请先填写并保存 AppID 和 AppSecret，再测试连接" };
  let json: Record<string, unknown>;
  try {
    const res = await fetch(`${config().wechat.apiBase}/cgi-bin/stable_token`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        grant_type: "client_credential",
        appid: c.appId,
        secret: c.appSecret,
        force_refresh: false,
      }),
      signal: AbortSignal.timeout(5_000),
    });
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    return { ok: false, message: "连不上微信接口：请检查服务器的网络后重试" };
  }
  const errcode = typeof json.errcode === "number" ? json.errcode : 0;
  if (errcode !== 0 || typeof json.access_token !== "string")
    return {
      ok: false,
      errcode,
      message: WECHAT_ERROR[errcode] ?? `微信返回错误 ${errcode}：请核对 AppID 和 AppSecret，或稍后再试`,
    };
  const expiresIn = Number(json.expires_in);
  return {
    ok: true,
    message: `连接成功：已用 AppID ${c.appId} 取得 access_token${Number.isFinite(expiresIn) ? `（有效期 ${expiresIn} 秒）` : ""}`,
    ...(Number.isFinite(expiresIn) ? { expiresIn } : {}),
  };
}
