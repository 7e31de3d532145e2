/** A staff token swaps itself for a successor before it expires (core/staff/tokens.ts rotate). */
import { Hono } from "hono";
import { z } from "zod";
import * as staff from "../../../core/staff/index.js";
import { describe } from "./openapi.js";
import { jsonBody } from "./validate.js";

const RotateInput = z.object({ validDays: z.number().int().min(1).max(366).optional() });

export const tokenRotationRoutes = new Hono();

describe({
  method: "post",
  path: "/api/tokens/rotate",
  summary: "Replace the calling token: a new token (returned once) with the same role, scope and label and a fresh validity; the old one stops at once",
  description: "For API tokens (not console sessions). Tokens expire (default 180 days; `validDays` when issued or rotated); an expired token answers 401 token_expired.",
  roles: ["bureau", "township", "school"],
  body: RotateInput,
  ok: { status: 201, description: "{ token, info }" },
});
tokenRotationRoutes.post("/tokens/rotate", async (c) => {
  const input = await jsonBody(c, RotateInput);
  return c.json(await staff.rotate(c.var.staff.tenant, c.var.staff.tokenId, input.validDays), 201);
});
