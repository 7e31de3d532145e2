/** Staff tokens: a bureau token issues scoped tokens (shown once), lists and revokes them; anyone can ask who they are. */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import * as schools from "../../../core/schools/index.js";
import * as staff from "../../../core/staff/index.js";
import { ROLES, staffRoute } from "./contract.js";
import { Items, StaffView, TokenInfo } from "./views.js";

export const tokenRoutes = new Hono();

staffRoute(
  tokenRoutes,
  {
    method: "get",
    path: "/api/me",
    summary: "The caller's role and scope",
    roles: ROLES,
    scope: "own",
    responses: { 200: { description: "who is calling", schema: z.object({ staff: StaffView }) } },
  },
  (c) => c.json({ staff: c.var.staff }),
);

staffRoute(
  tokenRoutes,
  {
    method: "post",
    path: "/api/tokens",
    summary: "Issue a scoped staff token (returned once; only its hash is stored)",
    roles: ["bureau"],
    scope: "tenant",
    request: { body: staff.IssueInput },
    responses: {
      201: {
        description: "the token, shown this once",
        schema: z.object({ token: z.string().describe("zz_<tenant>_<secret>"), info: TokenInfo }),
      },
    },
  },
  async (c) => {
    const me = c.var.staff;
    const input = c.req.valid("json");
    if (input.role === "school" && !(await schools.fromId(me.tenant, input.schoolId!))) {
      throw AppError.validation("unknown_school", `找不到学校“${input.schoolId}”：请从学校列表中选择已有的学校`);
    }
    // A township token for a township no school names would see nothing today and whatever a typo'd school
    // import puts there tomorrow.
    if (input.role === "township" && !(await schools.list(me.tenant)).some((s) => s.township === input.township)) {
      throw AppError.validation(
        "unknown_township",
        `没有学校登记在「${input.township}」，不能为它签发乡镇账号（请核对乡镇名称）`,
      );
    }
    const { token, info } = await staff.issue(me.tenant, input, me.tokenId);
    return c.json({ token, info }, 201);
  },
);

staffRoute(
  tokenRoutes,
  {
    method: "get",
    path: "/api/tokens",
    summary: "The tenant's staff tokens (never the tokens themselves)",
    roles: ["bureau"],
    scope: "tenant",
    responses: { 200: { description: "the tokens", schema: Items(TokenInfo) } },
  },
  async (c) => c.json({ items: await staff.list(c.var.staff.tenant) }),
);

staffRoute(
  tokenRoutes,
  {
    method: "delete",
    path: "/api/tokens/{id}",
    summary: "Revoke a token",
    roles: ["bureau"],
    scope: "tenant",
    request: { params: { id: "令牌编号 tok_…" } },
    responses: { 200: { description: "the revoked token", schema: z.object({ info: TokenInfo }) } },
  },
  async (c) => {
    const id = z
      .string()
      .regex(/^tok_[0-9a-z]{4,32}$/)
      .safeParse(c.req.param("id"));
    if (!id.success) throw AppError.notFound("token");
    return c.json({ info: await staff.revoke(c.var.staff.tenant, id.data) });
  },
);
