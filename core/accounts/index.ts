/**
 * Named staff accounts for the console. The bureau creates accounts for township and school staff; a township
 * account creates the accounts of its schools. Passwords are hashed with scrypt; the first login must change the
 * password set by someone else; five wrong passwords in a row lock the account for 15 minutes. A reset by the
 * level above sets a new one-time password and ends every open session of that account.
 */
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { AppError, isConditionFailure } from "../errors.js";
import { ddb, getItem, queryAll, tableName, withoutKeys } from "../db/client.js";
import { keys } from "../db/keys.js";
import * as schools from "../schools/index.js";
import { Role } from "../staff/tokens.js";
import { hashPassword, initialPassword, NewPassword, verifyPassword } from "./password.js";

export { NewPassword } from "./password.js";

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

/** 县资助中心 / 乡镇中心校 / 学校: what an audit line says after the person's name. */
export const RoleTitle: Record<Role, string> = {
  bureau: "县资助中心",
  township: "乡镇中心校资助专干",
  school: "学校资助专干",
};

/** A login name: letters/digits (starting with a letter) or an 11-digit mobile number. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([a-z][a-z0-9_.-]{2,31}|1[3-9]\d{9})$/, "用户名须为 3–32 位字母开头的字母数字，或 11 位手机号");

export const AccountInput = z
  .object({
    name: z.string().trim().min(2, "姓名至少 2 个字").max(20, "姓名最多 20 个字"),
    username: Username,
    role: Role,
    schoolId: schools.SchoolId.optional(),
    township: z.string().trim().min(1).max(40).optional(),
    /** 职务 as the person is known, e.g. 学校资助专干; defaults to the role's title. */
    title: z.string().trim().min(2).max(20).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === "school" && !v.schoolId)
      ctx.addIssue({ code: "custom", path: ["schoolId"], message: "学校账号须选择所属学校" });
    if (v.role === "township" && !v.township)
      ctx.addIssue({ code: "custom", path: ["township"], message: "乡镇账号须选择所属乡镇" });
  });
export type AccountInput = z.input<typeof AccountInput>;

export const AccountInfo = z.object({
  username: z.string(),
  tenant: z.string(),
  name: z.string(),
  role: Role,
  title: z.string(),
  schoolId: z.string().optional(),
  township: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  mustChangePassword: z.boolean(),
  failedAttempts: z.number().int(),
  lockedUntil: z.string().optional(),
  /** Sessions created before this instant are no longer valid (password changed or reset). */
  sessionsValidFrom: z.string(),
});
export type AccountInfo = z.infer<typeof AccountInfo>;

/** "李老师（学校资助专干）": how every audit entry names the person. */
export function personLabel(a: Pick<AccountInfo, "name" | "title">): string {
  return `${a.name}（${a.title}）`;
}

function toInfo(item: Record<string, unknown>): AccountInfo {
  const { passwordHash: _h, type: _t, ...rest } = withoutKeys(item);
  return AccountInfo.parse(rest);
}

export async function fromUsername(tenant: string, username: string): Promise<AccountInfo | undefined> {
  const parsed = Username.safeParse(username);
  if (!parsed.success) return undefined;
  const item = await getItem<Record<string, unknown>>(keys.account(tenant, parsed.data));
  return item ? toInfo(item) : undefined;
}

/** The caller who creates or resets accounts: a person (account) or the bootstrap. */
export interface Manager {
  tenant: string;
  role: Role;
  township?: string;
  /** "username" of the manager, or a token id for automation. */
  id: string;
}

/** The level above: the bureau manages every other account of its tenant; a township, its schools' accounts. */
async function mayManage(
  manager: Manager,
  target: Pick<AccountInfo, "role" | "schoolId" | "township">,
): Promise<boolean> {
  if (manager.role === "bureau") return true;
  if (manager.role !== "township" || target.role !== "school" || !target.schoolId) return false;
  const school = await schools.fromId(manager.tenant, target.schoolId);
  return school?.township === manager.township;
}

