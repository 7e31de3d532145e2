/**
 * Handoff requests (families asking for a person): the list (masked, newest first) and the inbox that answers
 * them — open requests crisis first, claim, read the conversation, reply on the family's channel, template nudge
 * outside WeChat's 48-hour window, close with a note (core/actions/handoffs.ts). Each token sees its own schools'
 * families; requests from families with no bound child are the bureau's.
 */
import { Hono } from "hono";
import { z } from "zod";
import * as handoffs from "../../../core/families/handoffs.js";
import * as inbox from "../../../core/actions/handoffs.js";
import { canSeeSchool, visibleSchools } from "../../../core/staff/index.js";
import { ROLES, staffRoute } from "./contract.js";
import { HandoffInfo, Page } from "./views.js";

export const handoffRoutes = new Hono();

staffRoute(
  handoffRoutes,
  {
    method: "get",
    path: "/api/handoffs",
    summary: "Handoff requests, newest first (text with personal numbers removed, children masked)",
    roles: ROLES,
    scope: "tenant",
    description:
      "Requests from users with no bound child are listed for bureau tokens only. A page may hold fewer items than the page size; follow the cursor.",
    request: { query: z.object({ cursor: z.string().optional() }) },
    responses: { 200: { description: "a page of requests", schema: Page(HandoffInfo) } },
  },
  async (c) => {
    const me = c.var.staff;
    const { cursor } = c.req.valid("query");
    const page = await handoffs.list(me.tenant, cursor);
    const visible = new Map((await visibleSchools(me)).map((s) => [s.id, s] as const));
    const sees = (schoolId: string) => {
      const s = visible.get(schoolId);
      return s !== undefined && canSeeSchool(me, s);
    };
    const items = page.items
      .filter((h) => me.role === "bureau" || h.children.some((k) => sees(k.schoolId)))
      // A school sees only its own children among a family's several.
      .map((h) => (me.role === "bureau" ? h : { ...h, children: h.children.filter((k) => sees(k.schoolId)) }));
    return c.json({ items, cursor: page.cursor });
  },
);

const Flags = z.object({
  waitingMinutes: z.number().describe("minutes since the request"),
  overdue: z.boolean().describe("unclaimed for HANDOFF_OVERDUE_MINUTES or longer"),
  escalated: z.boolean().describe("unclaimed for twice that: the county centre's to follow"),
  windowUntil: z.string().optional().describe("WeChat: when the 48-hour customer-service window closes"),
  windowOpen: z.boolean().describe("whether a reply can go out now (always for web chat)"),
});
const InboxEntry = HandoffInfo.omit({ thread: true }).extend(Flags.shape);
const Detail = HandoffInfo.extend(Flags.shape);
const id = { id: "求助编号 hnd_…" };

staffRoute(
  handoffRoutes,
  {
    method: "get",
    path: "/api/handoffs/inbox",
    summary: "Open and claimed requests the caller may see: crisis first, then escalated, overdue, longest waiting",
    roles: ROLES,
    scope: "tenant",
    responses: {
      200: {
        description: "the inbox",
        schema: z.object({
          items: z.array(InboxEntry),
          overdueMinutes: z.number(),
          counts: z.object({
            open: z.number(),
            claimed: z.number(),
            overdue: z.number(),
            escalated: z.number(),
            crisis: z.number(),
          }),
        }),
      },
    },
  },
  async (c) => c.json(await inbox.openInbox(c.var.staff)),
);

staffRoute(
  handoffRoutes,
  {
    method: "get",
    path: "/api/handoffs/{id}",
    summary: "One request with its conversation since it was made (phones, ID numbers, 学籍号, accounts masked)",
    roles: ROLES,
    scope: "tenant",
    request: { params: id },
    responses: { 200: { description: "the request", schema: Detail } },
  },
  async (c) => c.json(await inbox.detail(c.var.staff, c.req.param("id")!)),
);

staffRoute(
  handoffRoutes,
  {
    method: "post",
    path: "/api/handoffs/{id}/claim",
    summary:
      "Take the request under your own console account (audited); while you own it the bot stays quiet for that family",
    roles: ROLES,
    scope: "tenant",
    request: { params: id },
    responses: { 200: { description: "the request, claimed", schema: Detail } },
    errors: { 403: "接口令牌不能认领（named_account_only）", 409: "已被认领或已结束" },
  },
  async (c) => c.json(await inbox.claim(c.var.staff, c.req.param("id")!)),
);

const ReplyBody = z.object({ text: z.string().trim().min(1, "请填写回复内容").max(500, "回复最多 500 字") });

staffRoute(
  handoffRoutes,
  {
    method: "post",
    path: "/api/handoffs/{id}/reply",
    summary:
      "Answer the family (owner only; audited): WeChat customer-service message inside the 48-hour window, web chat inbox; outside the window the reply waits for the family's next message (delivery: pending)",
    roles: ROLES,
    scope: "tenant",
    request: { params: id, body: ReplyBody },
    responses: {
      200: {
        description: "how it went out",
        schema: z.object({ delivery: z.enum(["wechat", "web", "pending", "duplicate"]), message: z.string() }),
      },
    },
    errors: { 409: "未认领、由别人负责、已结束，或家长已取消关注", 503: "微信暂时发不出去" },
  },
  async (c) => c.json(await inbox.reply(c.var.staff, c.req.param("id")!, c.req.valid("json").text)),
);

staffRoute(
  handoffRoutes,
  {
    method: "post",
    path: "/api/handoffs/{id}/nudge",
    summary: "WeChat, outside the window: a template notice asking the family to open the chat (owner only; audited)",
    roles: ROLES,
    scope: "tenant",
    request: { params: id },
    responses: { 200: { description: "sent", schema: z.object({ sent: z.literal(true) }) } },
    errors: { 409: "不是微信用户、没有模板或发送失败" },
  },
  async (c) => c.json(await inbox.nudge(c.var.staff, c.req.param("id")!)),
);

const CloseBody = z.object({ note: z.string().trim().min(1, "请写一句处理结果").max(300, "处理说明最多 300 字") });

staffRoute(
  handoffRoutes,
  {
    method: "post",
    path: "/api/handoffs/{id}/close",
    summary:
      "Close with a note (the owner, or the bureau; audited): off the inbox, and the bot answers the family again",
    roles: ROLES,
    scope: "tenant",
    request: { params: id, body: CloseBody },
    responses: { 200: { description: "the request, closed", schema: Detail } },
  },
  async (c) => c.json(await inbox.close(c.var.staff, c.req.param("id")!, c.req.valid("json").note)),
);
