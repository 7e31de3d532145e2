/**
 * Console login and named staff accounts. `sessionPublicRoutes` (login) is mounted before staffAuth; the rest
 * behind it. The session cookie is httpOnly, SameSite=Strict, Secure (except on plain-http localhost dev, where
 * browsers would drop a Secure cookie from a LAN address), with the session's own expiry.
 */
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import * as accounts from "../../../core/accounts/index.js";
import * as sessions from "../../../core/accounts/sessions.js";
import * as schools from "../../../core/schools/index.js";
import { AppError } from "../../../core/errors.js";
import { TenantId } from "../../../core/tenants/index.js";
import type { Staff } from "../../../core/staff/index.js";
import { ROLES, staffRoute } from "./contract.js";
import { Items, Ok } from "./views.js";

const Login = z.object({
  tenant: TenantId.default("demo"),
  username: z.string().trim().min(1, "请输入用户名").max(40),
  password: z.string().min(1, "请输入密码").max(128),
});
const ChangePassword = z.object({ current: z.string().min(1, "请输入当前密码").max(128), next: z.string().max(128) });

export const SessionView = z.object({
  account: z.object({
    username: z.string(),
    name: z.string(),
    role: z.enum(["bureau", "township", "school"]),
    title: z.string(),
    schoolId: z.string().optional(),
    township: z.string().optional(),
    mustChangePassword: z.boolean(),
  }),
  person: z.string(),
  unit: z
    .string()
    .optional()
    .describe("where the person works, for the console header: the school's name (school accounts) or the township"),
  csrf: z.string(),
  expiresAt: z.string(),
});
const AccountView = accounts.AccountInfo.omit({ tenant: true, sessionsValidFrom: true });
const accountView = (a: accounts.AccountInfo) => AccountView.parse(a);

/** The school's name for a school account (the id if the school is gone), the township for a township account. */
async function unitOf(a: sessions.Session["account"]): Promise<string | undefined> {
  if (a.role === "school" && a.schoolId)
    return (await schools.fromId(a.tenant, a.schoolId).catch(() => undefined))?.name ?? a.schoolId;
  if (a.role === "township") return a.township;
  return undefined;
}

async function sessionView(s: sessions.Session): Promise<z.infer<typeof SessionView>> {
  const a = s.account;
  const unit = await unitOf(a);
  return SessionView.parse({
    account: { ...a },
    person: accounts.personLabel(a),
    ...(unit ? { unit } : {}),
    csrf: s.csrf,
    expiresAt: s.expiresAt,
  });
}

function secureCookie(c: Context): boolean {
  const url = new URL(c.req.url);
  return (
    url.protocol === "https:" ||
    c.req.header("x-forwarded-proto") === "https" ||
    ["localhost", "127.0.0.1"].includes(url.hostname)
  );
}

async function startSession(c: Context, account: accounts.AccountInfo) {
  const { cookie, session } = await sessions.create(account);
  setCookie(c, sessions.SESSION_COOKIE, cookie, {
    httpOnly: true,
    secure: secureCookie(c),
    sameSite: "Strict",
    path: "/",
    expires: new Date(session.expiresAt),
  });
  return session;
}

function managerOf(staff: Staff): accounts.Manager {
  return {
    tenant: staff.tenant,
    role: staff.role,
    ...(staff.township ? { township: staff.township } : {}),
    id: staff.username ?? staff.tokenId,
  };
}

export const sessionPublicRoutes = new Hono();
staffRoute(
  sessionPublicRoutes,
  {
    method: "post",
    path: "/api/session",
    summary: "Console login (sets the session cookie; answers the CSRF token)",
    roles: "public",
    scope: "public",
    request: { body: Login },
    responses: { 200: { description: "the session", schema: SessionView } },
    errors: { 401: "用户名或密码不对（bad_credentials），或账号已锁定" },
    security: "none",
  },
  async (c) => {
    const input = c.req.valid("json");
    const account = await accounts.authenticate(input.tenant, input.username, input.password);
    return c.json(await sessionView(await startSession(c, account)));
  },
);

