/**
 * The handoff inbox: staff see the families' open requests for a person (crisis first), claim one under their own
 * named account, read the conversation (masked), answer, and close it with a note. The answer reaches the family
 * on their channel: WeChat by customer-service message while WeChat's 48-hour window since the family's last
 * message is open (outside it the answer waits for their next message and staff may send a template nudge or
 * call); web chat through the inbox (pattern 22). Every claim, reply, nudge and close is audited.
 *
 * Scope: a school sees requests of families with a child in its school, a township its schools', the bureau all
 * (requests from users with no bound child go to the bureau — the county centre). A request waiting unclaimed
 * longer than HANDOFF_OVERDUE_MINUTES is overdue; twice that, escalated (the bureau's view shows it too).
 */
import { randomBytes } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "../config.js";
import { ddb, tableName } from "../db/client.js";
import { AppError } from "../errors.js";
import { auditPut } from "../audit/index.js";
import * as handoffs from "../families/handoffs.js";
import type { HandoffInfo, Ticket } from "../families/handoffs.js";
import * as inbox from "../channels/web/inbox.js";
import { wechatApi, WechatApiError } from "../channels/wechat/api.js";
import { templateField } from "../notifications/render.js";
import { localDate } from "../notifications/clock.js";
import * as tenants from "../tenants/index.js";
import { actorOf, canSeeSchool, visibleSchools, type Staff } from "../staff/index.js";
import { handoffText } from "../../prompts/handoff.js";
import { notices } from "../../prompts/notifications.js";

/** WeChat lets an account send customer-service messages this long after the user's last message. */
export const WINDOW_MS = 48 * 3600 * 1000;

export interface Flags {
  /** Minutes since the request (unclaimed) or since it was claimed. */
  waitingMinutes: number;
  overdue: boolean;
  escalated: boolean;
  /** WeChat only: when the customer-service window closes (ISO), or that it has. */
  windowUntil?: string;
  windowOpen: boolean;
}
export type InboxEntry = Omit<HandoffInfo, "thread"> & Flags;
export type Detail = HandoffInfo & Flags;

function flags(h: HandoffInfo, now: number): Flags {
  const n = config().handoffOverdueMinutes;
  const waitingMinutes = Math.max(0, Math.floor((now - Date.parse(h.at)) / 60_000));
  const unclaimed = h.status === "open";
  const last = Date.parse(h.lastParentAt ?? h.at);
  const wechat = h.channel === "wechat";
  return {
    waitingMinutes,
    overdue: unclaimed && waitingMinutes >= n,
    escalated: unclaimed && waitingMinutes >= 2 * n,
    ...(wechat ? { windowUntil: new Date(last + WINDOW_MS).toISOString() } : {}),
    windowOpen: !wechat || now < last + WINDOW_MS,
  };
}

async function visibility(staff: Staff): Promise<(h: HandoffInfo) => HandoffInfo | undefined> {
  if (staff.role === "bureau") return (h) => h;
  const visible = new Map((await visibleSchools(staff)).map((s) => [s.id, s] as const));
  const sees = (schoolId: string) => {
    const s = visible.get(schoolId);
    return s !== undefined && canSeeSchool(staff, s);
  };
  // A school sees only its own children among a family's several.
  return (h) =>
    h.children.some((k) => sees(k.schoolId))
      ? { ...h, children: h.children.filter((k) => sees(k.schoolId)) }
      : undefined;
}

/** The open and claimed requests the caller may see: crisis first, then the overdue, then the longest waiting. */
export async function openInbox(staff: Staff, now = Date.now()) {
  const see = await visibility(staff);
  const items: InboxEntry[] = [];
  for (const h of await handoffs.listOpen(staff.tenant)) {
    const v = see(h);
    if (!v) continue;
    const { thread: _t, ...rest } = v;
    items.push({ ...rest, ...flags(v, now) });
  }
  const rank = (e: InboxEntry) => (e.crisis ? 0 : e.escalated ? 1 : e.overdue ? 2 : 3);
  items.sort((a, b) => rank(a) - rank(b) || a.at.localeCompare(b.at));
  return {
    items,
    overdueMinutes: config().handoffOverdueMinutes,
    counts: {
      open: items.filter((i) => i.status === "open").length,
      claimed: items.filter((i) => i.status === "claimed").length,
      overdue: items.filter((i) => i.overdue).length,
      escalated: items.filter((i) => i.escalated).length,
      crisis: items.filter((i) => i.crisis).length,
    },
  };
}

