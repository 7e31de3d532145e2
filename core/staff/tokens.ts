/**
 * Staff tokens. A token is `zz_<tenant>_<secret>`: the tenant travels in the token, so a request resolves
 * without a tenant in the URL, and the lookup key lives under that tenant — a token can only ever open its own
 * tenant. Only HMAC-SHA256(pepper, token) is stored; the token itself is returned once, at issue.
 */
import { createHmac, randomBytes } from "node:crypto";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { config } from "../config.js";
import { AppError, isConditionFailure } from "../errors.js";
import { ddb, getItem, queryAll, sendConditional, tableName, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
import { BASE32_ALPHABET, newId, TENANT_ID_CHARS } from "../ids.js";
import { TenantId } from "../tenants/index.js";
import { SchoolId } from "../schools/index.js";

export const Role = z.enum(["bureau", "township", "school"]);
export type Role = z.infer<typeof Role>;

/** Who may issue: bureau tokens only. What they issue is described by this. */
export const IssueInput = z
  .object({
    role: Role,
    /** Required for a school token: the one school it acts for. */
    schoolId: SchoolId.optional(),
    /** Required for a township token: the township (as written on its schools). */
    township: z.string().trim().min(1).max(40).optional(),
    /** What the token is for ("城关镇中心校 资助专干"); never a person's phone or ID. */
    label: z.string().trim().min(1).max(60),
    /** How long it works, in days (default 180, at most a year); rotate before it ends (POST /api/tokens/rotate). */
    validDays: z.number().int().min(1).max(366).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === "school" && !v.schoolId)
      ctx.addIssue({ code: "custom", path: ["schoolId"], message: "a school token needs schoolId" });
    if (v.role === "township" && !v.township)
      ctx.addIssue({ code: "custom", path: ["township"], message: "a township token needs township" });
    if (v.role !== "school" && v.schoolId)
      ctx.addIssue({ code: "custom", path: ["schoolId"], message: "only a school token has schoolId" });
    if (v.role !== "township" && v.township)
      ctx.addIssue({ code: "custom", path: ["township"], message: "only a township token has township" });
  });
export type IssueInput = z.input<typeof IssueInput>;

