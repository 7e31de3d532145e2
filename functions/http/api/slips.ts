/**
 * Binding slips (core/staff/binding-slips.ts): print one class's slips with fresh one-time codes; the previous
 * print's codes stop working. The console lays them out for paper with the Official Account's QR code.
 */
import { Hono } from "hono";
import { z } from "zod";
import { printClass, SlipRequest } from "../../../core/staff/binding-slips.js";
import { Entry } from "../../../core/tenants/index.js";
import { ROLES, staffRoute } from "./contract.js";

export const slipRoutes = new Hono();

const SlipSheet = z.object({
  slips: z.array(
    z.object({
      studentName: z.string(),
      schoolName: z.string(),
      grade: z.string().describe("as stored: 五年级, 七年级, 高一, 大班 …"),
      class: z.string().describe("as stored: 2班 …"),
      code: z.string().describe("the one-time code grouped 1234 5678 9012"),
      expiresAt: z.string(),
    }),
  ),
  follow: z.object({
    accountName: z.string(),
    kind: Entry.shape.kind.describe("official_account: the county's follow link; web_chat: the county's web chat"),
    url: z.string().describe("what the QR code opens: the county's own Official Account or its own web chat"),
    hotline: z.string(),
  }),
});

staffRoute(
  slipRoutes,
  {
    method: "post",
    path: "/api/binding-slips",
    summary:
      "Print a class's binding slips: one fresh 12-digit code per student (14 days, one use); each student's code from the previous print stops working unless already used. Slips carry name, school, grade and class — no ID number, 学籍号 or phone.",
    roles: ROLES,
    scope: "tenant",
    request: { body: SlipRequest },
    responses: { 201: { description: "the slips", schema: SlipSheet } },
    errors: {
      400: "这个班没有学生（empty_class），或一次超过 120 张（class_too_large）",
      404: "学校不存在或不在管辖范围",
    },
  },
  // The web chat link is built on the address the staff reached this deployment at (the console is served here too).
  async (c) => c.json(await printClass(c.var.staff, c.req.valid("json"), new URL(c.req.url).origin), 201),
);
