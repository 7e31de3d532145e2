/**
 * One school term in the staff console, in a real headless Chromium (Debian's, driven by playwright-core):
 * the school's aid officer logs in for the first time, imports students from the school's own GB18030 export and
 * applications from a file, approves; the township and the bureau approve; the bureau publishes the 公示 list,
 * reads and prints the roster, closes it, and imports the bank's payment file. Screenshots go to
 * test-artifacts/console/ (gitignored); the number of clicks is written to test-artifacts/console/clicks.json.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import { ensureFirstBureauAccount } from "../../../../core/accounts/index.js";
import * as accounts from "../../../../core/accounts/index.js";
import * as applications from "../../../../core/applications/index.js";
import * as students from "../../../../core/students/index.js";
import * as schools from "../../../../core/schools/index.js";
import { createTenant } from "../../../support/stack.js";
import { encodeGb18030 } from "../../../support/gb18030.js";

import { CHROMIUM, openConsole, type ConsoleHarness } from "../../../support/browser.js";
const OUT = join(process.cwd(), "test-artifacts", "console");

let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let tenant: string;
let work: string;
const problems: string[] = [];
const clicks: Record<string, number> = {};
let role = "";
/** The page in use, for a screenshot when a step fails. */
let current: Page | undefined;

const YEAR = new Date().getFullYear();
const TERM = `${YEAR}-autumn`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A click a person makes, counted per role. */
async function click(target: Locator) {
  await target.click();
  clicks[role] = (clicks[role] ?? 0) + 1;
}
async function chooseFile(page: Page, path: string) {
  await page.locator("input[type=file]").setInputFiles(path);
  clicks[role] = (clicks[role] ?? 0) + 2; // open the picker, pick the file
}
async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

async function newPage(phone = false): Promise<Page> {
  const context = await browser.newContext({
    locale: "zh-CN",
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 860 },
    isMobile: phone,
    hasTouch: phone,
  });
  const page = await context.newPage();
  current = page;
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:") && !r.url().startsWith("blob:"))
      problems.push(`external request: ${r.url()}`);
  });
  return page;
}

async function login(page: Page, username: string, password: string, chosen?: string) {
  await page.goto(`${base}/console?t=${tenant}`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await click(page.getByRole("button", { name: "登录" }));
  if (chosen) {
    await page.getByText("首次登录：请设置您自己的密码").waitFor();
    await page.getByLabel("当前密码").fill(password);
    await page.getByLabel("新密码", { exact: true }).fill(chosen);
    await page.getByLabel("再输一次新密码").fill(chosen);
    await click(page.getByRole("button", { name: "保存新密码" }));
  }
  await page.getByRole("button", { name: "退出" }).waitFor();
}

async function menu(page: Page, name: string) {
  const item = page.getByRole("menuitem", { name });
  if (!(await item.isVisible())) await click(page.getByRole("button", { name: "菜单" }));
  await click(page.getByRole("menuitem", { name }));
}

async function approveAllWaiting(page: Page, expected: number) {
  await menu(page, "审核");
  await expect
    .poll(() => page.locator(".ant-table-tbody tr.ant-table-row").count(), { timeout: 15_000 })
    .toBe(expected);
  const approve = page.getByTestId("approve-selected");
  const all = page.locator(".ant-table-thead .ant-checkbox-input");
  await click(all);
  // On a loaded machine a late re-render can drop the selection: tick again (only when it is not ticked — a second
  // click would clear it) until the button counts them all.
  for (let i = 0; i < 30 && !(await approve.textContent())?.includes(`（${expected}）`); i++) {
    await page.waitForTimeout(500);
    if (!(await approve.textContent())?.includes(`（${expected}）`) && !(await all.isChecked())) await all.click();
  }
  await click(approve);
  // Bulk approval asks first, naming how many and who.
  await expect
    .poll(() => page.locator(".ant-modal-confirm-title").textContent(), { timeout: 15_000 })
    .toContain(`${expected} 份申请`);
  await click(page.getByRole("button", { name: "确定通过" }));
  // Approved applications leave the level's queue.
  await expect.poll(() => page.locator(".ant-table-tbody tr.ant-table-row").count(), { timeout: 30_000 }).toBe(0);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  tenant = (await createTenant()).id;
  await schools.create(tenant, { id: "qingsong-xx", name: "青松镇中心小学", kind: "primary", township: "青松镇" });
  await schools.create(tenant, {
    id: "xian-yizhong",
    name: "县第一中学",
    kind: "senior",
    township: "县直",
    directlyUnderCounty: true,
  });
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  work = mkdtempSync(join(tmpdir(), "zizhu-console-"));
});

