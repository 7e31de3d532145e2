/**
 * A class notice in the staff console, in a real headless Chromium: the school's aid officer picks a grade and a
 * class from the values that exist, sees how many families each channel reaches, sends; the history shows the
 * notice finishing with its counts (fan-out and delivery run on the local queues, WeChat is the fake API); the
 * follow-up list names the families not reached with the reason and the guardian's phone, and one is marked told
 * in person; then the class's binding slips are printed and a parent binds with the code on one. Screenshots go to test-artifacts/console-notices/ (gitignored).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import * as accounts from "../../../../core/accounts/index.js";
import * as audit from "../../../../core/audit/index.js";
import { startQueueRunner, type Runner } from "../../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../../functions/queues/fanout.js";
import { SCHOOL, TEMPLATES, addKids, sendsByUser, setupWorld, type Kid, type World } from "../../queues/support.js";

import { openConsole, type ConsoleHarness, firstLogin, pickOption } from "../../../support/browser.js";
const OUT = join(process.cwd(), "test-artifacts", "console-notices");

let w: Omit<World, "kids">;
let runner: Runner;
let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let kids: Kid[];
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  w = await setupWorld();
  // 一年级 1班: kids 0 and 1 have no linked guardian, 2 reads the web chat, 3–5 WeChat. 二年级 2班 is not addressed.
  kids = await addKids(w.tenant, 6, {
    guardians: (i) => (i < 2 ? 0 : 1),
    web: (i) => i === 2,
    grade: () => "一年级",
    klass: () => "1班",
  });
  await addKids(w.tenant, 3, { guardians: () => 1, grade: () => "二年级", klass: () => "2班" });
  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await runner?.stop();
  await w?.fake.stop();
});

const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

describe("class notices in the console (Chromium)", () => {
  test("compose with the classes that exist → recipient count → send → report → follow-up with phones → told in person", async () => {
    try {
      const sch = await accounts.create(
        { tenant: w.tenant, role: "bureau", id: "admin" },
        { name: "李老师", username: "lils", role: "school", schoolId: SCHOOL },
      );
      const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 860 } });
      page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      await firstLogin(page, {
        base,
        tenant: w.tenant,
        username: "lils",
        password: sch.password,
        chosen: "Lils2025abc",
      });
      await page.getByRole("menuitem", { name: "通知" }).click();

      // The audience comes from the students as imported: 一年级 / 1班, not typed.
      await pickOption(page, page.getByTestId("notice-grade"), "一年级（6 人）");
      await pickOption(page, page.getByTestId("notice-class"), "1班（6 人）");
      const count = page.getByTestId("notice-count");
      await expect.poll(() => count.textContent(), { timeout: 15_000 }).toContain("共 6 名学生");
      expect(await count.textContent()).toMatch(/微信可送达 3.*网页聊天可送达 1.*家长未绑定 2/);
      // The tests run without quiet hours (test/support/env.ts); the composer says so rather than nothing.
      expect(await page.getByTestId("quiet-hours").textContent()).toMatch(/免打扰时段/);
      expect(await page.getByTestId("template-warning").count()).toBe(0);
      await page.getByTestId("notice-text").fill("一年级1班本周五下午3点召开家长会，请准时到校。");
      await page.getByTestId("notice-urgent").click();
      await shot("11-compose-count");
      await page.getByTestId("notice-send").click();
      // Nothing goes out before the officer confirms, with the counts that can and cannot receive it.
      const confirm = page.getByTestId("notice-confirm");
      await confirm.waitFor({ timeout: 15_000 });
      expect(await confirm.textContent()).toMatch(/共 6 名学生.*微信可送达 3 名.*网页聊天可送达 1 名.*家长未绑定 2 名/);
      expect(await confirm.textContent()).toContain("实际能收到的是 4 名学生的家长");
      await shot("11b-confirm");
      expect(await page.getByTestId("notice-history").textContent()).not.toContain("家长会");
      await page.getByRole("button", { name: "确认发送" }).click();
      await page
        .getByText("通知已提交：4 名学生的家长可以收到（微信 3、网页聊天 1）；另有 2 名收不到")
        .waitFor({ timeout: 15_000 });

      // The history fills in: done, 4 of 6 students reached.
      const history = page.getByTestId("notice-history");
      await expect.poll(() => history.textContent(), { timeout: 60_000 }).toContain("已发完");
      expect(await history.textContent()).toContain("4 / 6 名学生");
      await shot("12-history-report");
      const sends = sendsByUser(w.fake);
      for (const k of kids.slice(3))
        expect(sends.get(k.users[0]!.slice(7))?.[0]?.template_id).toBe(TEMPLATES.broadcast);

      // Follow-up: the two families not reached, with the reason and the guardian's phone.
      await history.getByRole("button", { name: "送达情况" }).click();
      const table = page.getByTestId("follow-up");
      await expect.poll(() => table.locator("tr.ant-table-row").count(), { timeout: 15_000 }).toBe(2);
      const text = (await table.textContent()) ?? "";
      expect(text).toContain("家长未绑定");
      expect(text).toContain(kids[0]!.name);
      expect(text).toContain("13800001234");
      expect(text).toContain("1班");
      await shot("13-follow-up");
      await table.getByRole("button", { name: "登记为已当面告知" }).first().click();
      await table.getByText("已告知 · 李老师").waitFor({ timeout: 15_000 });
      await shot("14-told-in-person");
      const trails = await Promise.all(kids.slice(0, 2).map((k) => audit.trail(w.tenant, k.id)));
      expect(trails.flat().filter((a) => a.action === "told_in_person")).toHaveLength(1);
      expect(trails.every((t) => t.some((a) => a.action === "view_unmasked"))).toBe(true);

      // The two families never linked get a binding slip: one per pupil of the class, with a QR code and a code.
      await page.getByRole("menuitem", { name: "绑定告知单" }).click();
      // The officer's one school is chosen for them once the classes have loaded (a disabled select ignores clicks).
      await expect.poll(() => page.getByTestId("slip-school").textContent(), { timeout: 15_000 }).toContain("向阳小学");
      await pickOption(page, page.getByTestId("slip-grade"), "一年级（6 人）");
      await pickOption(page, page.getByTestId("slip-class"), "1班（6 人）");
      await page.getByTestId("slip-make").click();
      await page.getByRole("button", { name: "生成", exact: true }).click();
      const slips = page.getByTestId("slips");
      await expect.poll(() => slips.locator(".slip").count(), { timeout: 15_000 }).toBe(6);
      expect(await slips.locator(".slip canvas, .slip svg").count()).toBe(6); // the QR codes
      const sheet = (await slips.textContent()) ?? "";
      for (const k of kids) {
        expect(sheet).toContain(k.name);
        expect(sheet).not.toContain(k.studentNo);
      }
      await shot("15-binding-slips");
      // A parent sends the code printed on the first child's slip in the web chat, and is bound.
      const slip = slips.locator(".slip").filter({ hasText: kids[0]!.name });
      const code = /绑定码 (\d{4} \d{4} \d{4})/.exec((await slip.textContent()) ?? "")?.[1];
      expect(code).toBeDefined();
      const chat = await app.request(`/chat/${w.tenant}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: `绑定码 ${code}` }),
      });
      const reply = ((await chat.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
      expect(reply).toMatch(/绑定成功|已绑定|已经绑定/);
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-step.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 240_000);
});
