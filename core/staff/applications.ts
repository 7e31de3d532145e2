/**
 * Staff verbs on applications (三级审核): create, approve / reject at the token's level, objections raised and
 * resolved. The stage machine (core/applications/stages.ts) decides what is allowed; this module only chooses the
 * move an action means and checks scope first, so a refused move never reveals anything outside the scope.
 */
import { z } from "zod";
import { AppError } from "../errors.js";
import * as applications from "../applications/index.js";
import * as audit from "../audit/index.js";
import type { TransactItems } from "../db/client.js";
import { stableId } from "../ids.js";
import type { SchoolInfo } from "../schools/index.js";
import { actorOf, levelOf, requireApplication, requireStudent, visibleSchools, type Staff } from "./scope.js";
import { amountOutOfRange, ineligible, programmesForKinds, standardAmounts } from "./eligibility.js";
import * as tenants from "../tenants/index.js";

/**
 * Yuan as a client writes it ("625", "625.5", 625.50) → fen, exactly: the string is split at the point, never
 * multiplied as a float.
 */
export const AmountYuan = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === "number" ? String(v) : v.trim().replace(/[,，]/g, "").replace(/元$/, "")))
  .pipe(z.string().regex(/^\d{1,6}(\.\d{1,2})?$/, "amount must be yuan with at most two decimals, e.g. 625 or 625.50"))
  .transform((s) => {
    const [whole, frac = ""] = s.split(".");
    return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  })
  .pipe(applications.AmountFen.refine((fen) => fen > 0, "金额必须大于 0 元"))
  .describe(
    '金额（元）：数字或字符串，最多两位小数，大于 0、不超过 100000 元，如 625 或 "625.50"（可带千分位逗号或“元”字）',
  );

export const CreateApplication = z.object({
  studentId: z.string().min(1),
  programme: applications.Programme,
  term: applications.Term,
  /** In yuan (decimal string or number); stored in fen. */
  amount: AmountYuan,
});

export const ProgrammeOption = z.object({
  id: applications.Programme,
  name: z.string(),
  standards: z
    .array(z.object({ label: z.string(), yuan: z.number() }))
    .describe("按国家基础标准建议的金额（元）；空表示按本地标准填写"),
});
export type ProgrammeOption = z.infer<typeof ProgrammeOption>;

/**
 * The programmes the caller's schools can enter, from each school's kind (a 小学 sees no 普通高中 / 中职 programme);
 * for one student, those that fit the student's school and grade, each with the standard amounts to suggest.
 */
export async function programmeOptions(staff: Staff, studentId?: string): Promise<ProgrammeOption[]> {
  if (studentId) {
    const { student, school } = await requireStudent(staff, studentId);
    return programmesForKinds([school.kind])
      .filter((p) => ineligible(p, school, student.grade) === undefined)
      .map((p) => ({ id: p, name: applications.Programmes[p], standards: standardAmounts(p, school, student.grade) }));
  }
  const kinds = [...new Set((await visibleSchools(staff)).map((s) => s.kind))];
  return programmesForKinds(kinds).map((p) => ({ id: p, name: applications.Programmes[p], standards: [] }));
}

/** One application per student, programme and term: the id is derived from them, so a retried POST is harmless. */
export async function createApplication(staff: Staff, input: z.output<typeof CreateApplication>) {
  const { student } = await requireStudent(staff, input.studentId);
  const range = amountOutOfRange(input.programme, input.amount);
  if (range) throw AppError.validation("amount_out_of_range", range, [{ field: "amount", message: range }]);
  const id = stableId("app", staff.tenant, student.id, input.programme, input.term);
  const existing = await applications.fromId(staff.tenant, id);
  if (existing) {
    if (existing.amountFen === input.amount) return { application: existing, created: false };
    throw AppError.conflict(
      "application_exists",
      `this student already has a ${input.programme} application for ${input.term} (${id})`,
    );
  }
  try {
    const application = await applications.create(
      staff.tenant,
      {
        studentId: student.id,
        schoolId: student.schoolId,
        programme: input.programme,
        term: input.term,
        amountFen: input.amount,
      },
      actorOf(staff),
      id,
    );
    return { application, created: true };
  } catch (e) {
    // A concurrent identical POST won the put: answer like the retry it is.
    const raced =
      e instanceof AppError && e.code === "application_exists"
        ? await applications.fromId(staff.tenant, id)
        : undefined;
    if (raced && raced.amountFen === input.amount) return { application: raced, created: false };
    throw e;
  }
}