afterAll(async () => {
  await harness?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("staff console in Chromium", () => {
  test("one school term: students from a GB18030 export, applications, three-level review, 公示, payments", async () => {
    try {
      await term();
    } catch (e) {
      await current?.screenshot({ path: join(OUT, "failed-step.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 480_000); // a hang guard, not a timing check: on a loaded 2-core machine the term takes minutes
});

async function term() {
  {
    const bureauLogin = await ensureFirstBureauAccount(tenant);
    const manager = { tenant, role: "bureau" as const, id: "admin" };
    const twp = await accounts.create(manager, {
      name: "王主任",
      username: "wangzr",
      role: "township",
      township: "青松镇",
    });
    const sch = await accounts.create(manager, {
      name: "李老师",
      username: "lils",
      role: "school",
      schoolId: "qingsong-xx",
    });

    // ── The school's aid officer ──
    role = "school";
    const school = await newPage();
    await login(school, "lils", sch.password, "Lils2025abc");
    await shot(school, "01-school-home");

    // The school's own export: GB18030, with 序号/性别/家庭住址 the system does not need.
    const exportCsv =
      "序号,姓名,性别,学籍号,年级,班级,监护人姓名,与学生关系,监护人电话,家庭住址\r\n" +
      "1,张小明,男,G510000201601010011,3,2,张大山,父亲,13800000001,青松镇青松村3组\r\n" +
      "2,李小红,女,G510000201601010012,3,2,李春花,母亲,13800000002,青松镇青松村5组\r\n" +
      "3,王小军,男,G510000201601010013,4,1,王建国,爷爷,13800000003,青松镇河坝村1组\r\n";
    const studentsFile = join(work, "学生名单.csv");
    writeFileSync(studentsFile, encodeGb18030(exportCsv));
    await chooseFile(school, studentsFile);
    await school.getByText("以下列不导入（系统不需要）：序号、性别、家庭住址").waitFor({ timeout: 15_000 });
    await expect.poll(() => school.locator(".ant-table-tbody").first().textContent()).toContain("张小明");
    await shot(school, "02-students-preview-gb18030");
    await click(school.getByTestId("student-commit"));
    await school.getByText("已保存 3 名学生").waitFor({ timeout: 15_000 });
    // The school's students are listed without a search, in school order (三年级 before 四年级).
    const listed = school.getByTestId("student-list").locator("tr.ant-table-row");
    await expect.poll(() => listed.count(), { timeout: 15_000 }).toBe(3);
    expect(await listed.last().textContent()).toContain("王小军");
    expect((await students.fromStudentNo(tenant, "G510000201601010013"))?.guardians[0]).toMatchObject({
      name: "王建国",
      relation: "爷爷",
    });

    // Search by name; the owning school sees the full record (audited).
    await school.getByTestId("student-search").locator("input").fill("小红");
    await click(school.getByRole("button", { name: "查找" }));
    await expect.poll(() => listed.count(), { timeout: 15_000 }).toBe(1);
    await click(school.getByText("查看完整信息"));
    await school.getByText("13800000002").waitFor();
    await shot(school, "03-student-full-view");
    await click(school.locator(".ant-modal-close"));

    // Applications by 学籍号: one line asks for a senior-school grant for a primary pupil — refused on its line.
    await menu(school, "申请导入");
    const appsFile = join(work, "申请.csv");
    const header = "学籍号,姓名,项目,学期,金额\n";
    writeFileSync(appsFile, header + `G510000201601010011,张小明,普通高中国家助学金,${YEAR}年秋季学期,1000\n`);
    await chooseFile(school, appsFile);
    await school.getByText("只面向普通高中学生").waitFor({ timeout: 15_000 });
    await shot(school, "04-applications-refused-line");
    const lines = ["G510000201601010011,张小明", "G510000201601010012,李小红", "G510000201601010013,王小军"].map(
      (s) => `${s},义务教育家庭经济困难学生生活补助,${YEAR}年秋季学期,625`,
    );
    writeFileSync(appsFile, header + lines.join("\n") + "\n");
    await chooseFile(school, appsFile);
    await click(school.getByTestId("application-commit"));
    await school.getByText("已录入 3 份申请").waitFor({ timeout: 30_000 });

    await approveAllWaiting(school, 3);
    await shot(school, "05-school-approved");

    // ── The township centre school ──
    role = "township";
    const township = await newPage(true); // on a phone
    await login(township, "wangzr", twp.password, "Wangzr2025ok");
    await approveAllWaiting(township, 3);
    await shot(township, "06-township-review-phone");

    // ── The county bureau ──
    role = "bureau";
    const bureau = await newPage();
    await login(bureau, "admin", bureauLogin.password!, "Admin2025ok");
    await approveAllWaiting(bureau, 3);
    // The audit trail names each person and level.
    await menu(bureau, "审核");
    await click(bureau.getByTestId("stage-filter"));
    await click(bureau.getByTitle("全部"));
    await click(bureau.locator(".ant-table-tbody").getByText("张小明"));
    await bureau.getByText("王主任（乡镇中心校资助专干）").waitFor();
    await expect.poll(() => bureau.locator(".ant-timeline").textContent()).toContain("李老师（学校资助专干）");
    await shot(bureau, "07-audit-timeline");
    await click(bureau.locator(".ant-drawer-close"));

    // 公示: a period that ended yesterday, so the list can be closed in this run.
    await menu(bureau, "公示");
    await click(bureau.getByTestId("new-list"));
    await click(bureau.getByTestId("list-school"));
    await click(bureau.getByTitle("青松镇中心小学"));
    await bureau.getByLabel("公示开始").fill(day(-8));
    await bureau.getByTestId("list-end").fill(day(-1));
    await click(bureau.getByRole("button", { name: "下一步：预览名单" }));
    await bureau.getByText("共 3 名").waitFor({ timeout: 15_000 });
    await click(bureau.getByTestId("publish"));
    await bureau.getByTestId("roster").waitFor({ timeout: 15_000 });
    const roster = (await bureau.getByTestId("roster").textContent()) ?? "";
    expect(roster).toContain("张小明");
    expect(roster).not.toMatch(/G5100|1380000|青松村|河坝村/); // no 学籍号, phones or addresses
    await shot(bureau, "08-roster");
    await bureau.emulateMedia({ media: "print" });
    await bureau.pdf({ path: join(OUT, "08-roster-a4.pdf"), format: "A4" });
    await bureau.screenshot({ path: join(OUT, "09-roster-print.png"), fullPage: true });
    await bureau.emulateMedia({ media: "screen" });
    await click(bureau.getByRole("button", { name: "结束公示" }));
    await bureau.getByText("公示已结束：3 名公示无异议").waitFor({ timeout: 15_000 });

    // Payments: the bank's file with its own headers.
    await menu(bureau, "资金发放");
    const payFile = join(work, "发放明细.csv");
    const pay = ["批次号,学籍号,项目,学期,发放金额（元）,发放日期,卡号后四位"].concat(
      ["11", "12", "13"].map(
        (n) =>
          `PAY-${YEAR}-01,G5100002016010100${n},义务教育家庭经济困难学生生活补助,${YEAR}年秋季学期,625.00,${day(-1)},00${n}`,
      ),
    );
    writeFileSync(payFile, "\uFEFF" + pay.join("\r\n") + "\r\n");
    await chooseFile(bureau, payFile);
    await bureau.getByText("3 笔，合计 1875.00 元").waitFor({ timeout: 15_000 });
    await shot(bureau, "10-payment-preview");
    await click(bureau.getByTestId("payment-commit"));
    await bureau.getByText("已导入 3 笔").waitFor({ timeout: 15_000 });
    const paid = await applications.ofStudent(tenant, students.idFor(tenant, "G510000201601010011"));
    expect(paid.map((a) => a.stage)).toEqual(["paid"]);

    const total = Object.values(clicks).reduce((a, b) => a + b, 0);
    writeFileSync(join(OUT, "clicks.json"), JSON.stringify({ ...clicks, total }, null, 2));
    expect(problems).toEqual([]);
  }
}
