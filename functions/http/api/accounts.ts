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
import { AppError } from "../../../core/errors.js";
import { TenantId } from "../../../core/tenants/index.js";
import type { Staff } from "../../../core/staff/index.js";
import { describe } from "./openapi.js";
import { jsonBody } from "./validate.js";

const Login = z.object({
  tenant: TenantId.default("demo"),
  username: z.string().trim().min(1, "请输入用户名").max(40),
  password: z.string().min(1, "请输入密码").max(128),
});
const ChangePassword = z.object({ current: z.string().min(1, "请输入当前密码").max(128), next: z.string().max(128) });

export const SessionView = z.object({
  account: z.object({ username: z.string(), name: z.string(), role: z.enum(["bureau", "township", "school"]), title: z.string(), schoolId: z.string().optional(), township: z.string().optional(), mustChangePassword: z.boolean() }),
  person: z.string(),
  csrf: z.string(),
  expiresAt: z.string(),
});
const AccountView = accounts.AccountInfo.omit({ tenant: true, sessionsValidFrom: true });
const accountView = (a: accounts.AccountInfo) => AccountView.parse(a);

function sessionView(s: sessions.Session): z.infer<typeof SessionView> {
  const a = s.account;
  return SessionView.parse({ account: { ...a }, person: accounts.personLabel(a), csrf: s.csrf, expiresAt: s.expiresAt });
}

function secureCookie(c: Context): boolean {
  const url = new URL(c.req.url);
  return url.protocol === "https:" || c.req.header("x-forwarded-proto") === "https" || ["localhost", "127.0.0.1"].includes(url.hostname);
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
  return { tenant: staff.tenant, role: staff.role, ...(staff.township ? { township: staff.township } : {}), id: staff.username ?? staff.tokenId };
}

describe({ method: "post", path: "/api/session", summary: "Console login (sets the session cookie; answers the CSRF token)", roles: ["bureau", "township", "school"], body: Login, ok: { status: 200, description: "the session", schema: SessionView } });
export const sessionPublicRoutes = new Hono().post("/session", async (c) => {
  const input = await jsonBody(c, Login);
  const account = await accounts.authenticate(input.tenant, input.username, input.password);
  return c.json(sessionView(await startSession(c, account)));
});

describe({ method: "get", path: "/api/session", summary: "The console session: who is logged in, and the CSRF token", roles: ["bureau", "township", "school"], ok: { status: 200, description: "the session", schema: SessionView } });
describe({ method: "delete", path: "/api/session", summary: "Log out", roles: ["bureau", "township", "school"] });
describe({ method: "post", path: "/api/session/password", summary: "Change the logged-in account's password (required at first login)", roles: ["bureau", "township", "school"], body: ChangePassword, ok: { status: 200, description: "the new session", schema: SessionView } });
describe({ method: "get", path: "/api/accounts", summary: "Staff accounts the caller manages", roles: ["bureau", "township"], ok: { status: 200, description: "{ items }", schema: z.object({ items: z.array(AccountView) }) } });
describe({ method: "post", path: "/api/accounts", summary: "Create a named staff account (bureau: any; township: its schools'); answers the one-time password once", roles: ["bureau", "township"], body: accounts.AccountInput, ok: { status: 201, description: "{ account, password }", schema: z.object({ account: AccountView, password: z.string() }) } });
describe({ method: "post", path: "/api/accounts/{username}/reset", summary: "Reset an account's password (the level above): a new one-time password, open sessions ended", roles: ["bureau", "township"], ok: { status: 200, description: "{ account, password }", schema: z.object({ account: AccountView, password: z.string() }) } });

export const accountRoutes = new Hono()
  .get("/session", (c) => {
    const s = c.var.session;
    if (!s) throw AppError.validation("no_session", "令牌调用没有控制台会话：请用 GET /api/me");
    return c.json(sessionView(s));
  })
  .delete("/session", async (c) => {
    await sessions.end(getCookie(c, sessions.SESSION_COOKIE));
    deleteCookie(c, sessions.SESSION_COOKIE, { path: "/", secure: secureCookie(c), httpOnly: true, sameSite: "Strict" });
    return c.json({ ok: true });
  })
  .post("/session/password", async (c) => {
    const s = c.var.session;
    if (!s) throw AppError.validation("no_session", "令牌调用没有控制台会话：请先登录控制台");
    const input = await jsonBody(c, ChangePassword);
    const account = await accounts.changePassword(s.account.tenant, s.account.username, input.current, input.next);
    await sessions.end(getCookie(c, sessions.SESSION_COOKIE));
    return c.json(sessionView(await startSession(c, account)));
  })
  .get("/accounts", async (c) => {
    if (c.var.staff.role === "school") throw AppError.forbidden("role_required", "学校账号不能管理账号：请联系乡镇中心校或县资助中心");
    return c.json({ items: (await accounts.list(managerOf(c.var.staff))).map(accountView) });
  })
  .post("/accounts", async (c) => {
    const out = await accounts.create(managerOf(c.var.staff), await jsonBody(c, accounts.AccountInput));
    return c.json({ account: accountView(out.account), password: out.password }, 201);
  })
  .post("/accounts/:username/reset", async (c) => {
    const out = await accounts.reset(managerOf(c.var.staff), c.req.param("username"));
    return c.json({ account: accountView(out.account), password: out.password });
  });
