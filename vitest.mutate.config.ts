/**
 * The vitest run Stryker uses (stryker.config.mjs): only the unit tests of the modules under mutation
 * (mutation.modules.mjs), with the unit project's no-storage guard, so a mutant is judged without DynamoDB Local.
 */
import { defineConfig } from "vitest/config";
import { selectedModules } from "./mutation.modules.mjs";

export default defineConfig({
  test: {
    include: [...new Set(selectedModules().flatMap((m) => m.tests))],
    setupFiles: ["test/support/no-storage.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
