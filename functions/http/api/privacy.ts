/**
 * Privacy lifecycle on the staff side (docs/privacy.md): deleting a student's personal data with a reason, audited.
 * A family erases its own data from the chat (注销 → 确认注销, core/channels/erase.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import { EraseStudentInput, eraseStudent } from "../../../core/actions/erase-student.js";
import { staffRoute } from "./contract.js";

export const privacyRoutes = new Hono();

staffRoute(
  privacyRoutes,
  {
    method: "post",
    path: "/api/students/{id}/erase",
    summary:
      "Delete a student's personal data (profile, guardians, bindings) with a reason; applications and payments stay, de-identified, for audit",
    description:
      "School tokens: their own students; bureau: the county's (another school's student answers 404, the same as a missing one). The student's name, 学籍号, class, village and guardians' phones are deleted and every family bound to the child is unbound; applications, reviews and payment records keep only the student id and amounts. Audited with the reason.",
    roles: ["bureau", "school"],
    scope: "tenant",
    request: { params: { id: "学生编号 stu_…" }, body: EraseStudentInput },
    responses: { 200: { description: "what was removed", schema: z.record(z.string(), z.unknown()) } },
  },
  async (c) => c.json(await eraseStudent(c.var.staff, c.req.param("id")!, c.req.valid("json"))),
);
