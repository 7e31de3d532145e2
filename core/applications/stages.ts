/**
 * The application stage machine (docs/design.md §4.3, a contract). Pure: no storage here,
 * so every allowed and refused transition is unit-tested.
 */
import { AppError } from "../errors.js";

export const Stages = [
  "submitted",
  "school_approved",
  "township_approved",
  "county_approved",
  "publicizing",
  "approved",
  "paid",
  "rejected",
  "objected",
] as const;
export type Stage = (typeof Stages)[number];

/** Labels shown to families (contract). */
export const StageLabel: Record<Stage, string> = {
  submitted: "已提交申请",
  school_approved: "学校审核通过",
  township_approved: "乡镇审核通过",
  county_approved: "县级审核通过",
  publicizing: "公示中",
  approved: "公示无异议",
  paid: "已发放",
  rejected: "未通过",
  objected: "异议复核中",
};

/** Staff levels, lowest first. A token may act at its level and below within its scope. */
export const Levels = ["school", "township", "bureau"] as const;
export type Level = (typeof Levels)[number];

interface Rule {
  to: Stage;
  /** The lowest staff level allowed to make this move. */
  level: Level;
  /** Only for schools directly under the county (no township level). */
  directOnly?: boolean;
  /** A reason is required (rejections, objections). */
  needsReason?: boolean;
}

const rules: Record<Stage, Rule[]> = {
  submitted: [
    { to: "school_approved", level: "school" },
    { to: "rejected", level: "school", needsReason: true },
  ],
  school_approved: [
    { to: "township_approved", level: "township" },
    { to: "county_approved", level: "bureau", directOnly: true },
    { to: "rejected", level: "township", needsReason: true },
  ],
  township_approved: [
    { to: "county_approved", level: "bureau" },
    { to: "rejected", level: "bureau", needsReason: true },
  ],
  county_approved: [
    { to: "publicizing", level: "bureau" },
    { to: "rejected", level: "bureau", needsReason: true },
  ],
  publicizing: [
    { to: "approved", level: "bureau" },
    { to: "objected", level: "school", needsReason: true },
  ],
  objected: [
    { to: "approved", level: "bureau", needsReason: true },
    { to: "rejected", level: "bureau", needsReason: true },
  ],
  approved: [{ to: "paid", level: "bureau" }],
  paid: [],
  rejected: [],
};

export function allowedNext(from: Stage, opts: { directlyUnderCounty?: boolean } = {}): Stage[] {
  return rules[from].filter((r) => !r.directOnly || opts.directlyUnderCounty).map((r) => r.to);
}

export function levelAtLeast(have: Level, need: Level): boolean {
  return Levels.indexOf(have) >= Levels.indexOf(need);
}

/**
 * Check a move; throws AppError with a clear message when refused.
 * `level` undefined means a system actor (seed, imports) with bureau rights.
 */
/** Staff levels in the words staff use. */
export const LevelLabel: Record<Level, string> = { school: "学校", township: "乡镇", bureau: "县教育局" };

/**
 * Check a move; throws AppError with a clear message (Chinese, for staff; the code stays English) when refused.
 * `level` undefined means a system actor (seed, imports) with bureau rights.
 */
export function checkTransition(
  from: Stage,
  to: Stage,
  opts: { directlyUnderCounty?: boolean; level?: Level; reason?: string } = {},
): void {
  const rule = rules[from].find((r) => r.to === to);
  if (!rule || (rule.directOnly && !opts.directlyUnderCounty)) {
    const next = allowedNext(from, opts);
    throw AppError.conflict(
      "invalid_transition",
      `申请不能从「${StageLabel[from]}」(${from}) 改为「${StageLabel[to]}」(${to})；下一步只能是：${next.length ? next.map((s) => `「${StageLabel[s]}」(${s})`).join("、") : "无（已是最终阶段）"}`,
    );
  }
  if (opts.level && !levelAtLeast(opts.level, rule.level)) {
    throw AppError.forbidden(
      "level_too_low",
      `从「${StageLabel[from]}」改为「${StageLabel[to]}」需要${LevelLabel[rule.level]}一级的账号`,
    );
  }
  if (rule.needsReason && !opts.reason?.trim()) {
    throw AppError.validation("reason_required", `从「${StageLabel[from]}」改为「${StageLabel[to]}」需要填写原因`);
  }
}
