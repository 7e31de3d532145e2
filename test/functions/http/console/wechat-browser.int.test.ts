/**
 * Tenant onboarding in the console, in a real headless Chromium: the bureau enters its county's WeChat account,
 * sees only 已设置 and the last four characters afterwards (in the page and in every answer the browser receives),
 * and 测试连接 fetches an access token from the local fake WeChat API; a wrong AppSecret is named in Chinese.
 * Screenshots go to test-artifacts/console-wechat/ (gitignored).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import * as accounts from "../../../../core/accounts/index.js";
import { resetConfig } from "../../../../core/config.js";
import { startFakeWechatApi, type FakeWechatApi } from "../../../../core/local/fake-wechat-api.js";
import { createTenant } from "../../../support/stack.js";
import { openConsole, type ConsoleHarness, firstLogin } from "../../../support/browser.js";

const OUT = join(process.cwd(), "test-artifacts", "console-wechat");
const APP_ID = "wxfedcba9876543210";
const SECRET = "9f8e7d6c5b4a39281706f5e4d3c2QRST";
const TOKEN = "countyToken88";
const AES = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210abcdefg";

let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let fake: FakeWechatApi;
let tenant: string;
let page: Page | undefined;
let previousBase: string | undefined;
const problems: string[] = [];
const answers: string[] = [];

beforeAll(async () => {
  tenant = (await createTenant()).id;
  fake = await startFakeWechatApi({ appId: APP_ID, secret: SECRET });
  previousBase = process.env.WECHAT_API_BASE;
  process.env.WECHAT_API_BASE = fake.url;
  resetConfig();
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await fake?.stop();
  if (previousBase === undefined) delete process.env.WECHAT_API_BASE;
  else process.env.WECHAT_API_BASE = previousBase;
  resetConfig();
});

const shot = (name: string) => page!.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

describe("公众号设置 in the console (Chromium)", () => {
  test("enter the county's account, see only 已设置 and the last four, 测试连接 against the WeChat API", async () => {
    try {
      const bur = await accounts.create(
        { tenant, role: "bureau", id: "admin" },
        { name: "王主任", username: "wangzr", role: "bureau" },
      );
      const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 860 } });
      page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("response", async (r) => {
        if (r.url().includes("/api/")) answers.push(await r.text().catch(() => ""));
      });
      await firstLogin(page, {
        base,
        tenant: tenant,
        username: "wangzr",
        password: bur.password,
        chosen: "Wangzr2025abc",
      });
      await page.getByRole("menuitem", { name: "公众号设置" }).click();

      const state = page.getByTestId("wechat-state");
      await expect.poll(() => state.textContent(), { timeout: 15_000 }).toContain(`/wechat/${tenant}`);
      expect(await state.textContent()).toContain("未设置");
      await page.getByLabel("AppID（开发者ID）").fill(APP_ID);
      await page.getByLabel("AppSecret（开发者密码）").fill(SECRET);
      await page.getByLabel("Token（令牌）").fill(TOKEN);
      await page.getByLabel("EncodingAESKey（消息加解密密钥）").fill(AES);
      await page.getByTestId("wechat-save").click();
      await page.getByText("已保存：AppID、AppSecret、Token、EncodingAESKey").waitFor({ timeout: 15_000 });
      await expect.poll(() => state.textContent()).toContain("已设置（尾号 QRST）");
      expect(await state.textContent()).toContain("已设置（尾号 en88）");
      expect(await state.textContent()).toContain("已设置（尾号 defg）");
      expect(await state.textContent()).toContain("王主任");
      // The fields are empty again: a secret is never put back into the page.
      expect(await page.getByLabel("AppSecret（开发者密码）").inputValue()).toBe("");

      await page.getByTestId("wechat-test").click();
      const result = page.getByTestId("wechat-test-result");
      await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain("连接成功");
      expect(fake.tokenCalls.at(-1)).toMatchObject({ errcode: 0, body: { appid: APP_ID, secret: SECRET } });
      await shot("01-wechat-saved-tested");

      // After a reload the page knows only what the server tells it.
      await page.reload();
      await expect
        .poll(() => page!.getByTestId("wechat-state").textContent(), { timeout: 15_000 })
        .toContain("尾号 QRST");
      const html = await page.content();
      for (const s of [SECRET, TOKEN, AES]) expect(html).not.toContain(s);
      // The AppSecret typed wrong: 测试连接 says which one and where to fix it.
      await page.getByLabel("AppSecret（开发者密码）").fill("00000000000000000000000000000000");
      await page.getByTestId("wechat-save").click();
      await page.getByText("已保存：AppSecret").waitFor({ timeout: 15_000 });
      await page.getByTestId("wechat-test").click();
      await expect
        .poll(() => page!.getByTestId("wechat-test-result").textContent(), { timeout: 15_000 })
        .toContain("AppSecret 不对");
      await shot("02-wechat-wrong-secret");
      // No answer the browser received ever carried a secret or the access token.
      const tokens = fake.tokenCalls.map((t) => t.accessToken).filter((t): t is string => !!t);
      for (const body of answers) {
        for (const s of [SECRET, TOKEN, AES, ...tokens]) expect(body).not.toContain(s);
      }
      expect(answers.length).toBeGreaterThan(3);
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-step.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 180_000);
});