/** The approval a review at `from` means: the next level up (county directly for 县直 schools). */
function approvalOf(from: applications.Stage, school: SchoolInfo): applications.Stage {
  switch (from) {
    case "submitted":
      return "school_approved";
    case "school_approved":
      return school.directlyUnderCounty ? "county_approved" : "township_approved";
    case "township_approved":
      return "county_approved";
    case "publicizing":
      return "approved";
    case "county_approved":
      throw AppError.conflict(
        "needs_publicity",
        "县级审核通过的申请要通过发布公示名单进入公示（POST /api/lists），不能直接审批",
      );
    default:
      throw AppError.conflict("invalid_transition", `「${applications.StageLabel[from]}」(${from}) 阶段的申请不能审批`);
  }
}

export const Reason = z.string().trim().min(2, "reason must say why (at least 2 characters)").max(200);

/**
 * Every review names the step it acts on: `from` is the stage the officer saw when they clicked. A stale click
 * (someone acted meanwhile, or the same button pressed twice) then gets 409 `stage_changed` saying what happened,
 * instead of moving the application one more level.
 */
export const ExpectedStage = z.enum(applications.Stages, {
  error: "请带上您看到的当前阶段 from（例如 submitted），防止重复点击把申请多推进一级",
});

/** Bodies of the review routes; ReviewAction joins them for the generic route. */
export const ApproveBody = z.object({ from: ExpectedStage, reason: Reason.optional() });
export const RejectBody = z.object({ from: ExpectedStage, reason: Reason });
/** 异议: raised during 公示 (by the school or above, on a family's or anyone's objection). */
export const ObjectionBody = z.object({ from: ExpectedStage, reason: Reason });
/** Objection reviewed: `approved` — the objection does not hold; `rejected` — it does, the application fails. */
export const ResolveBody = z.object({ from: ExpectedStage, result: z.enum(["approved", "rejected"]), reason: Reason });
/** Any move the stage contract allows, by target stage (for tools and scripts). */
export const MoveBody = z.object({ from: ExpectedStage, to: z.enum(applications.Stages), reason: Reason.optional() });

export const ReviewAction = z.discriminatedUnion("action", [
  ApproveBody.extend({ action: z.literal("approve") }),
  RejectBody.extend({ action: z.literal("reject") }),
  ObjectionBody.extend({ action: z.literal("object") }),
  ResolveBody.extend({ action: z.literal("resolve_objection") }),
  MoveBody.extend({ action: z.literal("move") }),
]);
export type ReviewAction = z.output<typeof ReviewAction>;

function targetOf(action: ReviewAction, current: applications.ApplicationInfo, school: SchoolInfo): applications.Stage {
  switch (action.action) {
    case "approve":
      return approvalOf(current.stage, school);
    case "reject":
      return "rejected";
    case "object":
      return "objected";
    case "resolve_objection":
      if (current.stage !== "objected") throw AppError.conflict("no_objection", "这份申请没有待复核的异议");
      return action.result;
    case "move":
      // The family hears how its objection was decided: only the resolve step sends that notice.
      if (current.stage === "objected")
        throw AppError.conflict(
          "needs_resolve",
          "异议复核请用“复核异议”（POST /api/applications/{id}/objections/resolve）：家长会收到复核结果通知",
        );
      // These moves carry data only their own flows provide (the list's dates, the batch's payment).
      if (action.to === "publicizing")
        throw AppError.conflict("needs_publicity", "申请要通过发布公示名单进入公示（POST /api/lists）");
      if (action.to === "paid")
        throw AppError.conflict("needs_payment", "申请要通过上传发放批次标记为已发放（POST /api/payments）");
      return action.to;
  }
}

