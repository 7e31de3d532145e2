/**
 * 本县设置 and the binding slips' QR code, in a real headless Chromium, with two counties on one deployment:
 * - the first county's slips open that county's web chat (`/?tenant=<it>`), and a parent who opens that address and
 *   sends a slip's code is bound there;
 * - the second county's bureau follows the template warning on the notices page to 本县设置, is told in Chinese what
 *   is wrong with a follow link, saves its name, hotline, follow link and template ids (audited), and its slips then
 *   open its Official Account; the warnings are gone from 通知, 公示 and 资金发放;
 * - the bureau adds a school by its Chinese name and township, and the 编号 is made for it;
 * - on a phone the new pages do not scroll sideways.
 * Screenshots go to test-artifacts/console-settings/ (gitignored).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import * as accounts from "../../../../core/accounts/index.js";
import * as audit from "../../../../core/audit/index.js";
import * as tenants from "../../../../core/tenants/index.js";
import {
  openConsole,
  type ConsoleHarness,
  firstLogin,
  pickOption,
  submitDialog,
  sidewaysScroll,
} from "../../../support/browser.js";
import { call, county, studentRow } from "../api/support.js";

const OUT = join(process.cwd(), "test-artifacts", "console-settings");
const FOLLOW = "http://weixin.qq.com/r/q0zJkUvEzy1Xrd3p9x2K";

let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let first: Awaited<ReturnType<typeof county>>;
let second: Awaited<ReturnType<typeof county>>;
let page: Page | undefined;
const problems: string[] = [];

beforeAll(async () => {
  first = await county();
  second = await county();
  for (const [c, names] of [
    [first, ["甲小明", "甲小红"]],
    [second, ["乙小军", "乙小兰"]],
  ] as const) {
    const rows = names.map((n, i) =>
      studentRow(`G51000020160205${c === first ? 1 : 2}00${i}`, n, "a1", { grade: "四年级", class: "2班" }),
    );
    const up = await call(c.tokens.a1, "POST", "/api/students", { students: rows });
    if (up.status !== 200) throw new Error(JSON.stringify(up.body));
  }
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const shot = (name: string) => page!.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

async function bureauLogin(tenant: string, username: string) {
  const made = await accounts.create(
    { tenant, role: "bureau", id: "admin" },
    { name: "赵主任", username, role: "bureau" },
  );
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await firstLogin(page, { base, tenant, username, password: made.password, chosen: "Zhaozr2025abc" });
  await page.getByRole("menuitem", { name: "学生" }).waitFor();
  return page;
}

/** Prints the slips of 城关一小 四年级 2班 and returns what each slip's QR code encodes. */
async function printSlips(p: Page): Promise<{ urls: string[]; text: string }> {
  await p.getByRole("menuitem", { name: "绑定告知单" }).click();
  await pickOption(p, p.getByTestId("slip-school"), "城关一小");
  await pickOption(p, p.getByTestId("slip-grade"), "四年级（2 人）");
  await pickOption(p, p.getByTestId("slip-class"), "2班（2 人）");
  await p.getByTestId("slip-make").click();
  await p.getByRole("button", { name: "生成", exact: true }).click();
  const slips = p.getByTestId("slips");
  await expect.poll(() => slips.locator(".slip").count(), { timeout: 15_000 }).toBe(2);
  expect(await slips.locator(".slip canvas, .slip svg").count()).toBe(2);
  const qrs = slips.getByTestId("slip-qr");
  const urls = await qrs.evaluateAll((els) => els.map((e) => e.getAttribute("data-url") ?? ""));
  return { urls, text: (await slips.textContent()) ?? "" };
}

