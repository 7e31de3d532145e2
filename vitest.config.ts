import { configDefaults, defineConfig } from "vitest/config";

/**
 * Three projects, chosen by file name so no list needs keeping:
 * - `integration`: `*.int.test.ts`, against DynamoDB Local and the SQS emulator that test/global-setup.ts starts once
 *   per run (the HTTP API, queues, storage-backed verbs);
 * - `unit`: every other `*.test.ts`, with no storage at all (test/support/no-storage.ts makes a unit test that
 *   reaches DynamoDB or SQS fail at once, naming the operation and the rename that fixes it).
 * - `eval`: test/eval.test.ts, the assistant's quality floors on every question and conversation set (~2,500
 *   answers; no storage, like `unit`, but seconds of work that a change outside the assistant does not need).
 * `npm run test:unit` is the fast loop (threads, no per-file isolation); `npm run test:int` the slow one; `npm test` runs both (after Biome).
 */
const integration = "test/**/*.int.test.ts";
const evalFloors = "test/eval.test.ts";

export default defineConfig({
  test: {
    pool: "forks",
    // Two cores here: more workers only contend for DynamoDB Local's JVM.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, integration, evalFloors],
          setupFiles: ["test/support/no-storage.ts"],
          // Unit files share one module graph per worker thread: the knowledge-base index, the classifier and zod
          // schemas are built once instead of once per file (a unit run takes ~5× less time than with forks).
          // Files that change process-wide state restore it in afterEach (see test/core/log.test.ts).
          pool: "threads",
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "eval",
          include: [evalFloors],
          setupFiles: ["test/support/no-storage.ts"],
          pool: "threads",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: [integration],
          globalSetup: ["test/global-setup.ts"],
          setupFiles: ["test/support/env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