export const TokenInfo = z.object({
  tokenId: z.string(),
  tenant: z.string(),
  role: Role,
  schoolId: z.string().optional(),
  township: z.string().optional(),
  label: z.string(),
  createdAt: z.string(),
  /** tokenId of the issuer, or "bootstrap". */
  createdBy: z.string(),
  revokedAt: z.string().optional(),
  /**
   * After this the token answers 401 token_expired. Absent on tokens issued before expiry existed: those end
   * DEFAULT_VALID_DAYS after createdAt (expiresAt below).
   */
  validUntil: z.string().optional(),
  /** tokenId of the token this one replaced by rotation. */
  rotatedFrom: z.string().optional(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

const FORMAT = new RegExp(`^zz_(${TENANT_ID_CHARS})_([0-9a-z]{32,64})$`);
const SECRET_ALPHABET = BASE32_ALPHABET;

export function hashToken(token: string): string {
  return createHmac("sha256", config().tokenPepper).update(token).digest("hex");
}

/** The tenant a well-formed token names; undefined for anything else. */
export function tenantOfToken(token: string): string | undefined {
  return FORMAT.exec(token)?.[1];
}

function newSecret(): string {
  // 32 chars × 5 bits = 160 bits; rejection-free because 256 is a multiple of 32.
  return [...randomBytes(32)].map((b) => SECRET_ALPHABET[b % 32]).join("");
}

function item(hash: string, info: TokenInfo) {
  return {
    ...keys.staffToken(info.tenant, hash),
    ...keys.staffTokenListing(info.tenant, info.tokenId),
    type: "staffToken",
    hash,
    ...info,
  };
}

async function store(token: string, info: TokenInfo): Promise<void> {
  await ddb().send(
    new PutCommand({
      TableName: tableName(),
      Item: item(hashToken(token), info),
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
}

/** Automation tokens last half a year unless issued for less: a leaked one stops working on its own. */
export const DEFAULT_VALID_DAYS = 180;

/** When a token stops working: its validUntil, or — for one stored before expiry existed — 180 days after it was made. */
export function expiresAt(info: Pick<TokenInfo, "validUntil" | "createdAt">): string {
  if (info.validUntil) return info.validUntil;
  return new Date(Date.parse(info.createdAt) + DEFAULT_VALID_DAYS * 24 * 3600 * 1000).toISOString();
}

/** Issue a scoped token for `tenant`. The returned token is shown once and never stored. */
export async function issue(
  tenant: string,
  input: IssueInput,
  createdBy: string,
  extra: { rotatedFrom?: string } = {},
): Promise<{ token: string; info: TokenInfo }> {
  const { validDays = DEFAULT_VALID_DAYS, ...parsed } = IssueInput.parse(input);
  const token = `zz_${TenantId.parse(tenant)}_${newSecret()}`;
  const now = new Date();
  const validUntil = new Date(now.getTime() + validDays * 24 * 3600 * 1000).toISOString();
  const info = TokenInfo.parse({
    ...parsed,
    ...extra,
    tokenId: newId("tok"),
    tenant,
    createdAt: now.toISOString(),
    createdBy,
    validUntil,
  });
  await store(token, info);
  return { token, info };
}

/**
 * The bootstrap bureau token of a tenant: ADMIN_TOKEN when set (any string of 16+ characters; one without our
 * prefix is registered through an alias item), otherwise a fresh `zz_` token. Idempotent for a set ADMIN_TOKEN;
 * the dev runner prints what it returns.
 */
export async function ensureAdminToken(tenant: string): Promise<string> {
  const configured = config().adminToken;
  const token = configured ?? `zz_${TenantId.parse(tenant)}_${newSecret()}`;
  if (token.length < 16) throw new Error("Configuration error: ADMIN_TOKEN must be at least 16 characters");
  const named = tenantOfToken(token);
  if (named !== undefined && named !== tenant) {
    throw new Error(`Configuration error: ADMIN_TOKEN names tenant "${named}", not "${tenant}"`);
  }
  const hash = hashToken(token);
  if (named === undefined) await registerAlias(hash, tenant);
  // The bootstrap token lasts DEFAULT_VALID_DAYS from the last start that set it; a start with the same
  // ADMIN_TOKEN extends it (the operator still holds the setting), a start with another one (or none: a fresh
  // token each dev start) revokes the bootstrap tokens before it — rotating ADMIN_TOKEN retires the old one.
  const validUntil = new Date(Date.now() + DEFAULT_VALID_DAYS * 24 * 3600 * 1000).toISOString();
  const existing = configured ? await getItem<Record<string, unknown>>(keys.staffToken(tenant, hash)) : undefined;
  if (existing && !existing.revokedAt) {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.staffToken(tenant, hash),
        UpdateExpression: "SET validUntil = :v",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":v": validUntil },
      }),
    );
    await revokeOtherBootstrap(tenant, existing.tokenId as string);
    return token;
  }
  const info = TokenInfo.parse({
    tokenId: newId("tok"),
    tenant,
    role: "bureau",
    label: "县资助中心初始管理令牌",
    createdAt: new Date().toISOString(),
    createdBy: "bootstrap",
    validUntil,
  });
  try {
    await store(token, info);
  } catch (e) {
    if (!isConditionFailure(e)) throw e; // a concurrent start stored it first
    return token;
  }
  await revokeOtherBootstrap(tenant, info.tokenId);
  return token;
}

/** Every bootstrap token of the tenant but `keep` is revoked (a new ADMIN_TOKEN, or a dev start without one). */
async function revokeOtherBootstrap(tenant: string, keep: string): Promise<void> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.staffTokensPk(tenant) },
  });
  const stale = items.filter((i) => i.createdBy === "bootstrap" && i.tokenId !== keep && !i.revokedAt);
  for (const old of stale)
    await sendConditional(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.staffToken(tenant, old.hash as string),
        UpdateExpression: "SET revokedAt = :at",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(revokedAt)",
        ExpressionAttributeValues: { ":at": new Date().toISOString() },
      }),
    );
}

async function registerAlias(hash: string, tenant: string): Promise<void> {
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.staffTokenAlias(hash), type: "staffTokenAlias", tenant },
        // One plain ADMIN_TOKEN cannot open two tenants: the alias says which one it is.
        ConditionExpression: "attribute_not_exists(pk) OR tenant = :t",
        ExpressionAttributeValues: { ":t": tenant },
      }),
    );
  } catch (e) {
    if (isConditionFailure(e))
      throw new Error(
        "Configuration error: ADMIN_TOKEN is already the bootstrap token of another tenant; use a zz_<tenant>_… token per tenant",
      );
    throw e;
  }
}

