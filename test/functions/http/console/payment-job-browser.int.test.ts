/**
 * A long payment file in the staff console, in a real headless Chromium (issue 12 item 7, "a progress bar on long
 * files"): the bureau picks a bank file of 1,200 rows; the preview says it is long and lists its first rows; after
 * confirming, a progress card reads the job (GET /api/jobs/{id}) while the imports queue checks and pays it, and ends
 * with the result; then the families' notices go out. Screenshots go to test-artifacts/console-payment-job/.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import * as accounts from "../../../../core/accounts/index.js";
import * as applications from "../../../../core/applications/index.js";
import { app } from "../../../../functions/http/app.js";
import { startQueueRunner, type Runner } from "../../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../../functions/queues/fanout.js";
import { handler as imports } from "../../../../functions/queues/imports.js";
import { openConsole, firstLogin, type ConsoleHarness } from "../../../support/browser.js";
import { seedApprovedStudents, setupWorld, type World } from "../../queues/support.js";

const OUT = join(process.cwd(), "test-artifacts", "console-payment-job");
const ROWS = 1200;

let w: Omit<World, "kids">;
let runner: Runner;
let harness: ConsoleHarness | undefined;
let seeded: { studentNo: string; appId: string }[];
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  w = await setupWorld();
  seeded = await seedApprovedStudents(w.tenant, "G78", ROWS);
  runner = startQueueRunner({ handlers: { imports, fanout, delivery }, concurrency: 2 });
  harness = await openConsole(app);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await runner?.stop();
  await w?.fake.stop();
});

const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

describe("a long payment file in the console (Chromium)", () => {
  test("preview says it is long → confirm → a progress bar through checking and paying → the result → notices", async () => {
    try {
      const made = await accounts.create(
        { tenant: w.tenant, role: "bureau", id: "admin" },
        { name: "赵主任", username: "zhaojob", role: "bureau" },
      );
      const context = await harness!.browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      await firstLogin(page, {
        base: harness!.base,
        tenant: w.tenant,
        username: "zhaojob",
        password: made.password,
        chosen: "Zizhu2025ok",
      });
      await page.getByRole("button", { name: "退出" }).waitFor();
      const item = page.getByRole("menuitem", { name: "资金发放" });
      if (!(await item.isVisible())) await page.getByRole("button", { name: "菜单" }).click();
      await item.click();

      const file = join(OUT, "发放明细-长.csv");
      const lines = seeded.map(
        (s) => `JOB-UI-1,${s.studentNo},义务教育家庭经济困难学生生活补助,2025年秋季学期,625.00,2025-11-18,0042`,
      );
      writeFileSync(file, ["批次号,学籍号,项目,学期,发放金额（元）,发放日期,卡号后四位", ...lines].join("\r\n"));
      await page.locator("input[type=file]").setInputFiles(file);
      await page.getByTestId("payment-long").waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("payment-long").textContent()).toContain(`共 ${ROWS} 行`);
      await page.getByText(`${ROWS} 笔，合计 750000.00 元`).waitFor();
      await shot("01-preview-long");

      await page.getByTestId("payment-commit").click();
      const status = page.getByTestId("import-job-status");
      await status.waitFor({ timeout: 30_000 });
      // Read the card as a person watches it, until it says the batch is through.
      const seen = new Set<string>();
      const percents: number[] = [];
      const deadline = Date.now() + 180_000;
      for (;;) {
        const text = (await status.textContent()) ?? "";
        seen.add(text.replace(/\d+ \/ \d+/, "N / M"));
        const now = await page.getByTestId("import-job-progress").getAttribute("aria-valuenow");
        if (now !== null) percents.push(Number(now));
        if (text.startsWith("已完成")) break;
        if (text.includes("未做任何发放")) throw new Error(`the job was refused: ${text}`);
        if (Date.now() > deadline) throw new Error(`the job did not finish; the card says: ${text}`);
        if (seen.size === 2) await shot("02-progress");
        await page.waitForTimeout(300);
      }
      expect(await status.textContent()).toBe(`已完成：发放 ${ROWS} 笔，合计 750000.00 元；家长将收到到账通知`);
      expect([...seen].some((t) => t.startsWith("第一步") || t.startsWith("第二步"))).toBe(true);
      for (let i = 1; i < percents.length; i++) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]!);
      await page.getByTestId("batch-progress").waitFor({ timeout: 30_000 });
      await shot("03-done");

      for (const s of [seeded[0]!, seeded[ROWS - 1]!])
        expect((await applications.fromId(w.tenant, s.appId))?.stage).toBe("paid");
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failure.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 300_000);
});