async function checkScope(
  tenant: string,
  input: z.output<typeof AccountInput>,
): Promise<{ schoolId?: string; township?: string }> {
  const all = await schools.list(tenant);
  if (input.role === "school") {
    const school = all.find((s) => s.id === input.schoolId);
    if (!school) throw AppError.validation("unknown_school", "找不到这所学校：请从学校列表中选择");
    return { schoolId: school.id };
  }
  if (input.role === "township") {
    // A misspelled township (青松 for 青松镇) would see nothing: only townships the county's schools name are valid.
    const townships = [...new Set(all.map((s) => s.township))];
    if (!townships.includes(input.township!)) {
      throw AppError.validation(
        "unknown_township",
        `没有学校属于“${input.township}”：请从乡镇列表中选择（现有：${townships.join("、")}）`,
      );
    }
    return { township: input.township! };
  }
  return {};
}

/** Create an account with a one-time password (returned once, shown to the creator to hand over). */
export async function create(manager: Manager, raw: AccountInput): Promise<{ account: AccountInfo; password: string }> {
  const input = AccountInput.parse(raw);
  const scope = await checkScope(manager.tenant, input);
  if (!(await mayManage(manager, { role: input.role, ...scope }))) {
    throw AppError.forbidden(
      "role_required",
      "只有上一级可以为此角色开账号：乡镇可为本乡镇学校开账号，其余由县资助中心开",
    );
  }
  const password = initialPassword();
  return { account: await store(manager.tenant, input, scope, password, manager.id), password };
}

async function store(
  tenant: string,
  input: z.output<typeof AccountInput>,
  scope: { schoolId?: string; township?: string },
  password: string,
  createdBy: string,
) {
  const now = new Date().toISOString();
  const account = AccountInfo.parse({
    username: input.username,
    tenant,
    name: input.name,
    role: input.role,
    title: input.title ?? RoleTitle[input.role],
    ...scope,
    createdAt: now,
    createdBy,
    mustChangePassword: true,
    failedAttempts: 0,
    sessionsValidFrom: now,
  });
  try {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.account(tenant, account.username),
          ...keys.accountListing(tenant, account.username),
          type: "account",
          ...account,
          passwordHash: await hashPassword(password),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (e) {
    if (isConditionFailure(e))
      throw AppError.conflict("account_exists", `用户名 ${account.username} 已被使用：请换一个用户名`);
    throw e;
  }
  return account;
}

/**
 * The first bureau account of a tenant (username `admin`), for `npm run dev` and the seed. Returns the one-time
 * password while nobody has logged in and changed it (a fresh one each start, since only its hash is kept);
 * undefined once its owner has chosen their own.
 */
export async function ensureFirstBureauAccount(
  tenant: string,
  name = "县资助中心管理员",
): Promise<{ username: string; password?: string }> {
  const username = "admin";
  const existing = await fromUsername(tenant, username);
  if (existing && !existing.mustChangePassword) return { username };
  const password = initialPassword();
  if (!existing) {
    try {
      await store(tenant, AccountInput.parse({ name, username, role: "bureau" }), {}, password, "bootstrap");
      return { username, password };
    } catch (e) {
      if (!(e instanceof AppError && e.code === "account_exists")) throw e;
    }
  }
  await setPassword(tenant, username, password, true);
  return { username, password };
}

/** Every account the manager may see: the bureau all; a township its own and its schools'; a school its own. */
export async function list(manager: Manager): Promise<AccountInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.accountsPk(manager.tenant) },
  });
  const all = items.map(toInfo);
  if (manager.role === "bureau") return all;
  const out: AccountInfo[] = [];
  for (const a of all) if (a.username === manager.id || (await mayManage(manager, a))) out.push(a);
  return out;
}

