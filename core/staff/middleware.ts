/**
 * staffAuth(): `Authorization: Bearer <token>` → c.var.staff. Every route under /api runs behind it. A missing,
 * malformed, unknown or revoked token is one and the same 401, so the answer says nothing about which it was.
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors.js";
import { enforce, RateRules } from "../abuse/ratelimit.js";
import type { Logger } from "../log.js";
import { resolve } from "./tokens.js";
import type { Staff } from "./scope.js";

declare module "hono" {
  interface ContextVariableMap {
    staff: Staff;
  }
}

export interface StaffAuthOptions {
  /** Paths (exact, as seen by the router) that need no token, e.g. the OpenAPI document. */
  public?: string[];
}

const unauthorized = () => new AppError("unauthorized", "unauthorized", "a valid staff token is required (Authorization: Bearer <token>)");

export function staffAuth(options: StaffAuthOptions = {}): MiddlewareHandler {
  const open = new Set(options.public ?? []);
  return async function staffAuthMiddleware(c, next) {
    if (open.has(c.req.path)) return next();
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const info = m?.[1] ? await resolve(m[1]) : undefined;
    if (!info) {
      c.header("WWW-Authenticate", 'Bearer realm="zizhu"');
      throw unauthorized();
    }
    // Per token, so one runaway script or leaked token cannot starve the table for the county (429 + Retry-After).
    await enforce(info.tenant, RateRules.staffPerToken, info.tokenId);
    const staff: Staff = { tokenId: info.tokenId, tenant: info.tenant, role: info.role };
    if (info.schoolId) staff.schoolId = info.schoolId;
    if (info.township) staff.township = info.township;
    c.set("staff", staff);
    // Present when mounted in the app (requestContext runs first); absent in a bare router under test.
    const log: Logger | undefined = c.get("log");
    if (log) c.set("log", log.child({ tenant: info.tenant, tokenId: info.tokenId }));
    await next();
  };
}
