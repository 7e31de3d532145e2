/**
 * Staff routes of the "a staff action goes out to families" story: 公示 lists, payment batches, school broadcasts,
 * and the delivery report of any of them. Each validates, calls one verb in core/notifications, maps the result.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  BroadcastInput,
  PublishListInput,
  closeList,
  createBroadcast,
  importPayments,
  publishList,
} from "../../../core/actions/index.js";
import { deliveries } from "../../../core/notifications/index.js";
import { Audience } from "../../../core/notifications/events.js";
import {
  AudienceOptions,
  BroadcastSummary,
  RecipientCount,
  audienceOptions,
  broadcastHistory,
  recipientCount,
} from "../../../core/actions/compose.js";
import { FollowUpLine, followUp, followUpWorkbook, markTold } from "../../../core/actions/follow-up.js";
import { ROLES, parseJsonText, staffRoute } from "./contract.js";
import { jobStatus } from "../../../core/actions/payment-jobs.js";
import {
  BroadcastView,
  CloseResult,
  DeliveryReport,
  ImportJobView,
  Items,
  PaymentResult,
  PublishResult,
} from "./views.js";

const CsvJson = z.object({ csv: z.string().min(1).describe("the CSV text") });

/** A CSV upload as raw bytes (text/csv, any encoding Excel writes) or JSON {"csv": "…"}; its size was checked by the route's body limit. */
async function uploadBody(c: {
  req: { header(name: string): string | undefined; arrayBuffer(): Promise<ArrayBuffer> };
}): Promise<Uint8Array | string> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if ((c.req.header("content-type") ?? "").includes("json"))
    return CsvJson.parse(parseJsonText(new TextDecoder().decode(bytes))).csv;
  return bytes;
}

const eventId = { id: "通知编号 evt_…（公示名单、发放批次或群发）" };
const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const Told = z.object({ note: z.string().trim().max(100).optional() });

export const notificationRoutes = new Hono();

staffRoute(
  notificationRoutes,
  {
    method: "get",
    path: "/api/events/{id}/follow-up",
    summary: "Unreached students of an event for follow-up in person",
    roles: ROLES,
    scope: "tenant",
    description:
      "Reason in plain Chinese (家长未绑定 / 已取消关注 / 发送失败 / 家长已退订学校通知), class, and — for the student's own school only — the full name and the guardians' names and phones (each student shown is audited). Whether the family was told in person.",
    request: { params: eventId },
    responses: {
      200: { description: "the list", schema: z.object({ total: z.number(), lines: z.array(FollowUpLine) }) },
    },
  },
  async (c) => {
    const out = await followUp(c.var.staff, c.req.param("id")!);
    return c.json({ total: out.total, lines: out.lines });
  },
);

staffRoute(
  notificationRoutes,
  {
    method: "get",
    path: "/api/events/{id}/follow-up.xlsx",
    summary: "The follow-up list as an Excel file (cells that Excel would run as formulas are neutralised)",
    roles: ROLES,
    scope: "tenant",
    request: { params: eventId },
    responses: { 200: { description: "未送达名单.xlsx", file: xlsx } },
  },
  async (c) => {
    const bytes = await followUpWorkbook(c.var.staff, c.req.param("id")!);
    return c.body(bytes as unknown as ArrayBuffer, 200, {
      "content-type": xlsx,
      "content-disposition": `attachment; filename="follow-up.xlsx"; filename*=UTF-8''${encodeURIComponent("未送达名单.xlsx")}`,
    });
  },
);

staffRoute(
  notificationRoutes,
  {
    method: "post",
    path: "/api/events/{id}/follow-up/{studentId}/told",
    summary: "Mark an unreached student's family as told in person (the student's own school; audited)",
    roles: ["school"],
    refusal: { code: "own_school_only", message: "只有学生所在学校可以登记「已当面告知」" },
    scope: "ownSchool",
    request: { params: { ...eventId, studentId: "学生编号 stu_…" }, body: Told },
    responses: {
      200: {
        description: "when and by whom",
        schema: z.object({ told: z.object({ at: z.string(), by: z.string() }) }),
      },
    },
  },
  async (c) =>
    c.json({
      told: await markTold(c.var.staff, c.req.param("id")!, c.req.param("studentId")!, c.req.valid("json").note),
    }),
);

staffRoute(
  notificationRoutes,
  {
    method: "get",
    path: "/api/broadcasts/audience",
    summary: "Schools, grades and classes that exist in the caller's scope, for picking a broadcast's audience",
    roles: ROLES,
    scope: "tenant",
    description:
      "Grades and classes as the students were imported (一年级 / 1班 …), with student counts; also the WeChat templates the tenant lacks for broadcasts and the quiet hours.",
    request: { query: z.object({ schoolId: z.string().optional() }) },
    responses: { 200: { description: "the options", schema: AudienceOptions } },
  },
  async (c) => c.json(await audienceOptions(c.var.staff, c.req.valid("query").schoolId)),
);

staffRoute(
  notificationRoutes,
  {
    method: "post",
    path: "/api/broadcasts/count",
    summary: "How many students a broadcast audience reaches, before sending",
    roles: ROLES,
    scope: "tenant",
    description:
      "Per student: reachable by WeChat, by web chat only, not linked, or every guardian sent 退订. Nothing is sent.",
    request: { body: z.object({ audience: Audience }) },
    responses: { 200: { description: "the count", schema: RecipientCount } },
  },
  async (c) => c.json(await recipientCount(c.var.staff, c.req.valid("json").audience)),
);

