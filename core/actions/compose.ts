/**
 * What the console's broadcast composer needs before anything is sent: the schools, grades and classes that
 * actually exist in the caller's scope; how many students a chosen audience reaches (by WeChat, by web chat, not
 * linked); the tenant's missing WeChat templates, named as they must be created in the WeChat admin; quiet hours;
 * and the history of broadcasts sent, with their final counts.
 */
import { z } from "zod";
import * as chatusers from "../chatusers/index.js";
import { config } from "../config.js";
import { queryPage } from "../db/client.js";
import { keys } from "../db/keys.js";
import { usersOf } from "../families/bindings.js";
import { mapLimit } from "../concurrency.js";
import * as students from "../students/index.js";
import * as tenants from "../tenants/index.js";
import { requireSchool, visibleSchools, type Staff } from "../staff/index.js";
import { quietUntil } from "../notifications/clock.js";
import { Audience, EventInfo, FinalCounts, canSeeEvent } from "../notifications/events.js";
import type { TemplateKind } from "../notifications/render.js";

/** Every student's page is read once; a school is at most a few thousand students. */
const PAGE = 500;

/** What to create in the WeChat admin (公众号后台 → 广告与服务 → 模板消息) for each kind of notice; keys as prompts/notifications.ts fills them. */
export const TEMPLATE_GUIDE = {
  publicity: {
    label: "资助公示通知",
    title: "资助公示通知",
    fields: [
      ["thing1", "学生姓名"],
      ["thing2", "资助项目"],
      ["time3", "公示时间"],
      ["thing4", "异议联系方式"],
    ],
  },
  payment: {
    label: "资助金发放通知",
    title: "资助金到账通知",
    fields: [
      ["thing1", "学生姓名"],
      ["thing2", "资助项目"],
      ["amount3", "发放金额"],
      ["time4", "发放日期"],
      ["character_string5", "银行卡号"],
    ],
  },
  broadcast: {
    label: "学校通知",
    title: "学校通知",
    fields: [
      ["thing1", "学校名称"],
      ["thing2", "通知内容"],
      ["time3", "通知时间"],
    ],
  },
} as const satisfies Record<
  TemplateKind,
  { label: string; title: string; fields: readonly (readonly [string, string])[] }
>;

export const MissingTemplate = z.object({
  kind: z.enum(["publicity", "payment", "broadcast"]),
  label: z.string(),
  /** One sentence saying what to create and where to enter its id. */
  advice: z.string(),
});
export type MissingTemplate = z.infer<typeof MissingTemplate>;

/** The kinds of notice whose WeChat template id the tenant lacks: WeChat families would not get those notices. */
export function missingTemplates(
  t: Pick<tenants.TenantInfo, "templates">,
  kinds: TemplateKind[] = ["publicity", "payment", "broadcast"],
): MissingTemplate[] {
  return kinds
    .filter((k) => !t.templates[k])
    .map((k) => {
      const g = TEMPLATE_GUIDE[k];
      const fields = g.fields.map(([key, name]) => `${name}（${key}）`).join("、");
      return {
        kind: k,
        label: g.label,
        advice: `微信公众号还没有配置「${g.label}」模板：绑定微信的家长收不到这类通知（网页聊天的家长不受影响）。请在公众号后台「模板消息」中添加标题为「${g.title}」的模板，字段为 ${fields}，再把模板 ID 填到本县设置中。`,
      };
    });
}

export const QuietHours = z.object({
  /** "21:00-07:00", or null when there are no quiet hours. */
  window: z.string().nullable(),
  /** Inside the window now: a non-urgent notice waits until `until`. */
  now: z.boolean(),
  until: z.string().optional(),
});

function quietHours(timeZone: string, now: Date): z.infer<typeof QuietHours> {
  const w = config().quietHours;
  const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  const until = quietUntil(now, timeZone);
  return {
    window: w && w.startMinute !== w.endMinute ? `${hm(w.startMinute)}-${hm(w.endMinute)}` : null,
    now: until !== undefined,
    ...(until ? { until: until.toISOString() } : {}),
  };
}

export const AudienceOptions = z.object({
  schools: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      township: z.string(),
      /** Grades with their classes, as the students were imported (一年级 / 1班 …), each with its student count. */
      grades: z.array(
        z.object({
          grade: z.string(),
          students: z.number(),
          classes: z.array(z.object({ class: z.string(), students: z.number() })),
        }),
      ),
    }),
  ),
  missingTemplates: z.array(MissingTemplate),
  quietHours: QuietHours,
});

const NUMERALS = "一二三四五六七八九十";
/** 小班 < 大班 < 1 = 一年级 < 初一 (7) < 高一 (10); anything else after, by name. */
function rank(s: string): number {
  const kinder = ["小班", "中班", "大班"].findIndex((k) => s.includes(k));
  if (kinder >= 0) return kinder - 3;
  const digits = /\d+/.exec(s);
  const zh = [...s].find((c) => NUMERALS.includes(c));
  const n = digits ? Number(digits[0]) : zh ? NUMERALS.indexOf(zh) + 1 : undefined;
  if (n === undefined) return 1000;
  return n + (s.startsWith("初") ? 6 : s.startsWith("高") ? 9 : 0);
}
const byNumber = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b, "zh", { numeric: true });