/** A request in the caller's scope; another school's answers exactly like a missing one. */
async function ticketInScope(staff: Staff, id: string): Promise<{ t: Ticket; info: HandoffInfo }> {
  const t = await handoffs.byId(staff.tenant, id);
  const info = t ? (await visibility(staff))(t.info) : undefined;
  if (!t || !info) throw AppError.notFound("handoff");
  return { t, info };
}

export async function detail(staff: Staff, id: string, now = Date.now()): Promise<Detail> {
  const { info } = await ticketInScope(staff, id);
  return { ...info, ...flags(info, now) };
}

function audit(staff: Staff, id: string, action: string, reason: string) {
  return ddb().send(
    new PutCommand(auditPut(tableName(), staff.tenant, { entityId: id, actor: actorOf(staff), action, reason }).Put),
  );
}

function ownerOf(staff: Staff) {
  return { id: staff.tokenId, name: (staff.person ?? staff.tokenId).slice(0, 60) };
}

/** The caller takes the request: only a named console account can own one (a token is no person to answer). */
export async function claim(staff: Staff, id: string): Promise<Detail> {
  if (!staff.username)
    throw AppError.forbidden("named_account_only", "认领需要用个人账号登录管理台（接口令牌不能认领）");
  const { t, info } = await ticketInScope(staff, id);
  if (info.status === "closed") throw AppError.conflict("handoff_closed", "这条求助已结束");
  if (info.status === "claimed") {
    if (info.owner?.id === staff.tokenId) return detail(staff, id);
    throw AppError.conflict("handoff_taken", `这条求助已由${info.owner?.name ?? "其他老师"}认领`);
  }
  const owner = ownerOf(staff);
  if (!(await handoffs.claim(staff.tenant, t, owner, new Date().toISOString())))
    throw AppError.conflict("handoff_taken", "这条求助刚被其他老师认领或已结束，请刷新");
  await audit(staff, id, "handoff_claimed", "认领家长求助");
  return detail(staff, id);
}

function mustOwn(staff: Staff, info: HandoffInfo) {
  if (info.status === "closed") throw AppError.conflict("handoff_closed", "这条求助已结束");
  if (info.status !== "claimed") throw AppError.conflict("handoff_not_claimed", "请先认领这条求助再回复");
  if (info.owner?.id !== staff.tokenId)
    throw AppError.conflict("handoff_taken", `这条求助由${info.owner?.name ?? "其他老师"}负责，只有认领人可以回复`);
}

export interface ReplyResult {
  /**
   * wechat: sent as a customer-service message; web: in the web chat's inbox; pending: waits for the family's next
   * message; duplicate: the same words were sent a moment ago (a double click or a retry) and nothing went out again.
   */
  delivery: "wechat" | "web" | "pending" | "duplicate";
  message: string;
}

/** A reply to the family, on their channel. */
export async function reply(staff: Staff, id: string, text: string, now = Date.now()): Promise<ReplyResult> {
  const { t, info } = await ticketInScope(staff, id);
  mustOwn(staff, info);
  const owner = info.owner!.name;
  const words = handoffText.staffReply(owner, text);
  const at = new Date(now).toISOString();
  if (!(await handoffs.claimReply(t.key, text, now))) {
    return { delivery: "duplicate", message: handoffText.alreadySent() };
  }
  try {
    return await sendReply(staff, id, t, info, owner, text, words, at, now);
  } catch (e) {
    await handoffs.releaseReply(t.key, text);
    throw e;
  }
}

