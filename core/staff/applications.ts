/**
 * Staff verbs on applications (三级审核): create, approve / reject at the token's level, objections raised and
 * resolved. The stage machine (core/applications/stages.ts) decides what is allowed; this module only chooses the
 * move an action means and checks scope first, so a refused move never reveals anything outside the scope.
 */
import { z } from "zod";
import { AppError } from "../errors.js";
import * as applications from "../applications/index.js";
import * as audit from "../audit/index.js";
import { stableId } from "../ids.js";
import type { SchoolInfo } from "../schools/index.js";
import { actorOf, levelOf, requireApplication, requireStudent, type Staff } from "./scope.js";

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
  .pipe(applications.AmountFen);

export const CreateApplication = z.object({
  studentId: z.string().min(1),
  programme: applications.Programme,
  term: applications.Term,
  /** In yuan (decimal string or number); stored in fen. */
  amount: AmountYuan,
});

/** One application per student, programme and term: the id is derived from them, so a retried POST is harmless. */
export async function createApplication(staff: Staff, input: z.output<typeof CreateApplication>) {
  const { student } = await requireStudent(staff, input.studentId);
  const id = stableId("app", staff.tenant, student.id, input.programme, input.term);
  const existing = await applications.fromId(staff.tenant, id);
  if (existing) {
    if (existing.amountFen === input.amount) return { application: existing, created: false };
    throw AppError.conflict("application_exists", `this student already has a ${input.programme} application for ${input.term} (${id})`);
  }
  try {
    const application = await applications.create(
      staff.tenant,
      { studentId: student.id, schoolId: student.schoolId, programme: input.programme, term: input.term, amountFen: input.amount },
      actorOf(staff),
      id,
    );
    return { application, created: true };
  } catch (e) {
    // A concurrent identical POST won the put: answer like the retry it is.
    const raced = e instanceof AppError && e.code === "application_exists" ? await applications.fromId(staff.tenant, id) : undefined;
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
      throw AppError.conflict("needs_publicity", "county-approved applications are approved by publishing a 公示 list (POST /api/lists)");
    default:
      throw AppError.conflict("invalid_transition", `an application in stage ${from} (${applications.StageLabel[from]}) cannot be approved`);
  }
}

export const Reason = z.string().trim().min(2, "reason must say why (at least 2 characters)").max(200);

/** Bodies of the review routes; ReviewAction joins them for the generic route. */
export const ApproveBody = z.object({ reason: Reason.optional() });
export const RejectBody = z.object({ reason: Reason });
/** 异议: raised during 公示 (by the school or above, on a family's or anyone's objection). */
export const ObjectionBody = z.object({ reason: Reason });
/** Objection reviewed: `approved` — the objection does not hold; `rejected` — it does, the application fails. */
export const ResolveBody = z.object({ result: z.enum(["approved", "rejected"]), reason: Reason });
/** Any move the stage contract allows, by target stage (for tools and scripts). */
export const MoveBody = z.object({ to: z.enum(applications.Stages), reason: Reason.optional() });

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
      if (current.stage !== "objected") throw AppError.conflict("no_objection", "this application has no open objection");
      return action.result;
    case "move":
      // These moves carry data only their own flows provide (the list's dates, the batch's payment).
      if (action.to === "publicizing") throw AppError.conflict("needs_publicity", "applications enter 公示 when a list is published (POST /api/lists)");
      if (action.to === "paid") throw AppError.conflict("needs_payment", "applications are marked paid by a payment batch (POST /api/payments)");
      return action.to;
  }
}

export async function review(staff: Staff, applicationId: string, action: ReviewAction) {
  const { application, school } = await requireApplication(staff, applicationId);
  const to = targetOf(action, application, school);
  return applications.transition(staff.tenant, application.id, {
    to,
    actor: actorOf(staff),
    level: levelOf(staff),
    reason: action.reason,
    directlyUnderCounty: school.directlyUnderCounty,
    current: application,
  });
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
export async function listApplications(staff: Staff, q: z.output<typeof ListApplications>, visible: (schoolId: string) => boolean) {
  const all = await applications.byProgramme(staff.tenant, q.programme, q.term, q.stage);
  return all.filter((a) => visible(a.schoolId) && (q.schoolId === undefined || a.schoolId === q.schoolId));
}
