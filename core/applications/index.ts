/**
 * Applications (one student, one programme, one term) and their stage moves.
 * Every move is a conditional update on the current stage plus an audit record and the dashboard's counters
 * (tallies.ts), in one transaction: a concurrent or repeated move cannot half-apply or count twice.
 */
import { z } from "zod";
import { AppError, isConditionFailure } from "../errors.js";
import { batchGet, queryAll, getItem, tableName, transact, withoutKeys, type TransactItems } from "../db/client.js";
import { keys } from "../db/keys.js";
import { newId } from "../ids.js";
import { Actor, auditPut } from "../audit/index.js";
import { Stages, checkTransition, type Level, type Stage } from "./stages.js";
import { Programmes, type Programme as ProgrammeId } from "./programmes.js";
import { cellDeltas, markerItem, mergeCounterItems, paidDeltas, tallyItem, type PaidMarker } from "./tallies.js";
import { paidMarkerOf } from "./tally-store.js";

export * from "./stages.js";
export * from "./programmes.js";

export type Programme = ProgrammeId;
export const Programme = z.enum(Object.keys(Programmes) as [Programme, ...Programme[]]);

/** 2025-autumn → 2025年秋季学期 */
export const Term = z
  .string()
  .regex(/^\d{4}-(spring|autumn)$/, "term must look like 2025-autumn or 2026-spring")
  .describe("学期：年份-spring（春季）或 年份-autumn（秋季），如 2025-autumn");
export function termLabel(term: string): string {
  const [year, season] = term.split("-");
  return `${year}年${season === "spring" ? "春季" : "秋季"}学期`;
}

/** Money is kept in fen (integer) so no amount is ever a float. */
export const AmountFen = z.number().int().min(0).max(10_000_000);
export function yuan(fen: number): string {
  const y = fen / 100;
  return Number.isInteger(y) ? `${y}` : y.toFixed(2);
}

export const ApplicationInfo = z.object({
  id: z.string(),
  tenant: z.string(),
  studentId: z.string(),
  schoolId: z.string(),
  programme: Programme,
  term: Term,
  amountFen: AmountFen,
  stage: z.enum(Stages),
  stageChangedAt: z.string(),
  createdAt: z.string(),
  /** Why it was rejected / what the objection is: shown only to the family concerned. */
  reason: z.string().optional(),
  publicity: z
    .object({ listId: z.string(), start: z.string(), end: z.string(), objectionContact: z.string() })
    .optional(),
  payment: z
    .object({
      batchId: z.string(),
      paidDate: z.string(),
      amountFen: AmountFen,
      accountLast4: z.string().regex(/^\d{4}$/),
    })
    .optional(),
});
export type ApplicationInfo = z.infer<typeof ApplicationInfo>;

export const CreateInput = z.object({
  studentId: z.string(),
  schoolId: z.string(),
  programme: Programme,
  term: Term,
  amountFen: AmountFen,
});

function storageKeys(a: ApplicationInfo) {
  return {
    ...keys.application(a.tenant, a.id),
    ...keys.applicationOfStudent(a.tenant, a.studentId, a.term, a.programme, a.id),
    ...keys.applicationByStage(a.tenant, a.programme, a.term, a.stage, a.id),
  };
}

export async function create(
  tenant: string,
  input: z.input<typeof CreateInput>,
  actor: Actor,
  id = newId("app"),
): Promise<ApplicationInfo> {
  const parsed = CreateInput.parse(input);
  const now = new Date().toISOString();
  const value = ApplicationInfo.parse({
    ...parsed,
    id,
    tenant,
    stage: "submitted",
    stageChangedAt: now,
    createdAt: now,
  });
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: { ...storageKeys(value), type: "application", ...value },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      auditPut(tableName(), tenant, { entityId: id, actor, action: "created", to: "submitted", at: now }),
      ...cellDeltas(undefined, value).map(tallyItem),
    ]);
  } catch (e) {
    if (isConditionFailure(e)) throw AppError.conflict("application_exists", `application ${id} already exists`);
    throw e;
  }
  return value;
}

export async function fromId(tenant: string, id: string): Promise<ApplicationInfo | undefined> {
  if (!/^app_[0-9a-z]{4,32}$/.test(id)) return undefined;
  const item = await getItem(keys.application(tenant, id));
  return item ? ApplicationInfo.parse(withoutKeys(item)) : undefined;
}