staffRoute(
  notificationRoutes,
  {
    method: "get",
    path: "/api/broadcasts",
    summary: "Broadcasts sent in the caller's scope, newest first, with their final counts",
    roles: ROLES,
    scope: "tenant",
    responses: { 200: { description: "the broadcasts", schema: Items(BroadcastSummary) } },
  },
  async (c) => c.json({ items: await broadcastHistory(c.var.staff) }),
);

staffRoute(
  notificationRoutes,
  {
    method: "post",
    path: "/api/lists",
    summary: "Publish a 公示 list",
    roles: ["bureau"],
    scope: "tenant",
    description:
      "Moves the listed applications that are county_approved to publicizing (audited) and notifies each bound guardian privately about their own child. Others are reported per id in `refused`. Re-sending the same list is safe: it answers 200 with the same list.",
    request: { body: PublishListInput },
    responses: {
      201: { description: "published", schema: PublishResult },
      200: { description: "the same list again: nothing changed", schema: PublishResult },
    },
  },
  async (c) => {
    const out = await publishList(c.var.staff, c.req.valid("json"));
    return c.json(out, out.created ? 201 : 200);
  },
);

staffRoute(
  notificationRoutes,
  {
    method: "post",
    path: "/api/lists/{id}/close",
    summary: "Close a 公示 list after its period",
    roles: ["bureau"],
    scope: "tenant",
    description:
      "Applications still publicizing (no objection) move to approved, audited. 409 before the period's last day has passed.",
    request: { params: { id: "公示名单编号 evt_…" } },
    responses: { 200: { description: "closed", schema: CloseResult } },
    errors: { 409: "公示期还没结束（publicity_not_over）" },
  },
  async (c) => c.json(await closeList(c.var.staff, c.req.param("id")!)),
);

staffRoute(
  notificationRoutes,
  {
    method: "post",
    path: "/api/payments",
    summary: "Import a payment batch (disbursement CSV)",
    roles: ["bureau"],
    scope: "tenant",
    description:
      "Header row then one row per payment: batch_id, student_no (学籍号), programme, term (2025-autumn), amount (yuan, at most two decimals), paid_date (YYYY-MM-DD), account_last4 (4 digits). Validated as a whole: any bad line → 400 listing every bad line with its number and nothing applied. A good file moves applications approved → paid and sends confirmations. The same batch again → 200 with duplicate: true, nothing changed or sent; the same batch id with other content → 409. A file of more than 1,000 rows → 202 with a job: the imports queue checks every row (all errors in one list, nothing applied if any) and then applies it; poll GET /api/jobs/{id}. The same long file again → the same job.",
    request: {
      body: CsvJson,
      checkedBy: "core",
      files: {
        "text/csv": "the CSV file itself (UTF-8 or GB18030)",
        "application/octet-stream": "the bank's file itself: .xlsx (first sheet) or CSV",
      },
    },
    responses: {
      201: { description: "applied", schema: PaymentResult },
      200: { description: "the same batch again: nothing changed or sent", schema: PaymentResult },
      202: {
        description: "a long file: checked and applied by a job (`job`); poll GET /api/jobs/{id}",
        schema: PaymentResult,
      },
    },
    errors: { 409: "同一批次号之前导入过不同的内容（batch_conflict）" },
  },
  async (c) => {
    const out = await importPayments(c.var.staff, await uploadBody(c));
    return c.json(out, out.job ? 202 : out.duplicate ? 200 : 201);
  },
);

staffRoute(
  notificationRoutes,
  {
    method: "get",
    path: "/api/jobs/{id}",
    summary: "Progress and result of a long file's import job",
    roles: ["bureau"],
    scope: "tenant",
    description:
      "rowsChecked / rowsDone of total while it runs; once over, state done (with rows that could not be paid, if any) or invalid (every error with its line, the first 200 and a count of the rest; nothing applied).",
    request: { params: { id: "导入任务编号 job_…" } },
    responses: { 200: { description: "the job", schema: ImportJobView } },
  },
  async (c) => c.json(await jobStatus(c.var.staff, c.req.param("id")!)),
);

staffRoute(
  notificationRoutes,
  {
    method: "post",
    path: "/api/broadcasts",
    summary: "Send a notice to a school, grade or class",
    roles: ROLES,
    scope: "tenant",
    description:
      "Within the token's scope (another school answers 404). Non-urgent notices wait out quiet hours; sendAt schedules it. Families who sent 退订 are skipped. Send an Idempotency-Key header (8–128 letters, digits or _ . : -) to make retries safe.",
    request: { body: BroadcastInput },
    responses: {
      201: { description: "accepted", schema: z.object({ broadcast: BroadcastView }) },
      200: {
        description: "the same Idempotency-Key again: the first one",
        schema: z.object({ broadcast: BroadcastView }),
      },
    },
  },
  async (c) => {
    const out = await createBroadcast(c.var.staff, c.req.valid("json"), c.req.header("idempotency-key"));
    return c.json({ broadcast: out.broadcast }, out.created ? 201 : 200);
  },
);

staffRoute(
  notificationRoutes,
  {
    method: "get",
    path: "/api/events/{id}/deliveries",
    summary: "Delivery report of a list, payment batch or broadcast",
    roles: ROLES,
    scope: "tenant",
    description:
      "Counts per state and the students no guardian was reached for (masked name, school, class), for follow-up in person.",
    request: { params: eventId },
    responses: { 200: { description: "the report", schema: DeliveryReport } },
  },
  async (c) => c.json(await deliveries(c.var.staff, c.req.param("id")!)),
);
