/**
 * Staff routes of the "a staff action goes out to families" story: 公示 lists, payment batches, school broadcasts,
 * and the delivery report of any of them. Each validates, calls one verb in core/notifications, maps the result.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../../core/errors.js";
import { BroadcastInput, PublishListInput, closeList, createBroadcast, importPayments, publishList } from "../../../core/actions/index.js";
import { deliveries } from "../../../core/notifications/index.js";
import { Audience } from "../../../core/notifications/events.js";
import { AudienceOptions, BroadcastSummary, RecipientCount, audienceOptions, broadcastHistory, recipientCount } from "../../../core/actions/compose.js";
import { FollowUpLine, followUp, followUpWorkbook, markTold } from "../../../core/actions/follow-up.js";
import { describe } from "./openapi.js";
import { MAX_BODY_BYTES, jsonBody, parseJsonText, queryOf } from "./validate.js";

const CsvJson = z.object({ csv: z.string().min(1) });

/** A CSV upload as raw bytes (text/csv, any encoding Excel writes) or JSON {"csv": "…"}. */
async function uploadBody(c: { req: { header(name: string): string | undefined; arrayBuffer(): Promise<ArrayBuffer> } }): Promise<Uint8Array | string> {
  if (Number(c.req.header("content-length") ?? "0") > MAX_BODY_BYTES) throw AppError.validation("body_too_large", "the file is larger than 5 MB");
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > MAX_BODY_BYTES) throw AppError.validation("body_too_large", "the file is larger than 5 MB");
  if ((c.req.header("content-type") ?? "").includes("json")) return CsvJson.parse(parseJsonText(new TextDecoder().decode(bytes))).csv;
  return bytes;
}

describe({
  method: "post",
  path: "/api/lists",
  summary: "Publish a 公示 list",
  roles: ["bureau"],
  description:
    "Moves the listed applications that are county_approved to publicizing (audited) and notifies each bound guardian privately about their own child. Others are reported per id in `refused`. Re-sending the same list is safe: it answers 200 with the same list.",
  body: PublishListInput,
  ok: { status: 201, description: "{ list, moved, refused: [{ applicationId, code, message }] }" },
});
describe({
  method: "post",
  path: "/api/lists/{id}/close",
  summary: "Close a 公示 list after its period",
  roles: ["bureau"],
  description: "Applications still publicizing (no objection) move to approved, audited. 409 before the period's last day has passed.",
  ok: { status: 200, description: "{ list, approved, objected: [applicationId], other }" },
});
describe({
  method: "post",
  path: "/api/payments",
  summary: "Import a payment batch (disbursement CSV)",
  roles: ["bureau"],
  description:
    "Header row then one row per payment: batch_id, student_no (学籍号), programme, term, amount (yuan), paid_date, account_last4. Validated as a whole: any bad line → 400 listing every bad line with its number and nothing applied. A good file moves applications approved → paid and sends confirmations. The same batch again → 200 with duplicate: true, nothing changed or sent; the same batch id with other content → 409.",
  body: CsvJson,
  bodyAlso: { "text/csv": "the CSV file itself (UTF-8 or GB18030)", "application/octet-stream": "the bank's file itself: .xlsx (first sheet) or CSV" },
  ok: { status: 201, description: "{ batchId, eventId, rows, totalFen, duplicate }" },
});
describe({
  method: "post",
  path: "/api/broadcasts",
  summary: "Send a notice to a school, grade or class",
  roles: ["bureau", "township", "school"],
  description:
    "Within the token's scope (another school answers 404). Non-urgent notices wait out quiet hours; sendAt schedules it. Families who sent 退订 are skipped. Send an Idempotency-Key header to make retries safe.",
  body: BroadcastInput,
  ok: { status: 201, description: "{ broadcast: { id, status, audience, urgent, sendAt } }" },
});
describe({
  method: "get",
  path: "/api/events/{id}/deliveries",
  summary: "Delivery report of a list, payment batch or broadcast",
  roles: ["bureau", "township", "school"],
  description: "Counts per state and the students no guardian was reached for (masked name, school, class), for follow-up in person.",
  ok: { status: 200, description: "{ event, students, counts, unreached: { total, students } }" },
});

