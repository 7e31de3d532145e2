/**
 * The county dashboard: one call for a term's figures (core/actions/dashboard.ts), read from the counters every
 * application write keeps; and the bureau's recount of a term's counters from the records.
 */
import { Hono } from "hono";
import { z } from "zod";
import { Term } from "../../../core/applications/index.js";
import { Dashboard, RebuildResult, dashboard, rebuildCounters } from "../../../core/actions/dashboard.js";
import { BindingCoverage, bindingCoverage } from "../../../core/actions/binding-coverage.js";
import { AppError } from "../../../core/errors.js";
import { ROLES, staffRoute } from "./contract.js";

export const dashboardRoutes = new Hono();

staffRoute(
  dashboardRoutes,
  {
    method: "get",
    path: "/api/dashboard",
    summary:
      "A term's 资助人数 and 金额 by programme, township and school, applications per stage, and how far the term's notices reached — in one call, within the caller's scope",
    roles: ROLES,
    scope: "tenant",
    request: { query: z.object({ term: Term }) },
    responses: { 200: { description: "the figures", schema: Dashboard } },
  },
  async (c) => c.json(await dashboard(c.var.staff, c.req.valid("query").term)),
);

staffRoute(
  dashboardRoutes,
  {
    method: "post",
    path: "/api/dashboard/rebuild",
    summary:
      "Recount a term's dashboard counters from the application records and overwrite them (migration, repair); says how many were corrected",
    roles: ["bureau"],
    scope: "tenant",
    request: { body: z.object({ term: Term }) },
    responses: { 200: { description: "what the recount found and wrote", schema: RebuildResult } },
  },
  async (c) => c.json(await rebuildCounters(c.var.staff, c.req.valid("json").term)),
);

staffRoute(
  dashboardRoutes,
  {
    method: "get",
    path: "/api/dashboard/binding-coverage",
    summary:
      "A school's binding coverage: how many of its students have a guardian linked (WeChat or web chat), in all and per class",
    roles: ROLES,
    scope: "tenant",
    request: {
      query: z.object({ schoolId: z.string().optional().describe("学校编号；学校账号可省略（默认本校）") }),
    },
    responses: { 200: { description: "the coverage", schema: BindingCoverage } },
  },
  async (c) => {
    const schoolId = c.req.valid("query").schoolId ?? c.var.staff.schoolId;
    if (!schoolId) throw AppError.validation("school_required", "请选择学校");
    return c.json(await bindingCoverage(c.var.staff, schoolId));
  },
);
