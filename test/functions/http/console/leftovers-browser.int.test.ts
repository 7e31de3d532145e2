/**
 * What a school's aid officer found hard in the console, in a real headless Chromium: importing the good rows of a
 * student file that has bad ones (rows named by Excel row and 序号, a masked phone's problem said in words), a
 * duplicate application flagged before it is submitted, programmes offered only for the school's kind, one
 * application entered by a form, the school's binding coverage by class on the dashboard, and the main lists on a
 * phone without sideways scrolling. Screenshots in test-artifacts/console-leftovers/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import * as accounts from "../../../../core/accounts/index.js";
import * as audit from "../../../../core/audit/index.js";
import * as bindings from "../../../../core/families/bindings.js";
import * as applications from "../../../../core/applications/index.js";
import * as schools from "../../../../core/schools/index.js";
import * as students from "../../../../core/students/index.js";
import { workbook } from "../../../../core/staff/spreadsheet.js";
import { createTenant } from "../../../support/stack.js";
import { firstLogin, openConsole, type ConsoleHarness, sidewaysScroll } from "../../../support/browser.js";

const OUT = join(process.cwd(), "test-artifacts", "console-leftovers");
const SCHOOL = "hongqi-xx";
const YEAR = new Date().getFullYear();
const TERM = `${YEAR}-autumn`;

let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let tenant: string;
let work: string;
let officer: { username: string; password: string };
let page: Page | undefined;
const problems: string[] = [];

async function signIn(viewport = { width: 1280, height: 900 }, phone = false): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", viewport, isMobile: phone, hasTouch: phone });
  const p = await context.newPage();
  page = p;
  p.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  if (officer.password.startsWith("Hongqi")) {
    await p.goto(`${base}/console?t=${tenant}`);
    await p.getByLabel("用户名").fill(officer.username);
    await p.getByLabel("密码", { exact: true }).fill(officer.password);
    await p.getByRole("button", { name: "登录" }).click();
  } else {
    await firstLogin(p, { base, tenant, ...officer, chosen: "Hongqi2025ok" });
    officer.password = "Hongqi2025ok";
  }
  await p.getByRole("button", { name: "退出" }).waitFor({ timeout: 30_000 });
  return p;
}

async function menu(p: Page, name: string) {
  const drawer = p.locator(".ant-drawer-content-wrapper");
  const item = p.getByRole("menuitem", { name });
  if (!(await item.isVisible())) await p.getByRole("button", { name: "菜单" }).click();
  await p.getByRole("menuitem", { name }).click();
  // On a phone the menu is a drawer: wait until it has closed, so the next step sees the page.
  if ((await drawer.count()) > 0) await drawer.first().waitFor({ state: "hidden", timeout: 10_000 });
}

async function shot(p: Page, name: string) {
  await p.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/** Runs a step and keeps a screenshot of the page when it fails. */
