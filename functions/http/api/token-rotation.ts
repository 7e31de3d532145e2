/** A staff token swaps itself for a successor before it expires (core/staff/tokens.ts rotate). */
import { Hono } from "hono";
import { z } from "zod";
import * as staff from "../../../core/staff/index.js";
import { ROLES, staffRoute } from "./contract.js";

const RotateInput = z.object({
  validDays: z.number().int().min(1).max(366).optional().describe("days the new token is valid (default 180)"),
});

export const tokenRotationRoutes = new Hono();

staffRoute(
  tokenRotationRoutes,
  {
    method: "post",
    path: "/api/tokens/rotate",
    summary:
      "Replace the calling token: a new token (returned once) with the same role, scope and label and a fresh validity; the old one stops at once",
    description:
      "For API tokens (not console sessions). Tokens expire (default 180 days; `validDays` when issued or rotated); an expired token answers 401 token_expired.",
    roles: ROLES,
    scope: "own",
    request: { body: RotateInput },
    responses: {
      201: {
        description: "{ token, info }",
        schema: z.object({ token: z.string(), info: z.record(z.string(), z.unknown()) }),
      },
    },
  },
  async (c) => c.json(await staff.rotate(c.var.staff.tenant, c.var.staff.tokenId, c.req.valid("json").validDays), 201),
);