async function sendReply(
  staff: Staff,
  id: string,
  t: Awaited<ReturnType<typeof ticketInScope>>["t"],
  info: Awaited<ReturnType<typeof ticketInScope>>["info"],
  owner: string,
  text: string,
  words: string,
  at: string,
  now: number,
): Promise<ReplyResult> {
  let delivery: "wechat" | "web" | "pending";
  if (info.channel === "wechat") {
    const openId = t.userKey.slice("wechat:".length);
    delivery = flags(info, now).windowOpen ? "wechat" : "pending";
    if (delivery === "wechat") {
      try {
        await wechatApi(staff.tenant).sendText(openId, words);
      } catch (e) {
        if (!(e instanceof WechatApiError)) throw e;
        if (e.kind === "window") delivery = "pending";
        else if (e.kind === "permanent")
          throw AppError.conflict("wechat_unreachable", "家长已取消关注公众号或拒收消息，发不出去：请电话联系家长");
        else throw AppError.unavailable("wechat_unavailable", "微信暂时发不出去，请稍后再试", 30, e);
      }
    }
    if (delivery === "pending") await handoffs.holdForNextMessage(staff.tenant, t, words);
  } else {
    await inbox.push(staff.tenant, t.userKey, {
      id: `hmsg_${randomBytes(8).toString("hex")}`,
      eventId: id,
      kind: "reply",
      text: words,
      at,
    });
    delivery = "web";
  }
  await handoffs.appendThread(t.key, [{ at, from: "staff", text, by: owner, delivery }]);
  const how = { wechat: "微信客服消息", web: "网页聊天", pending: "待家长下次发消息时送达（微信48小时窗口已过）" }[
    delivery
  ];
  await audit(staff, id, "handoff_reply", `回复家长：${how}`);
  return {
    delivery,
    message: delivery === "pending" ? handoffText.outsideWindow() : `已发送（${how}）`,
  };
}

/** Outside the window: a template notice asking the family to open the chat (WeChat only; the broadcast template). */
export async function nudge(staff: Staff, id: string, now = Date.now()): Promise<{ sent: true }> {
  const { t, info } = await ticketInScope(staff, id);
  mustOwn(staff, info);
  if (info.channel !== "wechat") throw AppError.conflict("not_wechat", "网页聊天的家长会在下次打开对话时看到回复");
  const tenant = await tenants.fromId(staff.tenant);
  const templateId = tenant?.templates.broadcast;
  if (!tenant || !templateId)
    throw AppError.conflict("template_missing", "本县没有配置「学校通知」模板，无法发模板通知：请电话联系家长");
  const date = localDate(new Date(now), tenant.timeZone);
  const data = notices.broadcast.template({
    school: handoffText.nudgeSender(tenant.name),
    text: handoffText.nudge(),
    date,
  });
  const fields = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, { value: templateField(v) }]));
  try {
    await wechatApi(staff.tenant).sendTemplate(t.userKey.slice("wechat:".length), templateId, fields, `${id}-${date}`);
  } catch (e) {
    if (!(e instanceof WechatApiError)) throw e;
    throw AppError.conflict("wechat_unreachable", `模板通知没有发出去（微信 ${e.errcode}）：请电话联系家长`);
  }
  await audit(staff, id, "handoff_nudged", "发模板通知请家长打开对话");
  return { sent: true };
}

/** Close with a note: off the inbox; the bot answers the family again. The owner or the bureau may close. */
export async function close(staff: Staff, id: string, note: string): Promise<Detail> {
  const { t, info } = await ticketInScope(staff, id);
  if (info.status === "closed") throw AppError.conflict("handoff_closed", "这条求助已结束");
  if (info.status === "claimed" && info.owner?.id !== staff.tokenId && staff.role !== "bureau")
    throw AppError.conflict("handoff_taken", `这条求助由${info.owner?.name ?? "其他老师"}负责，只有认领人可以结束`);
  if (!(await handoffs.close(staff.tenant, t, note, new Date().toISOString())))
    throw AppError.conflict("handoff_closed", "这条求助已结束");
  await audit(staff, id, "handoff_closed", `结束家长求助：${handoffs.maskText(note)}`);
  return detail(staff, id);
}
