/**
 * The handoff inbox in the staff console, in a real headless Chromium: a WeChat parent in crisis and a web-chat
 * parent asking for a person both reach the school's inbox, the crisis first and marked; the school's officer
 * claims the crisis request and answers it (the reply reaches the fake WeChat API as a customer-service
 * message), then claims the web request, reads the masked conversation, answers (the reply reaches the parent's
 * web chat with their next message, while the bot stays quiet), and closes it with a note. Expanding a row (展开行)
 * shows the whole message beside the status (the rows' `children` once read as antd tree data and blanked the page);
 * the 已结束 filter finds the closed request.
 * Screenshots go to test-artifacts/console-handoffs/ (gitignored).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import { defaultReply } from "../../../../core/channels/reply.js";
import * as accounts from "../../../../core/accounts/index.js";
import * as audit from "../../../../core/audit/index.js";
import * as students from "../../../../core/students/index.js";
import { FAKE_WECHAT_PATHS } from "../../../fakes/wechat-api.js";
import { SCHOOL, addKids, setupWorld, type Kid, type World } from "../../queues/support.js";
import { openConsole, type ConsoleHarness, firstLogin } from "../../../support/browser.js";

const OUT = join(process.cwd(), "test-artifacts", "console-handoffs");

let w: Omit<World, "kids">;
let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let wechatKid: Kid;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  w = await setupWorld();
  wechatKid = (await addKids(w.tenant, 1, { guardians: () => 1 }))[0]!;
  await students.upsert(w.tenant, {
    studentNo: "G510000201601016655",
    name: "周小禾",
    schoolId: SCHOOL,
    grade: "四年级",
    class: "1班",
    guardians: [{ name: "家长", relation: "母亲", phone: "13800004321" }],
  });
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await w?.fake.stop();
});

const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

let ip = 0;
async function parentSays(text: string, session?: string) {
  const res = await app.request(
    `/chat/${w.tenant}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, ...(session ? { session } : {}) }),
    },
    { incoming: { socket: { remoteAddress: `203.0.113.${++ip}` } } },
  );
  const body = (await res.json()) as { session: string; replies: { text: string }[]; inbox: { text: string }[] };
  return {
    session: body.session,
    text: body.replies.map((r) => r.text).join("\n"),
    inbox: body.inbox.map((n) => n.text).join("\n"),
  };
}

describe("the handoff inbox in the console (Chromium)", () => {
  test("crisis first → claim → reply reaches WeChat; web request → masked conversation → reply reaches the web chat → close", async () => {
    try {
      // Two families ask for a person: a WeChat parent in crisis (through the reply path the webhook uses), and a
      // web-chat parent who binds and asks, leaving a phone number in the message.
      const openId = wechatKid.users[0]!.slice("wechat:".length);
      const crisis = await defaultReply({
        tenant: w.tenant,
        userKey: wechatKid.users[0]!,
        channel: "wechat",
        text: "孩子在学校被人打了，流了很多血",
      });
      expect(crisis.replies.map((r) => r.text).join("")).toContain("110");
      const bound = await parentSays("绑定 周小禾 G510000201601016655 4321");
      const session = bound.session;
      expect((await parentSays("我要找人工，我电话 139 8765 4321", session)).text).toContain("转人工");

      const sch = await accounts.create(
        { tenant: w.tenant, role: "bureau", id: "admin" },
        { name: "李老师", username: "lihd", role: "school", schoolId: SCHOOL },
      );
      const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 860 } });
      page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      await firstLogin(page, {
        base,
        tenant: w.tenant,
        username: "lihd",
        password: sch.password,
        chosen: "Lihd2025abc",
      });
      // The header names the school the officer works for.
      await page.getByText("李老师（向阳小学 · 学校资助专干）").waitFor({ timeout: 15_000 });
      await page.getByRole("menuitem", { name: "家长求助" }).click();

      const inbox = page.getByTestId("handoff-inbox");
      const rows = inbox.locator("tr.ant-table-row");
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
      expect(await rows.first().textContent()).toContain("危机");
      expect(await rows.nth(1).textContent()).toContain("周*禾");
      expect(await rows.nth(1).textContent()).not.toContain("13987654321");
      expect(await page.getByTestId("handoff-counts").textContent()).toContain("待认领 2");
      await shot("21-inbox-crisis-first");

      // The row's expand control (展开行) shows the whole message and the children, beside — not over — the status.
      const expand = rows.nth(1).locator(".ant-table-row-expand-icon");
      await expand.click();
      const expanded = page.getByTestId("handoff-expanded");
      await expanded.waitFor({ timeout: 15_000 });
      expect(await expanded.textContent()).toContain("我要找人工");
      expect(await expanded.textContent()).toContain("周*禾");
      const plus = await expand.boundingBox();
      const status = await rows.nth(1).locator(".ant-tag").first().boundingBox();
      expect(plus && status && plus.x + plus.width <= status.x).toBe(true);
      expect(problems).toEqual([]);
      await expand.click();

      // The crisis request: claim, answer — a customer-service message to the parent's WeChat.
      await rows.first().getByRole("button", { name: "查看" }).click();
      await page.getByTestId("handoff-claim").click();
      await page.getByTestId("handoff-reply-text").waitFor({ timeout: 15_000 });
      await page
        .getByTestId("handoff-reply-text")
        .fill("您好，我是向阳小学李老师，已联系班主任赶到学校，请保持电话畅通。");
      await page.getByTestId("handoff-reply").click();
      await page.getByText("已发送（微信客服消息）").waitFor({ timeout: 15_000 });
      const custom = w.fake.sends.filter(
        (s) => s.path === FAKE_WECHAT_PATHS.customSend && (s.body as { touser: string }).touser === openId,
      );
      expect(custom).toHaveLength(1);
      expect(JSON.stringify(custom[0]!.body)).toContain("已联系班主任赶到学校");
      await shot("22-crisis-replied-wechat");

      // The web request: claim, read the masked conversation, answer.
      await page.getByRole("button", { name: "← 返回求助列表" }).click();
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
      await rows.filter({ hasText: "周*禾" }).getByRole("button", { name: "查看" }).click();
      await page.getByTestId("handoff-claim").click();
      await page.getByTestId("handoff-reply-text").waitFor({ timeout: 15_000 });
      // While it is owned, the parent's question is not answered by the bot, and staff see it in the thread.
      const quiet = await parentSays("寄宿生补助什么时候发", session);
      expect(quiet.text).toContain("李老师");
      const thread = page.getByTestId("handoff-thread");
      await expect.poll(() => thread.textContent(), { timeout: 15_000 }).toContain("寄宿生补助什么时候发");
      expect(await thread.textContent()).toContain("〔电话已隐去〕");
      expect(await thread.textContent()).not.toContain("13987654321");
      await page.getByTestId("handoff-reply-text").fill("寄宿生补助本学期11月发放到一卡通，到账后会有通知。");
      await page.getByTestId("handoff-reply").click();
      await page.getByText("已发送（网页聊天）").waitFor({ timeout: 15_000 });
      await expect.poll(() => thread.textContent(), { timeout: 15_000 }).toContain("11月发放到一卡通");
      await shot("23-web-conversation-replied");
      const next = await parentSays("好的，谢谢老师", session);
      expect(next.inbox).toContain("11月发放到一卡通");

      await page.getByTestId("handoff-note").fill("已答复发放时间");
      await page.getByTestId("handoff-close").click();
      await page.getByText("已答复发放时间").last().waitFor({ timeout: 15_000 });
      await shot("24-closed");
      await page.getByRole("button", { name: "← 返回求助列表" }).click();
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
      // Closed requests can be looked up under 已结束.
      await page.getByTestId("handoff-show").getByText("已结束", { exact: true }).click();
      await expect.poll(() => rows.first().textContent(), { timeout: 15_000 }).toContain("已答复发放时间");
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain("周*禾");
      expect(await rows.first().textContent()).toContain("已结束");
      await shot("25-closed-filter");

      const trails = await audit.trail(
        w.tenant,
        ((await (await fetchInbox()).json()) as { items: { id: string }[] }).items[0]!.id,
      );
      expect(trails.map((a) => a.action)).toEqual(["handoff_claimed", "handoff_reply"]);
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-step.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 240_000);
});

/** The bureau's view of the inbox (the crisis request is still open there, claimed). */
function fetchInbox() {
  return app.request("/api/handoffs/inbox", { headers: { authorization: `Bearer ${w.bureau}` } });
}
