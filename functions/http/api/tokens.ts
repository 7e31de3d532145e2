/** Staff tokens: a bureau token issues scoped tokens (shown once), lists and revokes them; anyone can ask who they are. */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import * as schools from "../../../core/schools/index.js";
import * as staff from "../../../core/staff/index.js";
import { describe } from "./openapi.js";
import { jsonBody } from "./validate.js";

export const tokenRoutes = new Hono();

describe({ method: "get", path: "/api/me", summary: "The calling token's role and scope", roles: ["bureau", "township", "school"] });
tokenRoutes.get("/me", (c) => c.json({ staff: c.var.staff }));

describe({
  method: "post",
  path: "/api/tokens",
  summary: "Issue a scoped staff token (returned once; only its hash is stored)",
  roles: ["bureau"],
  body: staff.IssueInput,
  ok: { status: 201, description: "{ token, info }" },
});
tokenRoutes.post("/tokens", async (c) => {
  const me = c.var.staff;
  staff.requireRole(me, "bureau");
  const input = await jsonBody(c, staff.IssueInput);
  if (input.role === "school" && !(await schools.fromId(me.tenant, input.schoolId!))) {
    throw AppError.validation("unknown_school", `school ${input.schoolId} not found`);
  }
  // A township token for a township no school names would see nothing today and whatever a typo'd school
  // import puts there tomorrow.
  if (input.role === "township" && !(await schools.list(me.tenant)).some((s) => s.township === input.township)) {
    throw AppError.validation("unknown_township", `没有学校登记在「${input.township}」，不能为它签发乡镇账号（请核对乡镇名称）`);
  }
  const { token, info } = await staff.issue(me.tenant, input, me.tokenId);
  return c.json({ token, info }, 201);
});

describe({ method: "get", path: "/api/tokens", summary: "List the tenant's staff tokens (never the tokens themselves)", roles: ["bureau"] });
tokenRoutes.get("/tokens", async (c) => {
  staff.requireRole(c.var.staff, "bureau");
  return c.json({ items: await staff.list(c.var.staff.tenant) });
});

describe({ method: "delete", path: "/api/tokens/{id}", summary: "Revoke a token", roles: ["bureau"] });
tokenRoutes.delete("/tokens/:id", async (c) => {
  staff.requireRole(c.var.staff, "bureau");
  const id = z.string().regex(/^tok_[0-9a-z]{4,32}$/).safeParse(c.req.param("id"));
  if (!id.success) throw AppError.notFound("token");
  return c.json({ info: await staff.revoke(c.var.staff.tenant, id.data) });
});