async function gradesOf(tenant: string, schoolId: string) {
  const grades = new Map<string, Map<string, number>>();
  let cursor: string | undefined;
  do {
    const page = await students.bySchool(tenant, schoolId, {}, cursor, PAGE);
    for (const s of page.items) {
      const classes = grades.get(s.grade) ?? new Map<string, number>();
      classes.set(s.class, (classes.get(s.class) ?? 0) + 1);
      grades.set(s.grade, classes);
    }
    cursor = page.cursor;
  } while (cursor);
  return [...grades.entries()]
    .sort(([a], [b]) => byNumber(a, b))
    .map(([grade, classes]) => ({
      grade,
      students: [...classes.values()].reduce((x, y) => x + y, 0),
      classes: [...classes.entries()].sort(([a], [b]) => byNumber(a, b)).map(([c, n]) => ({ class: c, students: n })),
    }));
}

/** The schools in scope with their grades and classes (one school when `schoolId` is given). */
export async function audienceOptions(
  staff: Staff,
  schoolId?: string,
  now = new Date(),
): Promise<z.infer<typeof AudienceOptions>> {
  const list = schoolId ? [await requireSchool(staff, schoolId)] : await visibleSchools(staff);
  const tenant = await tenants.fromId(staff.tenant);
  const schools = await mapLimit(list, 4, async (s) => ({
    id: s.id,
    name: s.name,
    township: s.township,
    grades: await gradesOf(staff.tenant, s.id),
  }));
  return {
    schools: schools.sort((a, b) => byNumber(a.township, b.township) || byNumber(a.name, b.name)),
    missingTemplates: tenant ? missingTemplates(tenant, ["broadcast"]) : [],
    quietHours: quietHours(tenant?.timeZone ?? "Asia/Shanghai", now),
  };
}

export const RecipientCount = z.object({
  students: z.number(),
  /** Students with at least one guardian linked by WeChat and still following. */
  wechat: z.number(),
  /** Students reached only through the web chat. */
  web: z.number(),
  /** Students no guardian has linked a chat account for (or whose WeChat guardians all unfollowed). */
  notLinked: z.number(),
  /** Students whose every linked guardian sent 退订 (broadcasts skip them). */
  unsubscribed: z.number(),
  missingTemplates: z.array(MissingTemplate),
  quietHours: QuietHours,
});

/** How the audience would be reached, counted per student, without sending anything. */
export async function recipientCount(
  staff: Staff,
  raw: z.input<typeof Audience>,
  now = new Date(),
): Promise<z.infer<typeof RecipientCount>> {
  const audience = Audience.parse(raw);
  await requireSchool(staff, audience.schoolId);
  const tenant = await tenants.fromId(staff.tenant);
  const out = { students: 0, wechat: 0, web: 0, notLinked: 0, unsubscribed: 0 };
  let cursor: string | undefined;
  do {
    const page = await students.bySchool(
      staff.tenant,
      audience.schoolId,
      { grade: audience.grade, class: audience.class },
      cursor,
      PAGE,
    );
    cursor = page.cursor;
    const reach = await mapLimit(page.items, 16, async (s) => {
      const users = await mapLimit(await usersOf(staff.tenant, s.id), 4, (b) => chatusers.get(staff.tenant, b.userKey));
      const live = users.filter((u) => u.broadcasts && (chatusers.channelOf(u.userKey) !== "wechat" || u.following));
      if (live.some((u) => chatusers.channelOf(u.userKey) === "wechat")) return "wechat" as const;
      if (live.length > 0) return "web" as const;
      if (users.length > 0 && users.every((u) => !u.broadcasts)) return "unsubscribed" as const;
      return "notLinked" as const;
    });
    for (const r of reach) {
      out.students++;
      out[r]++;
    }
  } while (cursor);
  return {
    ...out,
    missingTemplates: tenant ? missingTemplates(tenant, ["broadcast"]) : [],
    quietHours: quietHours(tenant?.timeZone ?? "Asia/Shanghai", now),
  };
}

export const BroadcastSummary = z.object({
  id: z.string(),
  status: z.string(),
  schoolId: z.string(),
  grade: z.string().optional(),
  class: z.string().optional(),
  text: z.string(),
  urgent: z.boolean(),
  createdAt: z.string(),
  sendAt: z.string().optional(),
  sender: z.string(),
  finishedAt: z.string().optional(),
  counts: FinalCounts.optional(),
});

/** The broadcasts the caller may see, newest first (pattern 14), with their final counts once done. */
export async function broadcastHistory(staff: Staff, limit = 100): Promise<z.infer<typeof BroadcastSummary>[]> {
  const out: z.infer<typeof BroadcastSummary>[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await queryPage<Record<string, unknown>>(
      {
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.eventsPk(staff.tenant) },
        ScanIndexForward: false,
        Limit: 200,
      },
      cursor,
    );
    cursor = page.cursor;
    for (const item of page.items) {
      if (item.type !== "event" || item.kind !== "broadcast") continue;
      const e = EventInfo.parse(item);
      if (e.kind !== "broadcast" || !(await canSeeEvent(staff, e))) continue;
      const a = e.broadcast.audience;
      out.push({
        id: e.id,
        status: e.status,
        schoolId: a.schoolId,
        grade: a.grade,
        class: a.class,
        text: e.broadcast.text,
        urgent: e.urgent,
        createdAt: e.createdAt,
        sendAt: e.sendAt,
        sender: e.createdBy.name ?? e.createdBy.id,
        finishedAt: e.finishedAt,
        counts: e.counts,
      });
      if (out.length >= limit) return out;
    }
  } while (cursor && ++pages < 20);
  return out;
}
