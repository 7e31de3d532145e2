// @ts-check
/**
 * Mutation testing (`npm run mutate`; not part of `npm test` or CI): docs/mutation.md. The modules and their tests
 * are listed in mutation.modules.mjs; vitest.mutate.config.ts runs only those unit tests (no DynamoDB Local).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import { selectedModules } from "./mutation.modules.mjs";

export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutate.config.ts", related: false },
  mutate: selectedModules().flatMap((m) => m.mutate),
  coverageAnalysis: "perTest",
  // Two cores, shared with other work.
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignorePatterns: ["console", ".data", "reports", "test-artifacts", ".sst", "coverage"],
  thresholds: { high: 90, low: 85, break: null },
};