/** Pattern 9, many at once (a chunk of a long payment file): the applications found, by id; unknown ids are absent. */
export async function manyFromIds(tenant: string, ids: readonly string[]): Promise<Map<string, ApplicationInfo>> {
  const valid = ids.filter((id) => /^app_[0-9a-z]{4,32}$/.test(id));
  const found = await batchGet(valid.map((id) => keys.application(tenant, id)));
  const out = new Map<string, ApplicationInfo>();
  for (const item of found.values()) {
    const a = ApplicationInfo.parse(withoutKeys(item));
    out.set(a.id, a);
  }
  return out;
}

/** Pattern 10: applications of a student. */
export async function ofStudent(tenant: string, studentId: string): Promise<ApplicationInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.applicationsOfStudentPk(tenant, studentId) },
  });
  return items.map((i) => ApplicationInfo.parse(withoutKeys(i)));
}

/** Pattern 11: applications of a programme and term, optionally in one stage. */
export async function byProgramme(
  tenant: string,
  programme: Programme,
  term: string,
  stage?: Stage,
): Promise<ApplicationInfo[]> {
  const items = await queryAll<Record<string, unknown>>({
    IndexName: "gsi2",
    KeyConditionExpression: stage ? "gsi2pk = :pk AND begins_with(gsi2sk, :s)" : "gsi2pk = :pk",
    ExpressionAttributeValues: {
      ":pk": keys.applicationsByProgrammePk(tenant, programme, term),
      ...(stage ? { ":s": `${stage}#` } : {}),
    },
  });
  return items.map((i) => ApplicationInfo.parse(withoutKeys(i)));
}

export interface TransitionInput {
  to: Stage;
  actor: Actor;
  /** Staff level of the actor; undefined for system actors. */
  level?: Level;
  reason?: string;
  directlyUnderCounty?: boolean;
  publicity?: ApplicationInfo["publicity"];
  payment?: ApplicationInfo["payment"];
  /** Set when the caller already read the application (saves a read). */
  current?: ApplicationInfo;
  /**
   * For a move to `paid`: the student's paid marker for the term as read (tally-store `paidMarkerOf`), which the
   * write is conditioned on. Callers moving several of one student's applications pass on the `paidMarker` each
   * move returns.
   */
  paidMarker?: PaidMarker;
}

/** The transaction items for one move: callers that move many applications at once (lists, payments) batch these. */
export function transitionItems(current: ApplicationInfo, input: TransitionInput, at = new Date().toISOString()) {
  checkTransition(current.stage, input.to, {
    directlyUnderCounty: input.directlyUnderCounty,
    level: input.level,
    reason: input.reason,
  });
  const next: ApplicationInfo = ApplicationInfo.parse({
    ...current,
    stage: input.to,
    stageChangedAt: at,
    reason: input.reason?.trim() || (input.to === "rejected" || input.to === "objected" ? current.reason : undefined),
    publicity: input.publicity ?? current.publicity,
    payment: input.payment ?? current.payment,
  });
  let paid: { items: NonNullable<ReturnType<typeof markerItem>>[]; marker: PaidMarker } | undefined;
  if (next.stage === "paid") {
    // A programming error, not a user's: a payment that skipped the marker would count its student wrongly.
    if (input.paidMarker === undefined) throw new Error("a move to paid needs the student's paid marker");
    const marker = input.paidMarker;
    const item = markerItem(next, marker, [next.schoolId]);
    paid = {
      items: item ? [item] : [],
      marker: marker?.includes(next.schoolId) ? marker : [...(marker ?? []), next.schoolId],
    };
  }
  return {
    next,
    /** The student's paid marker after this move (for the next move of the same student in one transaction). */
    paidMarker: paid?.marker ?? input.paidMarker,
    items: [
      {
        Put: {
          TableName: tableName(),
          Item: { ...storageKeys(next), type: "application", ...next },
          ConditionExpression: "stage = :from AND stageChangedAt = :changed",
          ExpressionAttributeValues: { ":from": current.stage, ":changed": current.stageChangedAt },
        },
      },
      auditPut(tableName(), current.tenant, {
        entityId: current.id,
        actor: input.actor,
        action: "stage",
        from: current.stage,
        to: input.to,
        reason: input.reason?.trim() || undefined,
        at,
      }),
      ...cellDeltas(current, next).map(tallyItem),
      ...(paid?.items ?? []),
      ...(paid ? paidDeltas(next, input.paidMarker ?? null).map(tallyItem) : []),
    ],
  };
}

