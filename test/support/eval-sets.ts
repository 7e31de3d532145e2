/**
 * Held-out sets that nobody tuning has read (test/eval/README.md): their floors in test/eval.test.ts are the
 * evidence, and no other test may print their sentences — a failing assertion that lists an unread question would
 * spoil the set for whoever reads the output. When a set is read and tuned on, take it off this list.
 */
export const UNREAD_SETS: readonly string[] = ["holdout-10-", "holdout-11-"];

export const isUnread = (fileName: string) => UNREAD_SETS.some((p) => fileName.startsWith(p));
