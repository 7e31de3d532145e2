/** The county dashboard: one call for a term's figures (core/actions/dashboard.ts), computed from the records. */
import { Hono } from "hono";
import { z } from "zod";
import { Term } from "../../../core/applications/index.js";
import { Dashboard, dashboard } from "../../../core/actions/dashboard.js";
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