describe({
  method: "get",
  path: "/api/broadcasts/audience",
  summary: "Schools, grades and classes that exist in the caller's scope, for picking a broadcast's audience",
  roles: ["bureau", "township", "school"],
  description: "Grades and classes as the students were imported (一年级 / 1班 …), with student counts; also the WeChat templates the tenant lacks for broadcasts and the quiet hours.",
  query: z.object({ schoolId: z.string().optional() }),
  ok: { status: 200, description: "the options", schema: AudienceOptions },
});
describe({
  method: "post",
  path: "/api/broadcasts/count",
  summary: "How many students a broadcast audience reaches, before sending",
  roles: ["bureau", "township", "school"],
  description: "Per student: reachable by WeChat, by web chat only, not linked, or every guardian sent 退订. Nothing is sent.",
  body: z.object({ audience: Audience }),
  ok: { status: 200, description: "the count", schema: RecipientCount },
});
describe({
  method: "get",
  path: "/api/broadcasts",
  summary: "Broadcasts sent in the caller's scope, newest first, with their final counts",
  roles: ["bureau", "township", "school"],
  ok: { status: 200, description: "{ items }", schema: z.object({ items: z.array(BroadcastSummary) }) },
});

describe({
  method: "get",
  path: "/api/events/{id}/follow-up",
  summary: "Unreached students of an event for follow-up in person",
  roles: ["bureau", "township", "school"],
  description: "Reason in plain Chinese (家长未绑定 / 已取消关注 / 发送失败 / 家长已退订学校通知), class, and — for the student's own school only — the full name and the guardians' names and phones (each student shown is audited). Whether the family was told in person.",
  ok: { status: 200, description: "the list", schema: z.object({ total: z.number(), lines: z.array(FollowUpLine) }) },
});
describe({
  method: "post",
  path: "/api/events/{id}/follow-up/{studentId}/told",
  summary: "Mark an unreached student's family as told in person (the student's own school; audited)",
  roles: ["school"],
  body: z.object({ note: z.string().max(100).optional() }),
  ok: { status: 200, description: "{ told: { at, by } }", schema: z.object({ told: z.object({ at: z.string(), by: z.string() }) }) },
});
describe({ method: "get", path: "/api/events/{id}/follow-up.xlsx", summary: "The follow-up list as an Excel file (cells that Excel would run as formulas are neutralised)", roles: ["bureau", "township", "school"] });

export const notificationRoutes = new Hono()
  .get("/events/:id/follow-up", async (c) => {
    const out = await followUp(c.var.staff, c.req.param("id"));
    return c.json({ total: out.total, lines: out.lines });
  })
  .get("/events/:id/follow-up.xlsx", async (c) => {
    const bytes = await followUpWorkbook(c.var.staff, c.req.param("id"));
    return c.body(bytes as unknown as ArrayBuffer, 200, {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="follow-up.xlsx"; filename*=UTF-8''${encodeURIComponent("未送达名单.xlsx")}`,
    });
  })
  .post("/events/:id/follow-up/:studentId/told", async (c) => {
    const body = await jsonBody(c, z.object({ note: z.string().trim().max(100).optional() }));
    return c.json({ told: await markTold(c.var.staff, c.req.param("id"), c.req.param("studentId"), body.note) });
  })
  .get("/broadcasts/audience", async (c) => c.json(await audienceOptions(c.var.staff, queryOf(c, z.object({ schoolId: z.string().optional() })).schoolId)))
  .post("/broadcasts/count", async (c) => c.json(await recipientCount(c.var.staff, (await jsonBody(c, z.object({ audience: Audience }))).audience)))
  .get("/broadcasts", async (c) => c.json({ items: await broadcastHistory(c.var.staff) }))
  .post("/lists", async (c) => {
    const out = await publishList(c.var.staff, await jsonBody(c, PublishListInput));
    return c.json(out, out.created ? 201 : 200);
  })
  .post("/lists/:id/close", async (c) => c.json(await closeList(c.var.staff, c.req.param("id"))))
  .post("/payments", async (c) => {
    const out = await importPayments(c.var.staff, await uploadBody(c));
    return c.json(out, out.duplicate ? 200 : 201);
  })
  .post("/broadcasts", async (c) => {
    const out = await createBroadcast(c.var.staff, await jsonBody(c, BroadcastInput), c.req.header("idempotency-key"));
    return c.json({ broadcast: out.broadcast }, out.created ? 201 : 200);
  })
  .get("/events/:id/deliveries", async (c) => c.json(await deliveries(c.var.staff, c.req.param("id"))));
