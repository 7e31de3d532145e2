/**
 * The county dashboard in the staff console, in a real headless Chromium: the bureau opens 数据看板 and reads the
 * term's 资助人数 / 金额, the charts (ECharts, loaded with the page) and the per-programme and per-school tables —
 * and the figures shown equal the application records. Screenshot in test-artifacts/console-dashboard/.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import * as applications from "../../../../core/applications/index.js";
import { ensureFirstBureauAccount } from "../../../../core/accounts/index.js";
import { OTHER_SCHOOL, addKids, api, setupWorld, type Kid, type World } from "../../queues/support.js";
import { openConsole, type ConsoleHarness, firstLogin } from "../../../support/browser.js";

const OUT = join(process.cwd(), "test-artifacts", "console-dashboard");
const HEADER = "batch_id,student_no,programme,term,amount,paid_date,account_last4";
const now = new Date();
/** The term the page opens on (the first of labels.ts terms()): this year's autumn. */
const term = `${now.getFullYear()}-autumn`;

let w: Omit<World, "kids">;
let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let page: Page;
let kids: Kid[];
const problems: string[] = [];

beforeAll(async () => {
  w = await setupWorld();
  const approved = { programme: "compulsory_living" as const, term, stage: "approved" as const, amountFen: 62500 };
  kids = [
    ...(await addKids(w.tenant, 5, { guardians: () => 1, application: approved })),
    ...(await addKids(w.tenant, 2, { guardians: () => 1, schoolId: OTHER_SCHOOL, application: approved })),
  ];
  const csv = [
    HEADER,
    ...kids
      .slice(0, 4)
      .map((k) => ["B-UI", k.studentNo, "compulsory_living", term, "625.00", "2025-11-18", "0042"].join(",")),
  ].join("\n");
  expect((await api(w.bureau, "POST", "/api/payments", csv)).status).toBe(201);
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await w?.fake.stop();
});

describe("the county dashboard in the console (Chromium)", () => {
  test("the bureau reads the term's 资助人数 and 金额, charts and tables, equal to the records", async () => {
    try {
      const records = await Promise.all(kids.map((k) => applications.fromId(w.tenant, k.appId!)));
      const paid = records.filter((a) => a!.stage === "paid");
      const paidYuan = paid.reduce((n, a) => n + a!.payment!.amountFen, 0) / 100;
      expect(paid).toHaveLength(4);

      const first = await ensureFirstBureauAccount(w.tenant);
      const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 1000 } });
      page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      await firstLogin(page, {
        base,
        tenant: w.tenant,
        username: first.username,
        password: first.password!,
        chosen: "Bureau2025abc",
      });
      await page.getByRole("menuitem", { name: "数据看板" }).click();

      const totals = page.getByTestId("dashboard-totals");
      await totals.waitFor({ timeout: 30_000 });
      const text = (await totals.textContent()) ?? "";
      expect(text).toContain(`资助人数（已发放）${paid.length}人`);
      expect(text).toContain(`${paidYuan.toLocaleString("zh-CN", { minimumFractionDigits: 2 })}元`);
      expect(text).toContain(`申请总数${records.length}份`);
      // Four charts drawn by ECharts on canvases.
      for (const id of ["chart-programme", "chart-township", "chart-stages", "chart-reach"])
        await page.getByTestId(id).locator("canvas").first().waitFor({ timeout: 15_000 });
      const programmes = (await page.getByTestId("dashboard-programmes").textContent()) ?? "";
      expect(programmes).toContain("义务教育家庭经济困难学生生活补助");
      const schools = page.getByTestId("dashboard-schools").locator("tr.ant-table-row");
      expect(await schools.count()).toBe(2);
      expect(await schools.first().textContent()).toContain("向阳小学");
      expect(await schools.first().textContent()).toContain("2,500.00");
      expect(await page.getByTestId("dashboard-reach").textContent()).toContain("通知 1 次");
      await page.screenshot({ path: join(OUT, "31-dashboard.png"), fullPage: true });
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-step.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 240_000);
});