describe("本县设置 and each county's binding slips (Chromium)", () => {
  test("the first county's slips open its own web chat, where a slip's code binds", async () => {
    try {
      const p = await bureauLogin(first.tenant, "zhaozr1");
      const { urls, text } = await printSlips(p);
      expect(urls).toEqual([`${base}/?tenant=${first.tenant}`, `${base}/?tenant=${first.tenant}`]);
      expect(text).toContain("打开资助助手");
      await shot("01-first-county-slips");
      const code = /绑定码 (\d{4} \d{4} \d{4})/.exec(text)?.[1];
      expect(code).toBeDefined();

      // The parent scans: the address on the slip opens the first county's web chat, and the code binds there.
      const chat = await p.context().newPage();
      await chat.goto(urls[0]!);
      await expect.poll(() => chat.locator(".msg.bot").first().textContent(), { timeout: 15_000 }).toBeTruthy();
      await chat.fill("#text", `绑定码 ${code}`);
      await chat.click("#send");
      await expect
        .poll(() => chat.locator(".msg.bot:not(.wait)").last().textContent(), { timeout: 15_000 })
        .toMatch(/绑定成功|已绑定|已经绑定/);
      await chat.screenshot({ path: join(OUT, "02-parent-bound-in-first-county.png"), fullPage: true });
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-first.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 180_000);

  test("the second county fills 本县设置 from the template warning, and its slips then open its Official Account", async () => {
    try {
      const p = await bureauLogin(second.tenant, "zhaozr2");
      // Before: its slips open its own web chat, not the first county's.
      expect((await printSlips(p)).urls).toEqual([
        `${base}/?tenant=${second.tenant}`,
        `${base}/?tenant=${second.tenant}`,
      ]);

      // 资金发放 and the 公示 wizard warn about their own missing templates before anything is sent.
      await p.getByRole("menuitem", { name: "资金发放" }).click();
      await expect
        .poll(() => p.getByTestId("template-warning").allTextContents(), { timeout: 15_000 })
        .toEqual([expect.stringContaining("「资助金发放通知」模板")]);
      await p.getByRole("menuitem", { name: "公示" }).click();
      await p.getByTestId("new-list").click();
      await expect
        .poll(() => p.getByTestId("template-warning").allTextContents(), { timeout: 15_000 })
        .toEqual([expect.stringContaining("「资助公示通知」模板")]);

      // The notices page warns that the school-notice template is missing and leads to 本县设置.
      await p.getByRole("menuitem", { name: "通知" }).click();
      const warning = p.getByTestId("template-warning");
      await expect.poll(() => warning.first().textContent(), { timeout: 15_000 }).toContain("学校通知");
      await warning.first().getByTestId("to-settings").click();
      await p.getByText("绑定告知单二维码打开").waitFor({ timeout: 15_000 });
      expect(await p.getByTestId("settings-slip-url").textContent()).toBe(`${base}/?tenant=${second.tenant}`);
      await shot("03-settings-before");

      // A follow link without http:// is refused at its field, in Chinese.
      await p.getByLabel("公众号关注链接").fill("weixin.qq.com/r/q0zJk");
      await p.getByTestId("settings-save").click();
      await expect
        .poll(() => p.getByTestId("settings-error").textContent(), { timeout: 15_000 })
        .toContain("公众号关注链接：应为完整的网址");
      await expect
        .poll(() => p.locator(".ant-form-item-explain-error").allTextContents(), { timeout: 15_000 })
        .toContainEqual(expect.stringMatching(/^应为完整的网址，以 http:\/\/ 或 https:\/\/ 开头/));
      await shot("04-settings-bad-link");

      await p.getByLabel("县（区）名称").fill("乙县学生资助管理中心");
      await p.getByLabel("咨询电话").fill("0839-7205678");
      await p.getByLabel("公众号关注链接").fill(FOLLOW);
      await p.getByLabel("公示通知模板 ID").fill("tplPublicity_01");
      await p.getByLabel("发放通知模板 ID").fill("tplPayment_02");
      await p.getByLabel("学校通知模板 ID").fill("tplBroadcast_03");
      await p.getByTestId("settings-save").click();
      await p
        .getByText("已保存：县（区）名称、咨询电话、公众号关注链接、公示通知模板 ID、发放通知模板 ID、学校通知模板 ID")
        .waitFor({ timeout: 15_000 });
      await expect.poll(() => p.getByTestId("settings-slip-url").textContent()).toBe(FOLLOW);
      expect(await p.getByTestId("template-warning").count()).toBe(0);
      // The refusal of the bad link a moment ago is gone once the good one is saved.
      await expect.poll(() => p.locator(".ant-form-item-explain-error").count(), { timeout: 10_000 }).toBe(0);
      await shot("05-settings-saved");

      const saved = await tenants.fromId(second.tenant);
      expect(saved).toMatchObject({
        name: "乙县学生资助管理中心",
        hotline: "0839-7205678",
        followUrl: FOLLOW,
        templates: { publicity: "tplPublicity_01", payment: "tplPayment_02", broadcast: "tplBroadcast_03" },
      });
      const trail = await audit.trail(second.tenant, `tenant:${second.tenant}`);
      expect(trail.find((t) => t.action === "tenant_settings")?.actor.name).toContain("赵主任");
      // The first county is untouched.
      expect((await tenants.fromId(first.tenant))?.followUrl).toBeUndefined();

      // Its slips now open its Official Account, with the county's name and hotline on them.
      const after = await printSlips(p);
      expect(after.urls).toEqual([FOLLOW, FOLLOW]);
      expect(after.text).toContain("关注公众号");
      expect(after.text).toContain("乙县学生资助管理中心");
      expect(after.text).toContain("0839-7205678");
      await shot("06-second-county-slips");

      // No template warning is left on the pages that send notices.
      for (const [menu, ready] of [
        ["通知", "发送通知"],
        ["资金发放", "资金发放（导入银行发放明细）"],
        ["公示", "发布公示"],
      ] as const) {
        await p.getByRole("menuitem", { name: menu }).click();
        if (menu === "公示") await p.getByTestId("new-list").click();
        await p.getByText(ready).first().waitFor({ timeout: 15_000 });
        // The settings are read once the page is up: give the read its time before counting no warning.
        await p.waitForLoadState("networkidle");
        expect(await p.getByTestId("template-warning").count()).toBe(0);
      }
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-second.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 240_000);
  test("the bureau adds a school by its Chinese name and township; the 编号 is made for it", async () => {
    try {
      const p = await bureauLogin(second.tenant, "zhaozr3");
      await p.getByRole("menuitem", { name: "学校", exact: true }).click();
      const table = p.getByTestId("school-table");
      await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain("城关一小");
      await p.getByTestId("school-add").click();
      await p.getByLabel("学校名称").fill("青松镇中心小学");
      // A township typed short of its name is said to be new before anything is saved.
      await p.getByLabel("所在乡镇").fill("城关");
      await p.getByText("“城关”是新的乡镇：请核对写法").waitFor({ timeout: 15_000 });
      await p.getByLabel("所在乡镇").fill("");
      await pickOption(p, p.getByLabel("所在乡镇"), "城关镇");
      await expect.poll(() => p.getByText("是新的乡镇").count()).toBe(0);
      await shot("07-school-add");
      await submitDialog(p, p.getByRole("button", { name: "添加", exact: true }));
      await p.getByText("已添加：青松镇中心小学（编号 qszzxxx）").waitFor({ timeout: 15_000 });
      const row = table.locator("tr").filter({ hasText: "青松镇中心小学" });
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain("qszzxxx");
      expect(await row.textContent()).toContain("城关镇");
      await shot("08-school-added");

      // The same name again is refused in the dialog, in Chinese.
      await p.getByTestId("school-add").click();
      await p.getByLabel("学校名称").fill("青松镇中心小学");
      await p.getByLabel("所在乡镇").fill("城关镇");
      await p.getByRole("button", { name: "添加", exact: true }).click();
      await expect
        .poll(() => p.getByTestId("school-error").textContent(), { timeout: 15_000 })
        .toContain("已有同名学校「青松镇中心小学」");
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-school.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 180_000);
  test("on a phone (390×844) 本县设置, 学校 and 绑定告知单 fit the screen: nothing scrolls sideways", async () => {
    try {
      const made = await accounts.create(
        { tenant: second.tenant, role: "bureau", id: "admin" },
        { name: "钱主任", username: "qianzr", role: "bureau" },
      );
      const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 } });
      const p = await context.newPage();
      page = p;
      p.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      await firstLogin(p, {
        base,
        tenant: second.tenant,
        username: "qianzr",
        password: made.password,
        chosen: "Qianzr2025abc",
      });
      await p.getByRole("button", { name: "退出" }).waitFor({ timeout: 30_000 });
      const overflow = () => sidewaysScroll(p);
      const seen: Record<string, string[]> = {};
      for (const [name, ready] of [
        ["本县设置", "绑定告知单二维码打开"],
        ["学校", "城关一小"],
        ["绑定告知单", "生成告知单"],
      ] as const) {
        const drawer = p.locator(".ant-drawer-content-wrapper");
        await p.getByRole("button", { name: "菜单" }).click();
        await p.getByRole("menuitem", { name, exact: true }).click();
        await drawer.first().waitFor({ state: "hidden", timeout: 10_000 });
        await p.getByText(ready).first().waitFor({ timeout: 15_000 });
        await p.waitForLoadState("networkidle");
        seen[name] = await overflow();
        await shot(`09-phone-${name}`);
      }
      expect(Object.entries(seen).filter(([, wide]) => wide.length > 0)).toEqual([]);
      await context.close();
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-phone.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 180_000);
});
