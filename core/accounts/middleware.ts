/**
 * staffAuth(): `Authorization: Bearer <token>` (automation) or the console's session cookie → c.var.staff. Every
 * route under /api runs behind it. A missing, malformed, unknown or revoked credential is one and the same 401, so
 * the answer says nothing about which it was. Cookie requests that write must carry the session's CSRF token in
 * `x-csrf-token`; a session whose password is still the one-time one may only change it (or log out).
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { AppError } from "../errors.js";
import { enforce, RateRules } from "../abuse/ratelimit.js";
import type { Logger } from "../log.js";
import { resolve } from "../staff/tokens.js";
import type { Staff } from "../staff/scope.js";
import { personLabel } from "./index.js";
import * as sessions from "./sessions.js";

declare module "hono" {
  interface ContextVariableMap {
    staff: Staff;
    session: sessions.Session | undefined;
  }
}

export interface StaffAuthOptions {
  /** Paths (exact, as seen by the router) that need no token, e.g. the OpenAPI document. */
  public?: string[];
}

const unauthorized = () =>
  new AppError(
    "unauthorized",
    "unauthorized",
    "请先登录（控制台）或在请求头带上有效的令牌 Authorization: Bearer <token>",
  );
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
/** What a session that must still change its one-time password may do. */
const FIRST_LOGIN_PATHS = /\/api\/session(\/password)?$/;

export function staffAuth(options: StaffAuthOptions = {}): MiddlewareHandler {
  const open = new Set(options.public ?? []);
  return async function staffAuthMiddleware(c, next) {
    if (open.has(c.req.path)) return next();
    const header = c.req.header("authorization");
    let staff: Staff;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const info = m?.[1] ? await resolve(m[1]) : undefined;
      if (!info) {
        c.header("WWW-Authenticate", 'Bearer realm="zizhu"');
        throw unauthorized();
      }
      staff = { tokenId: info.tokenId, tenant: info.tenant, role: info.role, person: `${info.label}（接口令牌）` };
      if (info.schoolId) staff.schoolId = info.schoolId;
      if (info.township) staff.township = info.township;
      c.set("session", undefined);
    } else {
      const session = await sessions.resolve(getCookie(c, sessions.SESSION_COOKIE));
      if (!session) throw unauthorized();
      if (!SAFE.has(c.req.method) && !sessions.csrfMatches(session, c.req.header(sessions.CSRF_HEADER))) {
        throw AppError.forbidden("csrf", "页面已过期或请求来源不明：请刷新页面后再试");
      }
      const a = session.account;
      if (a.mustChangePassword && !FIRST_LOGIN_PATHS.test(c.req.path)) {
        throw AppError.forbidden("password_change_required", "首次登录须先修改密码：请在“修改密码”页设置新密码");
      }
      staff = {
        tokenId: `acc:${a.username}`,
        tenant: a.tenant,
        role: a.role,
        person: personLabel(a),
        username: a.username,
      };
      if (a.schoolId) staff.schoolId = a.schoolId;
      if (a.township) staff.township = a.township;
      c.set("session", session);
    }
    // Per credential, so one runaway script or leaked token cannot starve the table for the county (429 + Retry-After).
    await enforce(staff.tenant, RateRules.staffPerToken, staff.tokenId);
    c.set("staff", staff);
    // Present when mounted in the app (requestContext runs first); absent in a bare router under test.
    const log: Logger | undefined = c.get("log");
    if (log) c.set("log", log.child({ tenant: staff.tenant, tokenId: staff.tokenId }));
    await next();
  };
}