async function setPassword(tenant: string, username: string, password: string, mustChange: boolean): Promise<void> {
  await ddb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.account(tenant, username),
      UpdateExpression:
        "SET passwordHash = :h, mustChangePassword = :m, failedAttempts = :z, sessionsValidFrom = :now REMOVE lockedUntil",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: {
        ":h": await hashPassword(password),
        ":m": mustChange,
        ":z": 0,
        ":now": new Date().toISOString(),
      },
    }),
  );
}

/** Reset by the level above: a new one-time password, the lock lifted, open sessions ended. */
export async function reset(manager: Manager, username: string): Promise<{ account: AccountInfo; password: string }> {
  const target = await fromUsername(manager.tenant, username);
  if (!target || target.username === manager.id || !(await mayManage(manager, target)))
    throw AppError.notFound("account");
  const password = initialPassword();
  await setPassword(manager.tenant, target.username, password, true);
  return { account: (await fromUsername(manager.tenant, target.username))!, password };
}

const badLogin = () =>
  new AppError("unauthorized", "bad_credentials", "用户名或密码不对：请核对后重试（连续输错 5 次将锁定 15 分钟）");

/**
 * Check a password. Failures are counted with a conditional update; the fifth in a row locks the account. The
 * same answer for an unknown user and a wrong password, so a login form cannot probe usernames.
 */
export async function authenticate(tenant: string, username: string, password: string): Promise<AccountInfo> {
  const parsed = Username.safeParse(username);
  const item = parsed.success ? await getItem<Record<string, unknown>>(keys.account(tenant, parsed.data)) : undefined;
  if (!item || typeof item.passwordHash !== "string") {
    await verifyPassword(
      password,
      "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ); // same cost as a real check
    throw badLogin();
  }
  const account = toInfo(item);
  const now = new Date();
  if (account.lockedUntil && account.lockedUntil > now.toISOString()) {
    throw new AppError(
      "rate_limited",
      "account_locked",
      `密码连续输错次数过多，账号已锁定到 ${account.lockedUntil.slice(11, 16)}（UTC）：请稍后再试，或请上一级重置密码`,
    );
  }
  if (!(await verifyPassword(password, item.passwordHash))) {
    const failures = account.lockedUntil ? 1 : account.failedAttempts + 1;
    const lock = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : undefined;
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.account(tenant, account.username),
        UpdateExpression: lock
          ? "SET failedAttempts = :f, lockedUntil = :l"
          : "SET failedAttempts = :f REMOVE lockedUntil",
        ExpressionAttributeValues: { ":f": lock ? 0 : failures, ...(lock ? { ":l": lock } : {}) },
      }),
    );
    if (lock)
      throw new AppError(
        "rate_limited",
        "account_locked",
        `密码连续输错 ${MAX_FAILURES} 次，账号已锁定 ${LOCK_MINUTES} 分钟：请稍后再试，或请上一级重置密码`,
      );
    throw badLogin();
  }
  if (account.failedAttempts > 0 || account.lockedUntil) {
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.account(tenant, account.username),
        UpdateExpression: "SET failedAttempts = :z REMOVE lockedUntil",
        ExpressionAttributeValues: { ":z": 0 },
      }),
    );
  }
  return { ...account, failedAttempts: 0, lockedUntil: undefined };
}

/** The owner changes their password (first login, or any time): needs the current one. */
export async function changePassword(
  tenant: string,
  username: string,
  current: string,
  next: string,
): Promise<AccountInfo> {
  const parsed = NewPassword.safeParse(next);
  if (!parsed.success) throw AppError.validation("weak_password", parsed.error.issues[0]!.message + "：请换一个");
  const account = await authenticate(tenant, username, current).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "bad_credentials")
      throw AppError.validation("bad_current_password", "当前密码不对：请输入登录时用的密码");
    throw e;
  });
  if (current === next) throw AppError.validation("same_password", "新密码不能与当前密码相同：请换一个");
  await setPassword(tenant, account.username, next, false);
  return (await fromUsername(tenant, account.username))!;
}
