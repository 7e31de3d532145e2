/**
 * Binding slips (core/staff/binding-slips.ts): print one class's slips with fresh one-time codes; the previous
 * print's codes stop working. The console lays them out for paper with the Official Account's QR code.
 */
import { Hono } from "hono";
import { printClass, SlipRequest } from "../../../core/staff/binding-slips.js";
import { describe } from "./openapi.js";
import { jsonBody } from "./validate.js";

export const slipRoutes = new Hono();

describe({
  method: "post",
  path: "/api/binding-slips",
  summary:
    "Print a class's binding slips: one fresh 12-digit code per student (14 days, one use); each student's code from the previous print stops working unless already used. Slips carry name, school, grade and class — no ID number, 学籍号 or phone. 400 empty_class when the class has no students.",
  roles: ["bureau", "township", "school"],
  body: SlipRequest,
  ok: { status: 201, description: "{ slips: [{ studentName, schoolName, grade, class, code, expiresAt }], follow: { accountName, url?, hotline } }" },
});
slipRoutes.post("/binding-slips", async (c) => c.json(await printClass(c.var.staff, await jsonBody(c, SlipRequest)), 201));
