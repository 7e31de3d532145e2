/**
 * 公示 lists. Publishing moves the listed applications that are county_approved to publicizing (audited) and
 * starts the fan-out: each bound guardian of a listed student hears privately about their own child only.
 * Closing moves those still publicizing (no objection raised) to approved.
 *
 * The list id is derived from its content, so re-sending the same request (a timeout, a crash half-way) finds
 * the same list, skips what already moved and finishes the rest; deliveries are deduplicated downstream.
 */
import { z } from "zod";
import {
  Programme,
  Programmes,
  StageLabel,
  Term,
  termLabel,
  transitionItems,
  type ApplicationInfo,
} from "../applications/index.js";
import { AppError } from "../errors.js";
import { stableId } from "../ids.js";
import { maskName } from "../mask.js";
import { sendToQueue } from "../queue/client.js";
import * as students from "../students/index.js";
import { actorOf, levelOf, requireRole, requireSchool, type Staff } from "../staff/index.js";
import { applyGroups, readApplications, type Group } from "./apply.js";
import { cachedTenant } from "../notifications/cache.js";
import { localDate } from "../notifications/clock.js";
import { mapLimit } from "../concurrency.js";
import {
  IsoDate,
  ListScope,
  canSeeEvent,
  getEvent,
  memberPut,
  membersPage,
  putEvent,
  setStatus,
  type EventInfo,
} from "../notifications/events.js";
import type { FanoutJob } from "../notifications/fanout.js";

const AppId = z
  .string()
  .trim()
  .regex(/^app_[0-9a-z]{4,32}$/, "application ids look like app_…");

export const PublishListInput = z.object({
  programme: Programme,
  term: Term,
  scope: ListScope,
  applicationIds: z.array(AppId).min(1).max(20_000),
  publicity: z
    .object({ start: IsoDate, end: IsoDate })
    .refine((p) => p.start <= p.end, { message: "公示结束日期早于开始日期：请改正", path: ["end"] }),
  /** Who takes objections (office and phone); shown to the families on the list. */
  objectionContact: z.string().trim().min(3).max(60),
});
export type PublishListInput = z.input<typeof PublishListInput>;

export interface Refusal {
  applicationId: string;
  code:
    | "not_found"
    | "wrong_programme_or_term"
    | "out_of_scope"
    | "wrong_stage"
    | "duplicate_student"
    | "changed_meanwhile";
  message: string;
}

export interface ListView {
  id: string;
  programme: string;
  term: string;
  scope: ListScope;
  publicity: { start: string; end: string };
  objectionContact: string;
  status: EventInfo["status"];
  createdAt: string;
}

function view(e: Extract<EventInfo, { kind: "publicity" }>): ListView {
  const p = e.publicity;
  return {
    id: e.id,
    programme: p.programme,
    term: p.term,
    scope: p.scope,
    publicity: { start: p.start, end: p.end },
    objectionContact: p.objectionContact,
    status: e.status,
    createdAt: e.createdAt,
  };
}

/**
 * The listed students, for their masked name and class on the notices and their village for a village list. A
 * village list reads each one; a long school list reads the school's students a page at a time; a short school
 * list reads none here (fan-out fills them in), keeping the request short.
 */
async function studentsOf(
  tenant: string,
  scope: ListScope,
  apps: ApplicationInfo[],
): Promise<Map<string, students.StudentInfo>> {
  const out = new Map<string, students.StudentInfo>();
  if (scope.kind === "village") {
    const read = await mapLimit(apps, 32, (a) => students.fromId(tenant, a.studentId));
    for (const s of read) if (s) out.set(s.id, s);
  } else if (apps.length > 100) {
    const wanted = new Set(apps.map((a) => a.studentId));
    let cursor: string | undefined;
    do {
      const page = await students.bySchool(tenant, scope.schoolId, {}, cursor, 1000);
      for (const s of page.items) if (wanted.has(s.id)) out.set(s.id, s);
      cursor = page.cursor;
    } while (cursor);
  }
  return out;
}

const refuse = (applicationId: string, code: Refusal["code"], message: string): Refusal => ({
  applicationId,
  code,
  message,
});