/** The token's record when it is valid and not revoked; undefined otherwise (the caller answers 401). */
export async function resolve(token: string): Promise<TokenInfo | undefined> {
  if (token.length < 16 || token.length > 128) return undefined;
  const hash = hashToken(token);
  let tenant = tenantOfToken(token);
  if (tenant === undefined) {
    const alias = await ddb().send(new GetCommand({ TableName: tableName(), Key: keys.staffTokenAlias(hash) }));
    tenant = typeof alias.Item?.tenant === "string" ? alias.Item.tenant : undefined;
    if (tenant === undefined) return undefined;
  }
  // Consistent read: a revoked token must stop working at once.
  const found = await getItem<Record<string, unknown>>(keys.staffToken(tenant, hash));
  if (!found) return undefined;
  const info = TokenInfo.parse(withoutKeys(found));
  // Belt and braces: the key is already under `tenant`, but a record that disagrees is never trusted.
  if (info.tenant !== tenant || info.revokedAt) return undefined;
  const until = expiresAt(info);
  if (Date.parse(until) <= Date.now()) {
    throw new AppError(
      "unauthorized",
      "token_expired",
      `这个令牌已于 ${until.slice(0, 10)} 过期：请县资助中心重新签发（令牌在过期前可用 POST /api/tokens/rotate 自行换新）`,
    );
  }
  return info;
}

/**
 * Rotation: the calling token gets a successor with the same role, scope and label and a fresh validity, and is
 * revoked in the same step — a script swaps the secret without a person at the bureau. The bootstrap token is set
 * by ADMIN_TOKEN and is rotated by changing that setting.
 */
export async function rotate(
  tenant: string,
  tokenId: string,
  validDays?: number,
): Promise<{ token: string; info: TokenInfo }> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk AND gsi1sk = :id",
    ExpressionAttributeValues: { ":pk": keys.staffTokensPk(tenant), ":id": tokenId },
  });
  const found = items[0];
  if (!found || typeof found.hash !== "string")
    throw AppError.validation("not_a_token", "只有接口令牌可以换新；控制台账号请修改密码");
  if (found.createdBy === "bootstrap")
    throw AppError.conflict("bootstrap_token", "初始管理令牌由 ADMIN_TOKEN 设置：请修改该设置后重启来更换");
  const old = TokenInfo.parse(withoutKeys(found));
  const input: IssueInput = {
    role: old.role,
    label: old.label,
    ...(old.schoolId ? { schoolId: old.schoolId } : {}),
    ...(old.township ? { township: old.township } : {}),
    ...(validDays ? { validDays } : {}),
  };
  // The successor exists before the old token stops: a failure in between never leaves a script with no token.
  const next = await issue(tenant, input, old.createdBy, { rotatedFrom: old.tokenId });
  const revoked = (hash: string, guard: boolean) =>
    ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.staffToken(tenant, hash),
        UpdateExpression: "SET revokedAt = :at",
        // Two parallel rotations of one token: the second finds it revoked, and its successor is withdrawn.
        ConditionExpression: guard
          ? "attribute_exists(pk) AND attribute_not_exists(revokedAt)"
          : "attribute_exists(pk)",
        ExpressionAttributeValues: { ":at": new Date().toISOString() },
      }),
    );
  try {
    await revoked(found.hash, true);
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    await revoked(hashToken(next.token), false);
    throw new AppError("unauthorized", "unauthorized", "这个令牌已被撤销或已换新：请用新令牌");
  }
  return next;
}

/** Pattern 25b: every token of a tenant (without hashes). */
export async function list(tenant: string): Promise<TokenInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.staffTokensPk(tenant) },
  });
  return items.map((i) => {
    const { hash: _hash, type: _type, ...rest } = withoutKeys(i);
    return TokenInfo.parse(rest);
  });
}

/** Revoke by token id; the bootstrap token cannot be revoked through the API (it would lock the bureau out). */
export async function revoke(tenant: string, tokenId: string): Promise<TokenInfo> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk AND gsi1sk = :id",
    ExpressionAttributeValues: { ":pk": keys.staffTokensPk(tenant), ":id": tokenId },
  });
  const found = items[0];
  if (!found || typeof found.hash !== "string") throw AppError.notFound("token");
  if (found.createdBy === "bootstrap")
    throw AppError.conflict(
      "bootstrap_token",
      "初始管理令牌由部署设置 ADMIN_TOKEN 决定，不能在这里吊销：请运维人员修改该设置后重启来更换",
    );
  const at = new Date().toISOString();
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.staffToken(tenant, found.hash),
      UpdateExpression: "SET revokedAt = if_not_exists(revokedAt, :at)",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":at": at },
    }),
  );
  const { hash: _hash, type: _type, ...rest } = withoutKeys(found);
  return TokenInfo.parse({ ...rest, revokedAt: (rest as { revokedAt?: string }).revokedAt ?? at });
}