/**
 * Move one application; refused moves throw AppError, concurrent moves lose with a conflict. `also` are written in
 * the same transaction (what the move announces, e.g. the family's notice), so they exist if and only if it moved.
 */
export async function transition(
  tenant: string,
  id: string,
  input: TransitionInput,
  also: (current: ApplicationInfo) => TransactItems = () => [],
): Promise<ApplicationInfo> {
  const current = input.current ?? (await fromId(tenant, id));
  if (!current) throw AppError.notFound("application");
  const paidMarker =
    input.to === "paid" && input.paidMarker === undefined
      ? await paidMarkerOf(tenant, current.term, current.studentId)
      : input.paidMarker;
  const { next, items } = transitionItems(current, { ...input, paidMarker });
  try {
    await transact([...items, ...also(current)]);
  } catch (e) {
    if (isConditionFailure(e)) throw AppError.conflict("stale_stage", "这份申请刚被别人改动过，请刷新后再操作");
    throw e;
  }
  return next;
}

/**
 * Create an application already walked through `steps`, with the full audit
 * trail, in one transaction (imports of historical records, the demo seed).
 * Every step is still checked by the stage machine. `counters` are the
 * dashboard's counter and marker writes of the end state (for a payment, against
 * `paidMarker`, default: the student not paid yet this term); callers writing in
 * bulk instead (the seed, benches) rebuild the term's counters afterwards.
 */
export function historyItems(
  tenant: string,
  input: z.input<typeof CreateInput>,
  actor: Actor,
  steps: Omit<TransitionInput, "actor" | "current">[],
  id = newId("app"),
  /** When the last step happened (default now) and how far apart the steps are (default a minute). */
  timing: { endAt?: number; stepMs?: number } = {},
  paidMarker: PaidMarker = null,
) {
  const parsed = CreateInput.parse(input);
  const stepMs = timing.stepMs ?? 60_000;
  const start = (timing.endAt ?? Date.now()) - steps.length * stepMs;
  const at = (i: number) => new Date(start + i * stepMs).toISOString();
  let current = ApplicationInfo.parse({
    ...parsed,
    id,
    tenant,
    stage: "submitted",
    stageChangedAt: at(0),
    createdAt: at(0),
  });
  const audits = [
    auditPut(tableName(), tenant, { entityId: id, actor, action: "created", to: "submitted", at: at(0) }),
  ];
  const counters = cellDeltas(undefined, current).map(tallyItem);
  for (const [i, step] of steps.entries()) {
    const { next, items } = transitionItems(current, { ...step, actor, paidMarker }, at(i + 1));
    audits.push(items[1] as (typeof audits)[number]);
    counters.push(...items.slice(2));
    current = next;
  }
  return {
    application: current,
    put: { TableName: tableName(), Item: { ...storageKeys(current), type: "application", ...current } },
    audits,
    counters: mergeCounterItems(counters),
  };
}

/**
 * Create an application already walked through `steps`, with the full audit
 * trail, in one transaction (imports of historical records). Every step is
 * still checked by the stage machine.
 */
export async function createWithHistory(
  tenant: string,
  input: z.input<typeof CreateInput>,
  actor: Actor,
  steps: Omit<TransitionInput, "actor" | "current">[],
  id = newId("app"),
): Promise<ApplicationInfo> {
  const parsed = CreateInput.parse(input);
  const paidMarker = steps.some((s) => s.to === "paid")
    ? await paidMarkerOf(tenant, parsed.term, parsed.studentId)
    : null;
  const { application, put, audits, counters } = historyItems(tenant, input, actor, steps, id, {}, paidMarker);
  try {
    await transact([{ Put: { ...put, ConditionExpression: "attribute_not_exists(pk)" } }, ...audits, ...counters]);
  } catch (e) {
    if (isConditionFailure(e)) throw AppError.conflict("application_exists", `application ${id} already exists`);
    throw e;
  }
  return application;
}