const ActorLabel: Record<string, string> = {
  bureau: "县教育局",
  township: "乡镇",
  school: "学校",
  system: "系统",
  family: "家长",
};

/** "2026年12月2日 20:15" in the county's time zone: staff read local times, never UTC. */
export function localTime(iso: string, timeZone = "Asia/Shanghai"): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("zh-CN", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** Who did it, as staff know them: the person and their post (李老师（学校资助专干）), never an account or token id. */
function actorWords(actor: audit.Actor): string {
  if (actor.name) return actor.name;
  if (actor.role === "system" || actor.role === "family") return ActorLabel[actor.role]!;
  return `${ActorLabel[actor.role] ?? actor.role}的工作人员`;
}

/** 409 naming what happened since the officer looked: who moved it, when (local time), from what to what. */
async function stageChanged(
  tenant: string,
  application: applications.ApplicationInfo,
  expected: applications.Stage,
): Promise<AppError> {
  const last = (await audit.trail(tenant, application.id)).filter((r) => r.to !== undefined).at(-1);
  const now = applications.StageLabel[application.stage];
  const timeZone = last ? ((await tenants.fromId(tenant))?.timeZone ?? "Asia/Shanghai") : undefined;
  const who = last ? `${actorWords(last.actor)}于 ${localTime(last.at, timeZone)} ` : "";
  const what = !last
    ? `它现在是「${now}」`
    : last.action === "created"
      ? `${who}创建了它，它现在是「${now}」`
      : `${who}已将它${last.from ? `从「${applications.StageLabel[last.from as applications.Stage] ?? last.from}」` : ""}改为「${now}」`;
  return new AppError(
    "conflict",
    "stage_changed",
    `这份申请在您操作前已有变化：${what}。您看到的是「${applications.StageLabel[expected]}」，本次操作没有执行，请刷新后再决定。`,
    [{ field: "from", message: `您看到的是「${applications.StageLabel[expected]}」，现在是「${now}」` }],
  );
}

/** A review action; `also` are written in the same transaction as the move (see applications.transition). */
export async function review(
  staff: Staff,
  applicationId: string,
  action: ReviewAction,
  also?: (current: applications.ApplicationInfo) => TransactItems,
) {
  const { application, school } = await requireApplication(staff, applicationId);
  if (application.stage !== action.from) throw await stageChanged(staff.tenant, application, action.from);
  const to = targetOf(action, application, school);
  try {
    return await applications.transition(
      staff.tenant,
      application.id,
      {
        to,
        actor: actorOf(staff),
        level: levelOf(staff),
        reason: action.reason,
        directlyUnderCounty: school.directlyUnderCounty,
        current: application,
      },
      also,
    );
  } catch (e) {
    // Lost a race with a parallel click: say what the winner did.
    if (e instanceof AppError && e.code === "stale_stage") {
      const now = await applications.fromId(staff.tenant, application.id);
      if (now) throw await stageChanged(staff.tenant, now, action.from);
    }
    throw e;
  }
}

/** One application with its audit trail (全程留痕). */
export async function applicationWithTrail(staff: Staff, applicationId: string) {
  const { application } = await requireApplication(staff, applicationId);
  return { application, trail: await audit.trail(staff.tenant, application.id) };
}

export const ListApplications = z.object({
  programme: applications.Programme,
  term: applications.Term,
  stage: z.enum(applications.Stages).optional(),
  schoolId: z.string().optional(),
});

/** Applications of a programme and term, only those of schools in scope. */
export async function listApplications(
  staff: Staff,
  q: z.output<typeof ListApplications>,
  visible: (schoolId: string) => boolean,
) {
  const all = await applications.byProgramme(staff.tenant, q.programme, q.term, q.stage);
  return all.filter((a) => visible(a.schoolId) && (q.schoolId === undefined || a.schoolId === q.schoolId));
}
