/** Applications (三级审核): create, list, one with its audit trail, review actions at the token's level. */
import { Hono } from "hono";
import { z } from "zod";
import { resolveObjection } from "../../../core/actions/objections.js";
import * as staffApps from "../../../core/staff/applications.js";
import { canSeeSchool, visibleSchools, type Staff } from "../../../core/staff/index.js";
import { applicationView } from "../../../core/staff/views.js";
import { ROLES, staffRoute, type StaffRole } from "./contract.js";
import { Application, ApplicationView, AuditRecord, Items } from "./views.js";

export const applicationRoutes = new Hono();
const appId = { id: "申请编号 app_…" };
const moved = {
  409: "申请已不在 from 所说的阶段（stage_changed），或这一步要走公示/发放（needs_publicity、needs_payment）",
};

staffRoute(
  applicationRoutes,
  {
    method: "post",
    path: "/api/applications",
    summary:
      "Create an application (amount in yuan; one per student, programme and term — a repeat returns the existing one)",
    roles: ROLES,
    scope: "tenant",
    request: { body: staffApps.CreateApplication },
    responses: {
      201: { description: "created", schema: Application.extend({ created: z.literal(true) }) },
      200: {
        description: "it existed already: the existing one",
        schema: Application.extend({ created: z.literal(false) }),
      },
    },
  },
  async (c) => {
    const { application, created } = await staffApps.createApplication(c.var.staff, c.req.valid("json"));
    return c.json({ application: applicationView(application), created }, created ? 201 : 200);
  },
);

staffRoute(
  applicationRoutes,
  {
    method: "get",
    path: "/api/programmes",
    summary:
      "The programmes the caller's schools can enter (by each school's kind: a 小学 gets no 普通高中 / 中职 programme); with studentId, those that fit that student's school and grade, with standard amounts",
    roles: ROLES,
    scope: "tenant",
    request: { query: z.object({ studentId: z.string().optional().describe("学生编号 stu_…（可选）") }) },
    responses: { 200: { description: "the programmes", schema: Items(staffApps.ProgrammeOption) } },
  },
  async (c) => c.json({ items: await staffApps.programmeOptions(c.var.staff, c.req.valid("query").studentId) }),
);

staffRoute(
  applicationRoutes,
  {
    method: "get",
    path: "/api/applications",
    summary: "Applications of a programme and term in scope, optionally one stage or school",
    roles: ROLES,
    scope: "tenant",
    request: { query: staffApps.ListApplications },
    responses: { 200: { description: "the applications", schema: Items(ApplicationView) } },
  },
  async (c) => {
    const visible = new Map((await visibleSchools(c.var.staff)).map((s) => [s.id, s] as const));
    const items = await staffApps.listApplications(c.var.staff, c.req.valid("query"), (id) => {
      const s = visible.get(id);
      return s !== undefined && canSeeSchool(c.var.staff, s);
    });
    return c.json({ items: items.map(applicationView) });
  },
);

staffRoute(
  applicationRoutes,
  {
    method: "get",
    path: "/api/applications/{id}",
    summary: "One application with its audit trail (who, when, from, to, why)",
    roles: ROLES,
    scope: "tenant",
    request: { params: appId },
    responses: {
      200: {
        description: "the application and its trail",
        schema: Application.extend({ trail: z.array(AuditRecord) }),
      },
    },
  },
  async (c) => {
    const { application, trail } = await staffApps.applicationWithTrail(c.var.staff, c.req.param("id")!);
    return c.json({ application: applicationView(application), trail });
  },
);

/**
 * The review actions, one route each (clear for people), plus one generic route (for scripts). Each body carries
 * `from`, the stage the officer saw; if the application has moved since, the answer is 409 `stage_changed`.
 */
const actions: { path: string; action: string; body: z.ZodObject; roles: readonly StaffRole[]; summary: string }[] = [
  {
    path: "approve",
    action: "approve",
    body: staffApps.ApproveBody,
    roles: ROLES,
    summary:
      "Approve at the token's level, from the stage the officer saw (`from`; 409 stage_changed if it moved meanwhile): submitted → 学校; → 乡镇, or 县级 for 县直 schools; 乡镇 → 县级; 公示中 → 公示无异议",
  },
  {
    path: "reject",
    action: "reject",
    body: staffApps.RejectBody,
    roles: ROLES,
    summary: "Reject with a reason (the family sees it and how to object)",
  },
  {
    path: "objections",
    action: "object",
    body: staffApps.ObjectionBody,
    roles: ROLES,
    summary: "Record an objection raised during 公示 (reason required)",
  },
  {
    path: "objections/resolve",
    action: "resolve_objection",
    body: staffApps.ResolveBody,
    roles: ["bureau"],
    summary:
      "Resolve an objection: result approved (it does not hold) or rejected (it holds), with a reason; each bound guardian of the student is told once, privately (noticeId: GET /api/events/{id}/deliveries)",
  },
];

const Resolved = Application.extend({
  noticeId: z.string().optional().describe("告诉家长复核结果的通知（GET /api/events/{id}/deliveries 查看送达情况）"),
});

/** A review step: the resolve of an objection also tells the family (core/actions/objections.ts). */
async function act(staff: Staff, id: string, action: staffApps.ReviewAction) {
  if (action.action === "resolve_objection") {
    const { application, noticeId } = await resolveObjection(staff, id, action);
    return { application: applicationView(application), noticeId };
  }
  return { application: applicationView(await staffApps.review(staff, id, action)) };
}

for (const a of actions) {
  staffRoute(
    applicationRoutes,
    {
      method: "post",
      path: `/api/applications/{id}/${a.path}`,
      summary: a.summary,
      roles: a.roles,
      scope: "tenant",
      request: { params: appId, body: a.body },
      responses: { 200: { description: "the application after the step", schema: Resolved } },
      errors: moved,
    },
    async (c) => {
      const action = staffApps.ReviewAction.parse({ ...(c.req.valid("json") as object), action: a.action });
      return c.json(await act(c.var.staff, c.req.param("id")!, action));
    },
  );
}

staffRoute(
  applicationRoutes,
  {
    method: "post",
    path: "/api/applications/{id}/transitions",
    summary: "Any review action, by name ({ action: approve | reject | object | resolve_objection | move, … })",
    roles: ROLES,
    scope: "tenant",
    request: { params: appId, body: staffApps.ReviewAction },
    responses: { 200: { description: "the application after the step", schema: Resolved } },
    errors: moved,
  },
  async (c) => c.json(await act(c.var.staff, c.req.param("id")!, c.req.valid("json"))),
);
