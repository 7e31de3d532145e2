/** Handoff requests (families asking for a person), masked, newest first; each token sees its own schools' families. */
import { Hono } from "hono";
import { z } from "zod";
import * as handoffs from "../../../core/families/handoffs.js";
import { canSeeSchool, visibleSchools } from "../../../core/staff/index.js";
import { ROLES, staffRoute } from "./contract.js";
import { HandoffInfo, Page } from "./views.js";

export const handoffRoutes = new Hono();

staffRoute(
  handoffRoutes,
  {
    method: "get",
    path: "/api/handoffs",
    summary: "Handoff requests, newest first (text with personal numbers removed, children masked)",
    roles: ROLES,
    scope: "tenant",
    description:
      "Requests from users with no bound child are listed for bureau tokens only. A page may hold fewer items than the page size; follow the cursor.",
    request: { query: z.object({ cursor: z.string().optional() }) },
    responses: { 200: { description: "a page of requests", schema: Page(HandoffInfo) } },
  },
  async (c) => {
    const me = c.var.staff;
    const { cursor } = c.req.valid("query");
    const page = await handoffs.list(me.tenant, cursor);
    const visible = new Map((await visibleSchools(me)).map((s) => [s.id, s] as const));
    const sees = (schoolId: string) => {
      const s = visible.get(schoolId);
      return s !== undefined && canSeeSchool(me, s);
    };
    const items = page.items
      .filter((h) => me.role === "bureau" || h.children.some((k) => sees(k.schoolId)))
      // A school sees only its own children among a family's several.
      .map((h) => (me.role === "bureau" ? h : { ...h, children: h.children.filter((k) => sees(k.schoolId)) }));
    return c.json({ items, cursor: page.cursor });
  },
);
