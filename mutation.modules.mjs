/**
 * The modules under mutation testing (`npm run mutate`, docs/mutation.md): where a silent bug hurts a family.
 * Each lists the code Stryker mutates and the unit tests (no storage) that must notice. Read by stryker.config.mjs,
 * vitest.mutate.config.ts and scripts/mutation-scores.ts (the per-module table). `file.ts:from-to` mutates only
 * those lines (the storage-free part of a file whose storage calls are tested elsewhere).
 * `MUTATE=<id>[,<id>]` runs only those modules.
 *
 * @type {{ id: string; name: string; mutate: string[]; tests: string[] }[]}
 */
export const mutationModules = [
  {
    id: "masking",
    name: "masking and the personal-data detector",
    mutate: ["core/mask.ts", "core/assistant/llm/redact.ts"],
    tests: ["test/core/mask.test.ts", "test/core/mask.property.test.ts", "test/core/assistant/llm-redact.test.ts"],
  },
  {
    id: "binding",
    name: "binding and its limits",
    mutate: ["core/families/binding.ts", "core/families/limits.ts", "core/families/codes.ts"],
    tests: [
      "test/core/families/codes.test.ts",
      "test/core/families/limits.test.ts",
      "test/core/families/binding.test.ts",
    ],
  },
  {
    id: "stages",
    name: "the stage machine and who may move a stage",
    mutate: ["core/applications/stages.ts", "core/staff/scope.ts:29-46", "core/staff/scope.ts:95-101"],
    tests: ["test/core/applications/stages.test.ts", "test/core/staff/scope.test.ts"],
  },
  {
    id: "payments",
    name: "payment-file validation",
    mutate: ["core/actions/payment-file.ts:108-320", "core/applications/programmes.ts:31-48"],
    tests: [
      "test/core/actions/payment-file.test.ts",
      "test/core/actions/payment-fields.property.test.ts",
      "test/core/actions/payment-jobs.test.ts",
    ],
  },
];

/** The modules chosen by the MUTATE environment variable (all when unset). */
export function selectedModules(env = process.env.MUTATE) {
  if (!env) return mutationModules;
  const ids = env.split(",").map((s) => s.trim());
  const unknown = ids.filter((id) => !mutationModules.some((m) => m.id === id));
  if (unknown.length)
    throw new Error(
      `MUTATE: unknown module ${unknown.join(", ")} (known: ${mutationModules.map((m) => m.id).join(", ")})`,
    );
  return mutationModules.filter((m) => ids.includes(m.id));
}