async function step(name: string, body: () => Promise<void>) {
  try {
    await body();
  } catch (e) {
    await page?.screenshot({ path: join(OUT, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
    throw e;
  }
}

beforeAll(async () => {
  tenant = (await createTenant()).id;
  await schools.create(tenant, { id: SCHOOL, name: "红旗小学", kind: "primary", township: "红旗镇" });
  const made = await accounts.create(
    { tenant, role: "bureau", id: "admin" },
    { name: "赵老师", username: "zhaols", role: "school", schoolId: SCHOOL },
  );
  officer = { username: "zhaols", password: made.password };
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  work = mkdtempSync(join(tmpdir(), "zizhu-leftovers-"));
}, 120_000);

afterAll(async () => {
  await harness?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the console's leftovers, as a school officer finds them (Chromium)", () => {
  test("a student file with bad rows: the rows named as in Excel, the phone's problem in words, the rest imported", async () => {
    await step("skip-rows", async () => {
      const p = await signIn();
      const file = join(work, "学生名单.xlsx");
      writeFileSync(
        file,
        await workbook(
          "学生",
          ["序号", "姓名", "学籍号", "年级", "班级", "监护人姓名", "与学生关系", "监护人电话"],
          [
            ["1", "周小一", "G510000201601040001", "3", "2", "周大", "父亲", "13800000031"],
            ["2", "吴小二", "G510000201601040002", "3", "2", "吴母", "母亲", "1380000003"],
            ["7", "郑小三", "G510000201601040003", "4", "1", "郑父", "父亲", "13800000033"],
          ],
        ),
      );
      await p.locator("input[type=file]").setInputFiles(file);
      const bad = p.locator("tr.row-bad");
      await bad.first().waitFor({ timeout: 20_000 });
      expect(await bad.count()).toBe(1);
      const cells = (await bad.locator("td").allTextContents()).map((t) => t.trim());
      expect(cells.slice(0, 3)).toEqual(["3", "2", "吴小二"]); // Excel row 3, the file's 序号 2
      expect(await bad.textContent()).toContain("监护人1 的电话：手机号位数不对（填了 10 位，应为 11 位）");
      expect(await p.locator("thead").first().textContent()).toContain("Excel 行号");
      await shot(p, "01-preview-bad-row");
      const skip = p.getByTestId("student-commit-skip");
      expect(await skip.textContent()).toBe("跳过有错的 1 行，导入其余 2 行");
      await skip.click();
      await p.getByText("已保存 2 名学生").waitFor({ timeout: 20_000 });
      expect(await p.getByTestId("student-skipped").textContent()).toContain("Excel 第 3 行（序号 2）");
      // What was saved stays beside the warning (a toast would be gone by now).
      await p.waitForTimeout(3_500);
      expect(await p.getByTestId("student-saved").textContent()).toContain("新增 2");
      const listed = p.getByTestId("student-list").locator("tr.ant-table-row");
      await expect.poll(() => listed.count(), { timeout: 20_000 }).toBe(2);
      expect(await students.fromStudentNo(tenant, "G510000201601040002")).toBeUndefined();
      const trail = await audit.trail(tenant, SCHOOL);
      expect(trail.map((t) => t.action)).toEqual(["students_imported_skipping_rows"]);
      expect(trail[0]!.actor.name).toBe("赵老师（学校资助专干）");
      await shot(p, "02-imported-rest");
      await p.context().close();
    });
    expect(problems).toEqual([]);
  }, 240_000);

  test("one application by a form: the student found by name, only fitting programmes, the amount from the standard, a repeat refused", async () => {
    await step("single-application", async () => {
      const p = await signIn();
      await menu(p, "申请导入");
      // Only the programmes of a 小学 are offered.
      await expect
        .poll(async () => (await p.getByTestId("offered-programmes").textContent())?.trim(), { timeout: 20_000 })
        .toBe("义务教育家庭经济困难学生生活补助");
      const openForm = async () => {
        await p.getByTestId("new-application").click();
        const student = p.getByTestId("new-app-student");
        await student.click();
        await p.keyboard.type("周小一");
        const option = p.locator(".ant-select-item-option").filter({ hasText: "周小一" });
        await option.waitFor({ timeout: 20_000 });
        await option.click();
      };
      await openForm();
      // The one fitting programme is chosen; with two standards (寄宿 / 非寄宿) the amount waits for the officer's pick.
      await expect
        .poll(() => p.getByTestId("new-app-programme").textContent(), { timeout: 20_000 })
        .toContain("义务教育家庭经济困难学生生活补助");
      expect(await p.getByRole("spinbutton").inputValue()).toBe("");
      await p.getByRole("button", { name: "小学非寄宿生（每学期） 312.5 元" }).click();
      await expect.poll(() => p.getByRole("spinbutton").inputValue(), { timeout: 10_000 }).toBe("312.50");
      await p.getByRole("button", { name: "小学寄宿生（每学期） 625 元" }).click();
      await expect.poll(() => p.getByRole("spinbutton").inputValue(), { timeout: 10_000 }).toBe("625.00");
      await shot(p, "03-new-application-form");
      await p.getByTestId("new-app-submit").click();
      await p.getByText("已录入周小一的申请（义务教育家庭经济困难学生生活补助）").waitFor({ timeout: 20_000 });
      const made = await applications.ofStudent(tenant, students.idFor(tenant, "G510000201601040001"));
      expect(made.map((a) => [a.programme, a.term, a.amountFen, a.stage])).toEqual([
        ["compulsory_living", TERM, 62500, "submitted"],
      ]);
      // The same student again: the existing application is shown and a second one cannot be entered.
      await openForm();
      await p.getByTestId("new-app-repeat").waitFor({ timeout: 20_000 });
      expect(await p.getByTestId("new-app-repeat").textContent()).toContain("重复申请：该生");
      expect(await p.getByTestId("new-app-submit").isDisabled()).toBe(true);
      await shot(p, "04-new-application-repeat");
      await p.locator(".ant-modal-close").click();
      await p.context().close();
    });
    expect(problems).toEqual([]);
  }, 240_000);

  test("an application file: a repeat of an existing application flagged before submitting, the rest entered", async () => {
    await step("application-file", async () => {
      const p = await signIn();
      await menu(p, "申请导入");
      const file = join(work, "申请.csv");
      const rows = ["G510000201601040001,周小一", "G510000201601040003,郑小三"].map(
        (s) => `${s},义务教育家庭经济困难学生生活补助,${YEAR}年秋季学期,625`,
      );
      writeFileSync(file, "学籍号,姓名,项目,学期,金额\n" + rows.join("\n") + "\n");
      await p.locator("input[type=file]").setInputFiles(file);
      await p.getByText("重复申请：该生").waitFor({ timeout: 20_000 });
      const commit = p.getByTestId("application-commit");
      expect(await commit.textContent()).toBe("跳过有问题的 1 行，录入其余 1 份");
      await shot(p, "05-application-file-repeat");
      await commit.click();
      await p.getByText("已录入 1 份申请，等待学校审核；有问题的 1 行没有录入").waitFor({ timeout: 30_000 });
      const first = await applications.ofStudent(tenant, students.idFor(tenant, "G510000201601040001"));
      expect(first).toHaveLength(1);
      const other = await applications.ofStudent(tenant, students.idFor(tenant, "G510000201601040003"));
      expect(other.map((a) => a.stage)).toEqual(["submitted"]);
      await p.context().close();
    });
    expect(problems).toEqual([]);
  }, 240_000);

  test("the school's dashboard shows how many students have a linked guardian, per class, instead of the township chart", async () => {
    await step("binding-coverage", async () => {
      await bindings.bind(tenant, students.idFor(tenant, "G510000201601040001"), "wechat:zhou-mum", "code");
      const p = await signIn();
      await menu(p, "数据看板");
      const total = p.getByTestId("binding-coverage-total");
      await total.waitFor({ timeout: 30_000 });
      expect(await total.textContent()).toContain("全校 2 名学生中，1 名已有家长绑定（50%），1 名还没有家长绑定");
      const rows = p.getByTestId("binding-coverage").locator("tr.ant-table-row");
      expect((await rows.allTextContents()).map((t) => t.replace(/\s+/g, ""))).toEqual([
        "三年级2班110100%",
        "四年级1班1010%",
      ]);
      expect(await p.getByTestId("chart-township").count()).toBe(0);
      await shot(p, "06-dashboard-binding-coverage");
      await p.context().close();
    });
    expect(problems).toEqual([]);
  }, 240_000);

  test("on a phone (390×844) the main lists fit the screen: no page and no table scrolls sideways", async () => {
    await step("phone", async () => {
      const p = await signIn({ width: 390, height: 844 }, true);
      const overflow = () => sidewaysScroll(p);
      const seen: Record<string, string[]> = {};
      const pages: [string, string][] = [
        ["学生", "student-list"],
        ["审核", "review-programme"],
        ["公示", ""],
        ["通知", ""],
        ["家长求助", ""],
        ["数据看板", "binding-coverage"],
      ];
      for (const [name, testId] of pages) {
        await menu(p, name);
        if (testId) await p.getByTestId(testId).first().waitFor({ timeout: 30_000 });
        await p.waitForLoadState("networkidle");
        await expect.poll(() => p.locator(".ant-spin-spinning").count(), { timeout: 20_000 }).toBe(0);
        seen[name] = await overflow();
        await shot(p, `07-phone-${name}`);
      }
      // The students' list and the review queue show their rows as lines of the table, with the names.
      await menu(p, "学生");
      await expect.poll(() => p.getByTestId("student-list").locator("tr.ant-table-row").count()).toBe(2);
      expect(Object.entries(seen).filter(([, wide]) => wide.length > 0)).toEqual([]);
      await p.context().close();
    });
    expect(problems).toEqual([]);
  }, 300_000);
});