export async function publishList(
  staff: Staff,
  raw: PublishListInput,
): Promise<{ created: boolean; list: ListView; moved: number; refused: Refusal[] }> {
  const input = PublishListInput.parse(raw);
  requireRole(staff, "bureau");
  if (input.scope.kind === "school") await requireSchool(staff, input.scope.schoolId);
  const tenant = staff.tenant;
  const ids = [...new Set(input.applicationIds)].sort();
  const scopeKey = input.scope.kind === "school" ? `school:${input.scope.schoolId}` : `village:${input.scope.village}`;
  const listId = stableId(
    "evt",
    tenant,
    "publicity",
    input.programme,
    input.term,
    scopeKey,
    input.publicity.start,
    input.publicity.end,
    input.objectionContact,
    ...ids,
  );

  const refused: Refusal[] = [];
  const found = await readApplications(tenant, ids, input.programme, input.term, ["county_approved", "publicizing"]);
  const candidates: ApplicationInfo[] = [];
  let already = 0;
  ids.forEach((id) => {
    const app = found.get(id);
    if (!app) return refused.push(refuse(id, "not_found", "没有这份申请，或不在您的管辖范围"));
    if (app.programme !== input.programme || app.term !== input.term) {
      return refused.push(
        refuse(
          id,
          "wrong_programme_or_term",
          `这份申请是${Programmes[app.programme]}（${termLabel(app.term)}），不是这次公示的项目和学期`,
        ),
      );
    }
    if (input.scope.kind === "school" && app.schoolId !== input.scope.schoolId) {
      return refused.push(refuse(id, "out_of_scope", "学生不在这次公示的学校"));
    }
    if (app.stage === "publicizing" && app.publicity?.listId === listId) return void already++;
    if (app.stage !== "county_approved") {
      return refused.push(
        refuse(id, "wrong_stage", `这份申请现在是“${StageLabel[app.stage]}”，只有“县级审核通过”的才能列入公示`),
      );
    }
    candidates.push(app);
  });

  const people = await studentsOf(tenant, input.scope, candidates);
  const byStudent = new Map<string, { schoolId: string; student?: students.StudentInfo; apps: ApplicationInfo[] }>();
  candidates.forEach((app) => {
    const student = people.get(app.studentId);
    if (input.scope.kind === "village" && student?.village !== input.scope.village) {
      return refused.push(refuse(app.id, "out_of_scope", "学生不住在这次公示的村（社区）"));
    }
    const entry = byStudent.get(app.studentId);
    if (entry)
      return refused.push(
        refuse(app.id, "duplicate_student", `同一名学生的另一份申请（${entry.apps[0]?.id}）已在这次公示里`),
      );
    byStudent.set(app.studentId, { schoolId: app.schoolId, student, apps: [app] });
  });

  if (byStudent.size === 0 && already === 0) {
    throw new AppError(
      "conflict",
      "nothing_to_list",
      "none of the applications can be listed",
      refused.map((r) => ({ field: r.applicationId, message: `${r.code}: ${r.message}` })),
    );
  }

  const { created, event } = await putEvent({
    id: listId,
    tenant,
    kind: "publicity",
    createdAt: new Date().toISOString(),
    createdBy: actorOf(staff),
    status: "preparing",
    urgent: false,
    ...(input.scope.kind === "school" ? { schoolId: input.scope.schoolId } : {}),
    publicity: {
      programme: input.programme,
      term: input.term,
      scope: input.scope,
      start: input.publicity.start,
      end: input.publicity.end,
      objectionContact: input.objectionContact,
    },
  });
  if (event.kind !== "publicity") throw new Error("list id collides with another event");

  const publicity = {
    listId,
    start: input.publicity.start,
    end: input.publicity.end,
    objectionContact: input.objectionContact,
  };
  const at = new Date().toISOString();
  const groups: Group<string[]>[] = [...byStudent.entries()].map(([studentId, { schoolId, student, apps }]) => ({
    key: apps.map((a) => a.id),
    items: [
      ...apps.flatMap(
        (a) =>
          transitionItems(a, { to: "publicizing", actor: actorOf(staff), level: levelOf(staff), publicity }, at).items,
      ),
      memberPut(tenant, listId, {
        studentId,
        applicationIds: apps.map((a) => a.id),
        schoolId,
        ...(student ? { grade: student.grade, class: student.class, child: maskName(student.name) } : {}),
      }),
    ],
  }));
  const lost = await applyGroups(groups);
  for (const appIds of lost)
    for (const id of appIds)
      refused.push(refuse(id, "changed_meanwhile", "发布时这份申请的状态刚好变了：请刷新后再发布一次"));
  const moved = already + groups.reduce((n, g) => n + g.key.length, 0) - lost.flat().length;

  // Enqueue before the status says so: a crash in between leaves "preparing", and the repeated request enqueues again.
  await sendToQueue("fanout", { tenant, eventId: listId } satisfies FanoutJob);
  await setStatus(tenant, listId, ["preparing"], "sending");
  refused.sort((a, b) => a.applicationId.localeCompare(b.applicationId));
  return {
    created,
    list: view({ ...event, status: event.status === "preparing" ? "sending" : event.status }),
    moved,
    refused,
  };
}

export async function closeList(
  staff: Staff,
  listId: string,
  now = new Date(),
): Promise<{ list: ListView; approved: number; objected: string[]; other: number }> {
  requireRole(staff, "bureau");
  const event = await getEvent(staff.tenant, listId);
  if (!event || event.kind !== "publicity" || !(await canSeeEvent(staff, event))) throw AppError.notFound("list");
  const tenant = await cachedTenant(staff.tenant);
  const today = localDate(now, tenant?.timeZone ?? "Asia/Shanghai");
  if (today <= event.publicity.end) {
    throw AppError.conflict(
      "publicity_not_over",
      `the publicity period runs until ${event.publicity.end}; close the list after that day`,
    );
  }

  const appIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await membersPage(staff.tenant, listId, cursor, 500);
    for (const m of page.items) appIds.push(...m.applicationIds);
    cursor = page.cursor;
  } while (cursor);

  const found = await readApplications(staff.tenant, appIds, event.publicity.programme, event.publicity.term, [
    "publicizing",
    "objected",
    "approved",
  ]);
  const apps = appIds.map((id) => found.get(id));
  const objected: string[] = [];
  let approved = 0;
  let other = 0;
  const at = now.toISOString();
  const groups: Group<string>[] = [];
  for (const app of apps) {
    if (!app || app.publicity?.listId !== listId) other++;
    else if (app.stage === "objected") objected.push(app.id);
    else if (app.stage === "approved" || app.stage === "paid") approved++;
    else if (app.stage !== "publicizing") other++;
    else
      groups.push({
        key: app.id,
        items: transitionItems(app, { to: "approved", actor: actorOf(staff), level: levelOf(staff) }, at).items,
      });
  }
  const lost = await applyGroups(groups);
  approved += groups.length - lost.length;
  other += lost.length;
  await setStatus(staff.tenant, listId, ["preparing", "sending", "done"], "closed", { closedAt: at });
  const closed = (await getEvent(staff.tenant, listId)) ?? event;
  return { list: view(closed.kind === "publicity" ? closed : event), approved, objected: objected.sort(), other };
}
