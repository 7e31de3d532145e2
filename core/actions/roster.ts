/**
 * A published 公示 list read back, as the roster that is posted at the school or in the village: only the fields
 * the 公示 rules allow — name, school, grade and class, programme, amount. Never ID numbers, 学籍号, phones,
 * addresses or family circumstances; an application whose objection was upheld (未通过) is no longer on it — only
 * that family is told why. Also the tenant's lists, newest first, and when a list may be closed.
 */
import { z } from "zod";
import { Programmes, termLabel, yuan } from "../applications/index.js";
import * as applications from "../applications/index.js";
import { queryPage } from "../db/client.js";
import { keys } from "../db/keys.js";
import { AppError } from "../errors.js";
import * as schools from "../schools/index.js";
import * as students from "../students/index.js";
import { mapLimit } from "../concurrency.js";
import type { Staff } from "../staff/index.js";
import { cachedTenant } from "../notifications/cache.js";
import { localDate } from "../notifications/clock.js";
import { EventInfo, canSeeEvent, getEvent, membersPage } from "../notifications/events.js";

export const RosterLine = z.object({
  name: z.string(),
  schoolName: z.string(),
  grade: z.string(),
  class: z.string(),
  programmeLabel: z.string(),
  amountYuan: z.string(),
  stageLabel: z.string(),
});

export const ListSummary = z.object({
  id: z.string(),
  programme: z.string(),
  programmeLabel: z.string(),
  term: z.string(),
  termLabel: z.string(),
  scopeLabel: z.string(),
  start: z.string(),
  end: z.string(),
  objectionContact: z.string(),
  status: z.string(),
  createdAt: z.string(),
  /** The first day the list may be closed (the day after the period's last day). */
  closableFrom: z.string(),
  closable: z.boolean(),
});

export const Roster = ListSummary.extend({ lines: z.array(RosterLine), total: z.number(), totalYuan: z.string() });

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function summary(
  staff: Staff,
  e: Extract<EventInfo, { kind: "publicity" }>,
): Promise<z.infer<typeof ListSummary>> {
  const p = e.publicity;
  const tz = (await cachedTenant(staff.tenant))?.timeZone ?? "Asia/Shanghai";
  const scopeLabel =
    p.scope.kind === "school"
      ? ((await schools.fromId(staff.tenant, p.scope.schoolId))?.name ?? p.scope.schoolId)
      : `${p.scope.village}（村级公示）`;
  const closableFrom = nextDay(p.end);
  return ListSummary.parse({
    id: e.id,
    programme: p.programme,
    programmeLabel: Programmes[p.programme],
    term: p.term,
    termLabel: termLabel(p.term),
    scopeLabel,
    start: p.start,
    end: p.end,
    objectionContact: p.objectionContact,
    status: e.status,
    createdAt: e.createdAt,
    closableFrom,
    closable: e.status !== "closed" && localDate(new Date(), tz) >= closableFrom,
  });
}

/** The tenant's 公示 lists the caller may see, newest first (pattern 14). */
export async function lists(staff: Staff): Promise<z.infer<typeof ListSummary>[]> {
  const page = await queryPage<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.eventsPk(staff.tenant) },
    ScanIndexForward: false,
    Limit: 200,
  });
  const out: z.infer<typeof ListSummary>[] = [];
  for (const item of page.items) {
    if (item.type !== "event" || item.kind !== "publicity") continue;
    const e = EventInfo.parse(
      Object.fromEntries(
        Object.entries(item).filter(([k]) => !["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "type"].includes(k)),
      ),
    );
    if (e.kind === "publicity" && (await canSeeEvent(staff, e))) out.push(await summary(staff, e));
  }
  return out;
}

export async function roster(staff: Staff, listId: string): Promise<z.infer<typeof Roster>> {
  const e = await getEvent(staff.tenant, listId);
  if (!e || e.kind !== "publicity" || !(await canSeeEvent(staff, e))) throw AppError.notFound("list");
  const members = [];
  let cursor: string | undefined;
  do {
    const page = await membersPage(staff.tenant, e.id, cursor, 1000);
    members.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  const schoolNames = new Map((await schools.list(staff.tenant)).map((s) => [s.id, s.name] as const));
  const lines = await mapLimit(members, 16, async (m) => {
    const [student, app] = await Promise.all([
      students.fromId(staff.tenant, m.studentId),
      applications.fromId(staff.tenant, m.applicationIds[0]!),
    ]);
    // An objection upheld takes the application off the list: the posted roster never tells the village who failed.
    if (!student || !app || app.stage === "rejected") return undefined;
    return RosterLine.parse({
      name: student.name,
      schoolName: schoolNames.get(student.schoolId) ?? "",
      grade: student.grade,
      class: student.class,
      programmeLabel: Programmes[app.programme],
      amountYuan: yuan(app.amountFen),
      stageLabel: applications.StageLabel[app.stage],
    });
  });
  const ok = lines
    .filter((l): l is z.infer<typeof RosterLine> => l !== undefined)
    .sort(
      (a, b) =>
        a.schoolName.localeCompare(b.schoolName, "zh") ||
        a.grade.localeCompare(b.grade) ||
        a.class.localeCompare(b.class) ||
        a.name.localeCompare(b.name, "zh"),
    );
  const totalFen = ok.reduce((n, l) => n + Math.round(Number(l.amountYuan) * 100), 0);
  return Roster.parse({ ...(await summary(staff, e)), lines: ok, total: ok.length, totalYuan: yuan(totalFen) });
}
