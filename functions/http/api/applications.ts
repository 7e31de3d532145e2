/** Applications (三级审核): create, list, one with its audit trail, review actions at the token's level. */
import { Hono } from "hono";
import * as staffApps from "../../../core/staff/applications.js";
import { canSeeSchool, visibleSchools } from "../../../core/staff/index.js";
import { applicationView } from "../../../core/staff/views.js";
import { describe } from "./openapi.js";
import { jsonBody, queryOf } from "./validate.js";

export const applicationRoutes = new Hono();
const all = ["bureau", "township", "school"] as const;

describe({
  method: "post",
  path: "/api/applications",
  summary: "Create an application (amount in yuan; one per student, programme and term — a repeat returns the existing one)",
  roles: all,
  body: staffApps.CreateApplication,
  ok: { status: 201, description: "{ application, created }" },
});
applicationRoutes.post("/applications", async (c) => {
  const input = await jsonBody(c, staffApps.CreateApplication);
  const { application, created } = await staffApps.createApplication(c.var.staff, input);
  return c.json({ application: applicationView(application), created }, created ? 201 : 200);
});

describe({ method: "get", path: "/api/applications", summary: "Applications of a programme and term in scope, optionally one stage or school", roles: all, query: staffApps.ListApplications });
applicationRoutes.get("/applications", async (c) => {
  const q = queryOf(c, staffApps.ListApplications);
  const visible = new Map((await visibleSchools(c.var.staff)).map((s) => [s.id, s] as const));
  const items = await staffApps.listApplications(c.var.staff, q, (id) => {
    const s = visible.get(id);
    return s !== undefined && canSeeSchool(c.var.staff, s);
  });
  return c.json({ items: items.map(applicationView) });
});

describe({ method: "get", path: "/api/applications/{id}", summary: "One application with its audit trail (who, when, from, to, why)", roles: all });
applicationRoutes.get("/applications/:id", async (c) => {
  const { application, trail } = await staffApps.applicationWithTrail(c.var.staff, c.req.param("id"));
  return c.json({ application: applicationView(application), trail });
});

/**
 * The review actions, one route each (clear for people), plus one generic route (for scripts). Each body carries
 * `from`, the stage the officer saw; if the application has moved since, the answer is 409 `stage_changed`.
 */
const actions = [
  { path: "approve", action: "approve", body: staffApps.ApproveBody, roles: all, summary: "Approve at the token's level, from the stage the officer saw (`from`; 409 stage_changed if it moved meanwhile): submitted → 学校; → 乡镇, or 县级 for 县直 schools; 乡镇 → 县级; 公示中 → 公示无异议" },
  { path: "reject", action: "reject", body: staffApps.RejectBody, roles: all, summary: "Reject with a reason (the family sees it and how to object)" },
  { path: "objections", action: "object", body: staffApps.ObjectionBody, roles: all, summary: "Record an objection raised during 公示 (reason required)" },
  { path: "objections/resolve", action: "resolve_objection", body: staffApps.ResolveBody, roles: ["bureau"] as const, summary: "Resolve an objection: result approved (it does not hold) or rejected (it holds), with a reason" },
] as const;

for (const a of actions) {
  describe({ method: "post", path: `/api/applications/{id}/${a.path}`, summary: a.summary, roles: a.roles, body: a.body });
  applicationRoutes.post(`/applications/:id/${a.path}`, async (c) => {
    const body = await jsonBody(c, a.body);
    const action = staffApps.ReviewAction.parse({ ...body, action: a.action });
    return c.json({ application: applicationView(await staffApps.review(c.var.staff, c.req.param("id"), action)) });
  });
}

describe({ method: "post", path: "/api/applications/{id}/transitions", summary: "Any review action, by name ({ action: approve | reject | object | resolve_objection | move, … })", roles: all, body: staffApps.ReviewAction });
applicationRoutes.post("/applications/:id/transitions", async (c) => {
  const action = await jsonBody(c, staffApps.ReviewAction);
  return c.json({ application: applicationView(await staffApps.review(c.var.staff, c.req.param("id"), action)) });
});
