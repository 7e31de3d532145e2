/**
 * Suspicious binding activity (core/families/alerts.ts), newest first: a student whose binding details drew more
 * wrong guesses than a family makes. Schools and townships see their own schools' students; alerts for a 学籍号
 * that does not exist (no school) go to the bureau only. What to do: check with the family and give them a code.
 */
import { Hono } from "hono";
import * as alerts from "../../../core/families/alerts.js";
import { canSeeSchool, visibleSchools } from "../../../core/staff/index.js";
import { ROLES, staffRoute } from "./contract.js";
import { AlertInfo, Items } from "./views.js";

export const alertRoutes = new Hono();

staffRoute(
  alertRoutes,
  {
    method: "get",
    path: "/api/alerts",
    summary:
      "Suspicious binding activity in scope, newest first (student id, school, failures in 24 h; no personal data)",
    roles: ROLES,
    scope: "tenant",
    responses: { 200: { description: "the alerts", schema: Items(AlertInfo) } },
  },
  async (c) => {
    const me = c.var.staff;
    const visible = new Map((await visibleSchools(me)).map((s) => [s.id, s] as const));
    const sees = (schoolId: string | undefined) => {
      if (schoolId === undefined) return me.role === "bureau";
      const s = visible.get(schoolId);
      return s !== undefined && canSeeSchool(me, s);
    };
    const items = (await alerts.recent(me.tenant)).filter((a) => sees(a.schoolId));
    return c.json({ items });
  },
);
