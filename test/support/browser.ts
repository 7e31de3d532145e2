/** The Debian Chromium the browser tests drive (CHROMIUM_PATH overrides), its launch flags, and the shared steps. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--host-resolver-rules=MAP localhost 127.0.0.1",
];

export interface ConsoleHarness {
  /** `http://localhost:<port>` of the served app (the console is at `/console`). */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Serves the app on a free local port and launches Chromium; `close` stops both. */
export async function openConsole(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const close = async () => {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { base, browser, close } satisfies ConsoleHarness;
}

/**
 * A staff account's first login as a person does it: the issued password on the login page, then the console's
 * one-time request to choose one's own password.
 */
export async function firstLogin(
  page: Page,
  to: { base: string; tenant: string; username: string; password: string; chosen: string },
): Promise<void> {
  await page.goto(`${to.base}/console?t=${to.tenant}`);
  await page.getByLabel("用户名").fill(to.username);
  await page.getByLabel("密码", { exact: true }).fill(to.password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByText("首次登录：请设置您自己的密码").waitFor();
  await page.getByLabel("当前密码").fill(to.password);
  await page.getByLabel("新密码", { exact: true }).fill(to.chosen);
  await page.getByLabel("再输一次新密码").fill(to.chosen);
  await page.getByRole("button", { name: "保存新密码" }).click();
}

/**
 * Clicks a modal form's submit button and waits until the dialog closes, as a person waits for it. If it stays open
 * (a validation message or an error from the API), the failure says what the dialog shows instead of timing out later
 * on a table that never changed.
 */
export async function submitDialog(page: Page, submit: ReturnType<Page["getByTestId"]>, timeout = 20_000) {
  await submit.click();
  const dialog = page.locator(".ant-modal-wrap:visible");
  try {
    await dialog.waitFor({ state: "hidden", timeout });
  } catch {
    const shown = await dialog.allTextContents().catch(() => []);
    throw new Error(`the dialog stayed open, showing: ${shown.join(" | ") || "(nothing readable)"}`);
  }
}

/**
 * Opens an antd select and picks the option with this title. Under load the first click on the select can land
 * before it is ready and the list never opens; the select is clicked again until the option shows.
 */
export async function pickOption(page: Page, select: Locator, title: string, timeout = 30_000): Promise<void> {
  const option = page.getByTitle(title);
  const until = Date.now() + timeout;
  for (;;) {
    await select.click();
    try {
      await option.waitFor({ state: "visible", timeout: 3_000 });
      await option.click();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await page.keyboard.press("Escape");
    }
  }
}

/**
 * What scrolls sideways on the page as it is now: the page itself, or a table whose content is wider than its box.
 * Run in the page as a string, so test files need no DOM types.
 */
export function sidewaysScroll(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const wide = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1) wide.push("page " + root.scrollWidth + "px");
    for (const t of document.querySelectorAll(".ant-table-content, .ant-table-body"))
      if (t.scrollWidth > t.clientWidth + 1) wide.push("table " + t.scrollWidth + "px in " + t.clientWidth + "px");
    return wide;
  })()`);
}

/**
 * Checks a radio or checkbox that sits in a dialog still opening: antd re-renders the group while its animation runs,
 * and a click in that moment can be lost ("Clicking the checkbox did not change its state"), so it is clicked until
 * it reads as checked.
 */
export async function checkSurely(box: Locator, timeout = 15_000): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    await box.check({ timeout: 5_000 }).catch(() => undefined);
    if (await box.isChecked().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`could not check ${box}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
