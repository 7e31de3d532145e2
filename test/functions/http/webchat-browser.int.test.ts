/**
 * The web chat page in a real headless Chromium (Debian's, driven by playwright-core), served by
 * @hono/node-server against the local stack with the real assistant: type a question, tap a quick button, see
 * the cited answers. Leaves a phone-sized screenshot at test-artifacts/webchat.png. A parent who asked for a person
 * sees the staff reply arrive on the open page without typing anything, once, and still sees the conversation after
 * a reload.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serve, type ServerType } from "@hono/node-server";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { app } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";
import * as handoffs from "../../../core/actions/handoffs.js";
import type { Staff } from "../../../core/staff/index.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SCREENSHOT = join(process.cwd(), "test-artifacts", "webchat.png");

let server: ServerType;
let base: string;
let context: BrowserContext;
let profile: string;
let tenant: string;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH. CI installs it.`,
    );
  }
  tenant = (await createTenant()).id;
  server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), "zizhu-chromium-"));
  // A fresh profile directory per run; a cheap Android phone: 360 × 740 CSS pixels.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) problems.push(`external request: ${r.url()}`);
  });
  await page.goto(`${base}/?tenant=${tenant}`);
  return page;
}

const lastBot = (page: Page) => page.locator(".msg.bot:not(.wait)").last();

describe("web chat page in Chromium", () => {
  test("a grandparent types a question, taps the quick buttons and sees cited answers", async () => {
    const page = await openPage();
    await expect.poll(() => page.locator(".msg.bot").first().textContent()).toContain("资助通");

    // Type a question.
    await page.fill("#text", "小学住校一年补多少");
    await page.click("#send");
    await expect.poll(() => lastBot(page).textContent(), { timeout: 15_000 }).toContain("1250");
    expect(await lastBot(page).locator(".source").textContent()).toContain("来源");
    expect(await page.locator(".msg.me").last().textContent()).toBe("小学住校一年补多少");

    // Quick button: 查进度 (needs binding first).
    await page.getByRole("button", { name: "查进度", exact: true }).click();
    await expect.poll(() => lastBot(page).textContent(), { timeout: 15_000 }).toContain("绑定");

    // Quick button: 政策 → pick a school stage → a cited answer.
    await page.getByRole("button", { name: "政策", exact: true }).click();
    await page.getByRole("button", { name: "小学、初中", exact: true }).click();
    await expect.poll(() => lastBot(page).textContent(), { timeout: 15_000 }).toContain("寄宿生");
    expect(await lastBot(page).locator(".source").textContent()).toContain("来源");

    // Readable: body text at least 20 px, buttons at least 48 px tall.
    const fontPx = await page
      .locator(".msg.bot")
      .first()
      .evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(20);
    const buttonHeight = await page
      .getByRole("button", { name: "绑定", exact: true })
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(buttonHeight).toBeGreaterThanOrEqual(48);

    // The session survives a reload (kept in localStorage).
    const session = await page.evaluate(
      (t) =>
        (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem(
          `zizhu.session.${t}`,
        ),
      tenant,
    );
    expect(session).toMatch(/^[A-Za-z0-9_-]{22}$/);

    mkdirSync(join(process.cwd(), "test-artifacts"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test("a parent who asked for a person sees the teacher's reply appear by itself, once, and after a reload", async () => {
    // A parent new to the chat on this phone (the first test's conversation is kept in the same profile).
    const page = await openPage();
    await page.evaluate("localStorage.clear()");
    await page.reload();
    await expect.poll(() => page.locator(".msg").count()).toBe(1);
    await page.getByRole("button", { name: "人工", exact: true }).click();
    await expect.poll(() => lastBot(page).textContent(), { timeout: 15_000 }).toContain("转人工");

    // The county officer claims the request and answers it from the console's verbs; the parent types nothing.
    const staff: Staff = {
      tokenId: "acc:wangzr",
      tenant,
      role: "bureau",
      person: "王主任（县资助中心）",
      username: "wangzr",
    };
    const open = await handoffs.openInbox(staff);
    expect(open.items).toHaveLength(1);
    await handoffs.claim(staff, open.items[0]!.id);
    const sent = await handoffs.reply(staff, open.items[0]!.id, "您好，补助下周一发到一卡通。");
    expect(sent.delivery).toBe("web");

    const notices = page.locator(".msg.notice");
    await expect.poll(() => notices.count(), { timeout: 20_000 }).toBe(1);
    expect(await notices.first().textContent()).toContain("老师回复");
    expect(await notices.first().textContent()).toContain("补助下周一发到一卡通");
    const mine = await page.locator(".msg.me").count();
    expect(mine).toBe(1);

    // Focus and later looks do not show it again; the next message does not repeat it either.
    await page.evaluate('dispatchEvent(new Event("focus"))');
    await page.fill("#text", "谢谢老师");
    await page.click("#send");
    await expect.poll(() => page.locator(".msg.me").count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.locator(".msg.bot.wait").count(), { timeout: 15_000 }).toBe(0);
    expect(await notices.count()).toBe(1);

    // A reload shows the same conversation.
    const before = await page.locator(".msg").allTextContents();
    await page.reload();
    await expect.poll(() => page.locator(".msg").allTextContents(), { timeout: 15_000 }).toEqual(before);
    expect(await page.locator(".msg.notice").count()).toBe(1);

    // What the phone keeps of the conversation holds no long numbers (学籍号, phones).
    await page.fill("#text", "我电话 13800004321");
    await page.click("#send");
    await expect.poll(() => page.locator(".msg.me").count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => page.locator(".msg.bot.wait").count(), { timeout: 15_000 }).toBe(0);
    const kept = String(await page.evaluate(`localStorage.getItem("zizhu.log.${tenant}")`));
    expect(kept).toContain("我电话 13****21");
    expect(kept).not.toContain("13800004321");
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
