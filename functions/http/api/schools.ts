/** Schools: the bureau creates them; every token lists the schools in its scope. */
import { Hono } from "hono";
import { AppError } from "../../../core/errors.js";
import * as schools from "../../../core/schools/index.js";
import { requireRole, requireSchool, visibleSchools } from "../../../core/staff/index.js";
import { describe } from "./openapi.js";
import { jsonBody } from "./validate.js";

export const schoolRoutes = new Hono();

describe({ method: "post", path: "/api/schools", summary: "Create a school", roles: ["bureau"], body: schools.SchoolInput, ok: { status: 201, description: "{ school }" } });
schoolRoutes.post("/schools", async (c) => {
  requireRole(c.var.staff, "bureau");
  const input = await jsonBody(c, schools.SchoolInput);
  return c.json({ school: await schools.create(c.var.staff.tenant, input) }, 201);
});

describe({ method: "get", path: "/api/schools", summary: "Schools in the token's scope", roles: ["bureau", "township", "school"] });
schoolRoutes.get("/schools", async (c) => c.json({ items: await visibleSchools(c.var.staff) }));

describe({ method: "get", path: "/api/schools/{id}", summary: "One school (404 when outside the scope)", roles: ["bureau", "township", "school"] });
schoolRoutes.get("/schools/:id", async (c) => {
  const id = c.req.param("id");
  if (!schools.SchoolId.safeParse(id).success) throw AppError.notFound("school");
  return c.json({ school: await requireSchool(c.var.staff, id) });
});