export const accountRoutes = new Hono();
const Issued = z.object({
  account: AccountView,
  password: z.string().describe("一次性密码：只显示这一次，首次登录须修改"),
});

staffRoute(
  accountRoutes,
  {
    method: "get",
    path: "/api/session",
    summary: "The console session: who is logged in, and the CSRF token",
    roles: ROLES,
    scope: "own",
    responses: { 200: { description: "the session", schema: SessionView } },
  },
  async (c) => {
    const s = c.var.session;
    if (!s) throw AppError.validation("no_session", "令牌调用没有控制台会话：请用 GET /api/me");
    return c.json(await sessionView(s));
  },
);

staffRoute(
  accountRoutes,
  {
    method: "delete",
    path: "/api/session",
    summary: "Log out",
    roles: ROLES,
    scope: "own",
    responses: { 200: { description: "logged out", schema: Ok } },
  },
  async (c) => {
    await sessions.end(getCookie(c, sessions.SESSION_COOKIE));
    deleteCookie(c, sessions.SESSION_COOKIE, {
      path: "/",
      secure: secureCookie(c),
      httpOnly: true,
      sameSite: "Strict",
    });
    return c.json({ ok: true as const });
  },
);

staffRoute(
  accountRoutes,
  {
    method: "post",
    path: "/api/session/password",
    summary: "Change the logged-in account's password (required at first login)",
    roles: ROLES,
    scope: "own",
    request: { body: ChangePassword },
    responses: { 200: { description: "the new session", schema: SessionView } },
  },
  async (c) => {
    const s = c.var.session;
    if (!s) throw AppError.validation("no_session", "令牌调用没有控制台会话：请先登录控制台");
    const input = c.req.valid("json");
    const account = await accounts.changePassword(s.account.tenant, s.account.username, input.current, input.next);
    await sessions.end(getCookie(c, sessions.SESSION_COOKIE));
    return c.json(await sessionView(await startSession(c, account)));
  },
);

const managers = ["bureau", "township"] as const;
const schoolRefusal = { code: "role_required", message: "学校账号不能管理账号：请联系乡镇中心校或县资助中心" };

staffRoute(
  accountRoutes,
  {
    method: "get",
    path: "/api/accounts",
    summary: "Staff accounts the caller manages",
    roles: managers,
    refusal: schoolRefusal,
    scope: "managed",
    responses: { 200: { description: "the accounts", schema: Items(AccountView) } },
  },
  async (c) => c.json({ items: (await accounts.list(managerOf(c.var.staff))).map(accountView) }),
);

staffRoute(
  accountRoutes,
  {
    method: "post",
    path: "/api/accounts",
    summary: "Create a named staff account (bureau: any; township: its schools'); answers the one-time password once",
    roles: managers,
    refusal: schoolRefusal,
    scope: "managed",
    request: { body: accounts.AccountInput },
    responses: { 201: { description: "the account and its one-time password", schema: Issued } },
    errors: { 409: "用户名已被使用" },
  },
  async (c) => {
    const out = await accounts.create(managerOf(c.var.staff), c.req.valid("json"));
    return c.json({ account: accountView(out.account), password: out.password }, 201);
  },
);

staffRoute(
  accountRoutes,
  {
    method: "post",
    path: "/api/accounts/{username}/reset",
    summary: "Reset an account's password (the level above): a new one-time password, open sessions ended",
    roles: managers,
    refusal: schoolRefusal,
    scope: "managed",
    request: { params: { username: "登录名" } },
    responses: { 200: { description: "the account and its new one-time password", schema: Issued } },
  },
  async (c) => {
    const out = await accounts.reset(managerOf(c.var.staff), c.req.param("username")!);
    return c.json({ account: accountView(out.account), password: out.password });
  },
);
