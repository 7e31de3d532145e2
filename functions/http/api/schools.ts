/** Schools: the bureau creates them; every token lists the schools in its scope. */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import * as schools from "../../../core/schools/index.js";
import { requireSchool, visibleSchools } from "../../../core/staff/index.js";
import { ROLES, staffRoute } from "./contract.js";
import { Items, SchoolInfo } from "./views.js";

export const schoolRoutes = new Hono();
const School = z.object({ school: SchoolInfo });

staffRoute(
  schoolRoutes,
  {
    method: "post",
    path: "/api/schools",
    summary:
      "Add a school with its Chinese name and township; without an id one is made from the name's pinyin initials (城关一小 → cgyx, then cgyx-2 …)",
    roles: ["bureau"],
    scope: "tenant",
    request: { body: schools.NewSchool, labels: schools.SCHOOL_LABELS },
    responses: { 201: { description: "the school", schema: School } },
    errors: { 409: "已有同名学校（school_name_exists），或所给的学校编号已存在（school_exists）" },
  },
  async (c) => c.json({ school: await schools.create(c.var.staff.tenant, c.req.valid("json")) }, 201),
);

staffRoute(
  schoolRoutes,
  {
    method: "get",
    path: "/api/schools",
    summary: "Schools in the caller's scope",
    roles: ROLES,
    scope: "tenant",
    responses: { 200: { description: "the schools", schema: Items(SchoolInfo) } },
  },
  async (c) => c.json({ items: await visibleSchools(c.var.staff) }),
);

staffRoute(
  schoolRoutes,
  {
    method: "get",
    path: "/api/schools/{id}",
    summary: "One school (404 when outside the scope)",
    roles: ROLES,
    scope: "tenant",
    request: { params: { id: "学校编号" } },
    responses: { 200: { description: "the school", schema: School } },
  },
  async (c) => {
    const id = c.req.param("id")!;
    if (!schools.SchoolId.safeParse(id).success) throw AppError.notFound("school");
    return c.json({ school: await requireSchool(c.var.staff, id) });
  },
);
