/**
 * The console's corrections and follow-through, in a real headless Chromium against the local stack (fan-out and
 * delivery on the local queues, WeChat the fake API): the school's officer corrects a student (a bad phone is
 * refused in Chinese, the edit is audited with her name), rejects one application and withdraws another entered by
 * mistake; objections are recorded under the 公示 roster and resolved by the county centre; the bureau imports a
 * payment file and watches the confirmations go out until done; a parent, in the web chat page, reads each outcome.
 * Screenshots go to test-artifacts/console-corrections/ (gitignored).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { app } from "../../../../functions/http/app.js";
import * as accounts from "../../../../core/accounts/index.js";
import * as applications from "../../../../core/applications/index.js";
import * as audit from "../../../../core/audit/index.js";
import * as students from "../../../../core/students/index.js";
import { startQueueRunner, type Runner } from "../../../../functions/dev/queue-runner.js";
import { handler as delivery } from "../../../../functions/queues/delivery.js";
import { handler as fanout } from "../../../../functions/queues/fanout.js";
import { SCHOOL, addKids, api, setupWorld, type Kid, type World } from "../../queues/support.js";
import { openConsole, type ConsoleHarness, firstLogin, submitDialog, checkSurely } from "../../../support/browser.js";

const OUT = join(process.cwd(), "test-artifacts", "console-corrections");
const YEAR = new Date().getFullYear();
const TERM = `${YEAR}-autumn`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let w: Omit<World, "kids">;
let runner: Runner;
let harness: ConsoleHarness | undefined;
let base: string;
let browser: Browser;
let work: string;
let page: Page | undefined;
const problems: string[] = [];
/** The student corrected; two applications reviewed (rejected, withdrawn); two on the 公示 list; four to pay. */
let edited: Kid;
let toReview: Kid[];
let listed: Kid[];
let toPay: Kid[];
let listId: string;
const submitted: Record<string, string> = {};
let schoolLogin: { username: string; password: string };
let bureauLogin: { username: string; password: string };

beforeAll(async () => {
  w = await setupWorld();
  edited = await named(await addKids(w.tenant, 1, { guardians: () => 0, grade: () => "三年级", klass: () => "2班" }), [
    "周晓燕",
  ]).then((k) => k[0]!);
  toReview = await named(await addKids(w.tenant, 2, { guardians: () => 0 }), ["吴一凡", "郑二妹"]);
  listed = await named(
    await addKids(w.tenant, 2, {
      guardians: () => 0,
      application: { programme: "compulsory_living", term: TERM, stage: "county_approved", amountFen: 62500 },
    }),
    ["冯小军", "陈小芳"],
  );
  // #0 has no bound guardian: the progress must end with one student not reached.
  toPay = await addKids(w.tenant, 4, {
    guardians: (i) => (i === 0 ? 0 : 1),
    application: { programme: "compulsory_living", term: TERM, stage: "approved", amountFen: 62500 },
  });
  for (const k of toReview) {
    const r = await api(w.schoolToken, "POST", "/api/applications", {
      studentId: k.id,
      programme: "compulsory_living",
      term: TERM,
      amount: 625,
    });
    submitted[k.id] = r.body.application.id;
  }
  const published = await api(w.bureau, "POST", "/api/lists", {
    programme: "compulsory_living",
    term: TERM,
    scope: { kind: "school", schoolId: SCHOOL },
    applicationIds: listed.map((k) => k.appId),
    publicity: { start: day(0), end: day(7) },
    objectionContact: "县资助中心 0000-1234567",
  });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  listId = published.body.list.id;

  const sch = await accounts.create(
    { tenant: w.tenant, role: "bureau", id: "admin" },
    { name: "李老师", username: "lils", role: "school", schoolId: SCHOOL },
  );
  schoolLogin = { username: "lils", password: sch.password };
  const bur = await accounts.create(
    { tenant: w.tenant, role: "bureau", id: "admin" },
    { name: "王主任", username: "wangzr", role: "bureau" },
  );
  bureauLogin = { username: "wangzr", password: bur.password };

  runner = startQueueRunner({ handlers: { fanout, delivery }, concurrency: 2 });
  harness = await openConsole(app);
  ({ base, browser } = harness);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  work = mkdtempSync(join(tmpdir(), "zizhu-corrections-"));
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await runner?.stop();
  await w?.fake.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const shot = (name: string) => page!.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

async function login(who: { username: string; password: string }, chosen: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 860 } });
  const p = await context.newPage();
  page = p;
  p.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await firstLogin(p, { base, tenant: w.tenant, username: who.username, password: who.password, chosen: chosen });
  await p.getByRole("button", { name: "退出" }).waitFor();
  who.password = chosen;
  return p;
}

/** A parent in the web chat page on a phone: binds with a code from the school, then taps 查进度. */
async function parentReads(kid: Kid): Promise<string> {
  const code = await api(w.schoolToken, "POST", `/api/students/${kid.id}/binding-codes`);
  expect(code.status).toBe(201);
  const context = await browser.newContext({
    locale: "zh-CN",
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  const p = await context.newPage();
  p.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await p.goto(`${base}/?tenant=${w.tenant}`);
  const lastBot = () => p.locator(".msg.bot:not(.wait)").last();
  await expect.poll(() => p.locator(".msg.bot").first().textContent()).toContain("资助通");
  await p.fill("#text", `绑定码 ${code.body.code}`);
  await p.click("#send");
  await expect.poll(() => lastBot().textContent(), { timeout: 15_000 }).toMatch(/绑定成功|已绑定|已经绑定/);
  await p.getByRole("button", { name: "查进度", exact: true }).click();
  await expect.poll(() => lastBot().textContent(), { timeout: 15_000 }).toContain("向阳小学】");
  const text = (await p.locator(".msg.bot").allTextContents()).slice(-1)[0] ?? "";
  await p.screenshot({ path: join(OUT, `parent-${kid.name}.png`), fullPage: false });
  await context.close();
  return text;
}

/** The fixture names repeat from one batch of kids to the next: give the ones the pages show names of their own. */
async function named(kids: Kid[], names: string[]): Promise<Kid[]> {
  return Promise.all(
    kids.map(async (k, i) => {
      const s = (await students.fromId(w.tenant, k.id))!;
      await students.upsert(w.tenant, { ...s, name: names[i]! });
      return { ...k, name: names[i]! };
    }),
  );
}

const rowOf = (p: Page, name: string) => p.locator("tr.ant-table-row").filter({ hasText: name });

/**
 * Ticks a table row and waits for the action it enables; a click that lands while the table re-renders (its data
 * refreshed after the first paint) is lost, so the tick is tried again until the button can be pressed.
 */
async function selectRow(row: Locator, enables: Locator): Promise<void> {
  const box = row.locator(".ant-checkbox-input");
  for (let attempt = 1; ; attempt++) {
    if (!(await box.isChecked())) await box.click();
    try {
      await expect.poll(() => enables.isEnabled(), { timeout: 2_000 }).toBe(true);
      return;
    } catch (e) {
      if (attempt >= 8) throw e;
    }
  }
}

describe("console corrections and follow-through (Chromium)", () => {
  test("edit a student, reject and withdraw, objections, payment progress, and what the parent reads", async () => {
    try {
      // 1. The school's officer corrects a student found by name.
      const school = await login(schoolLogin, "Lils2025abc");
      await school.getByTestId("student-search").locator("input").fill(edited.name);
      await school.getByRole("button", { name: "查找" }).click();
      await rowOf(school, edited.name).getByText("修改").click();
      const form = school.getByTestId("student-edit-form");
      await form.getByLabel("班级").fill("(3)");
      await form.getByLabel("监护人1手机号").fill("1391111");
      await form.getByLabel("修改原因（记入留痕）").fill("家长来电更正电话和班级");
      await school.getByTestId("student-edit-save").click();
      // A bad phone: the field says what is wrong, in Chinese; nothing saved.
      await form.getByText("手机号应为 11 位大陆手机号").first().waitFor({ timeout: 15_000 });
      await shot("01-edit-bad-phone");
      expect((await students.fromId(w.tenant, edited.id))!.class).toBe("2班");
      await form.getByLabel("监护人1手机号").fill("139 1111 2222");
      await school.getByTestId("student-edit-save").click();
      await school.getByText("已保存：修改了班级、监护人电话").waitFor({ timeout: 15_000 });
      await expect.poll(() => rowOf(school, edited.name).textContent()).toContain("3班");
      await shot("02-edit-saved");
      const stored = await students.fromId(w.tenant, edited.id);
      expect(stored).toMatchObject({ class: "3班", grade: "三年级" });
      expect(stored!.guardians[0]!.phone).toBe("13911112222");
      const edits = (await audit.trail(w.tenant, edited.id)).filter((a) => a.action === "edit");
      expect(edits).toHaveLength(1);
      expect(edits[0]!.actor.name).toMatch(/^李老师（/);
      expect(edits[0]!.reason).toBe("修改班级、监护人电话：家长来电更正电话和班级");

      // 2. Review page: one application rejected with a reason, one withdrawn (entered by mistake).
      await school.getByRole("menuitem", { name: "审核" }).click();
      await expect.poll(() => school.locator("tr.ant-table-row").count(), { timeout: 15_000 }).toBe(2);
      await selectRow(rowOf(school, toReview[0]!.name), school.getByRole("button", { name: "不通过所选" }));
      await school.getByRole("button", { name: "不通过所选" }).click();
      await school.getByTestId("reason").fill("家庭收入超过认定标准");
      await school
        .getByRole("button", { name: "确 定" })
        .or(school.getByRole("button", { name: "确定" }))
        .click();
      await school.getByText("已设为不通过 1 份").waitFor({ timeout: 15_000 });
      await selectRow(rowOf(school, toReview[1]!.name), school.getByRole("button", { name: /撤回录错的（1）/ }));
      await school.getByRole("button", { name: /撤回录错的（1）/ }).click();
      await school.getByTestId("reason").fill("录错了学生");
      await school
        .getByRole("button", { name: "确 定" })
        .or(school.getByRole("button", { name: "确定" }))
        .click();
      await school.getByText("已撤回 1 份").waitFor({ timeout: 15_000 });
      await expect.poll(() => school.locator("tr.ant-table-row").count(), { timeout: 15_000 }).toBe(0);
      await shot("03-review-after-reject-withdraw");
      expect((await applications.fromId(w.tenant, submitted[toReview[0]!.id]!))?.stage).toBe("rejected");
      expect(await applications.fromId(w.tenant, submitted[toReview[1]!.id]!)).toBeUndefined();

      // 3. 公示: the school records an objection for each listed student under the roster.
      await school.getByRole("menuitem", { name: "公示" }).click();
      await school.getByText("义务教育家庭经济困难学生生活补助").first().click();
      const card = school.getByTestId("objections");
      await expect.poll(() => card.locator("tr.ant-table-row").count(), { timeout: 15_000 }).toBe(2);
      for (const [i, k] of listed.entries()) {
        await rowOf(school, k.name).getByRole("button", { name: "登记异议" }).click();
        await school
          .getByTestId("objection-reason")
          .fill(i === 0 ? "村民实名反映家中新购小轿车" : "有人反映父母有固定工作");
        await submitDialog(school, school.getByTestId("objection-submit"));
        await school.getByText(`已登记 ${k.name} 的异议`).waitFor({ timeout: 15_000 });
        await expect.poll(() => rowOf(school, k.name).textContent(), { timeout: 15_000 }).toContain("异议复核中");
      }
      // The school cannot resolve: it is told who does.
      expect(await rowOf(school, listed[0]!.name).textContent()).toContain("待县资助中心复核");
      await shot("04-objections-recorded");

      // The county centre resolves: the first holds (未通过), the second does not (公示无异议).
      const bureau = await login(bureauLogin, "Wangzr2025abc");
      await bureau.goto(`${base}/console/lists/${listId}`);
      await bureau.getByText("异议登记与复核（待复核 2）").waitFor({ timeout: 15_000 });
      for (const [i, k] of listed.entries()) {
        await rowOf(bureau, k.name).getByRole("button", { name: "复核" }).click();
        await checkSurely(
          bureau.getByRole("radio", {
            name: i === 0 ? "异议成立：不予资助（申请未通过）" : "异议不成立：恢复为公示无异议",
          }),
        );
        await bureau.getByTestId("objection-reason").fill(i === 0 ? "经入户核实，情况属实" : "核实为误传，维持资助");
        await submitDialog(bureau, bureau.getByTestId("objection-submit"));
        await expect
          .poll(() => rowOf(bureau, k.name).textContent(), { timeout: 15_000 })
          .toContain(i === 0 ? "未通过" : "公示无异议");
      }
      await shot("05-objections-resolved");
      const [held, dismissed] = await Promise.all(listed.map((k) => applications.fromId(w.tenant, k.appId!)));
      expect(held).toMatchObject({ stage: "rejected", reason: "经入户核实，情况属实" });
      expect(dismissed?.stage).toBe("approved");
      const resolvedBy = (await audit.trail(w.tenant, listed[0]!.appId!)).at(-1)!;
      expect(resolvedBy.actor.name).toMatch(/^王主任（/);
      // The roster as posted still shows only the 公示 fields.
      expect(await bureau.getByTestId("roster").textContent()).not.toMatch(/小轿车|固定工作/);

      // 4. Payments: the bureau imports the bank's file and watches the confirmations go out.
      await bureau.getByRole("menuitem", { name: "资金发放" }).click();
      const file = join(work, "发放明细.csv");
      writeFileSync(
        file,
        [
          "批次号,学籍号,项目,学期,发放金额（元）,发放日期,卡号后四位",
          ...toPay.map((k) =>
            [
              "B-PROGRESS-1",
              k.studentNo,
              "义务教育家庭经济困难学生生活补助",
              `${YEAR}年秋季学期`,
              "625.00",
              day(-1),
              "0042",
            ].join(","),
          ),
        ].join("\n"),
      );
      await bureau.locator("input[type=file]").setInputFiles(file);
      await bureau.getByTestId("payment-commit").waitFor({ timeout: 15_000 });
      await bureau.getByTestId("payment-commit").click();
      const progress = bureau.getByTestId("batch-progress");
      await progress.waitFor({ timeout: 15_000 });
      await expect
        .poll(() => bureau.getByTestId("batch-progress-status").textContent(), { timeout: 60_000 })
        .toBe("已发完");
      const counts = (await bureau.getByTestId("batch-progress-counts").textContent()) ?? "";
      expect(counts).toMatch(/学生\s*4\s*名/);
      expect(counts).toMatch(/已通知家长\s*3\s*条/);
      expect(counts).toMatch(/已收到通知的学生\s*3\s*名/);
      expect(counts).toMatch(/未收到（需当面告知）\s*1\s*名/);
      await progress.getByRole("button", { name: "查看未收到的学生（当面告知）" }).waitFor();
      await shot("06-payment-progress-done");

      // 5. What each family reads in the web chat page.
      const rejected = await parentReads(toReview[0]!);
      expect(rejected).toContain("未通过");
      expect(rejected).toContain("家庭收入超过认定标准");
      const withdrawn = await parentReads(toReview[1]!);
      expect(withdrawn).toContain("暂时没有补助申请记录");
      expect(withdrawn).not.toContain("未通过");
      expect(withdrawn).not.toContain("录错");
      const objectionHeld = await parentReads(listed[0]!);
      expect(objectionHeld).toContain("未通过");
      expect(objectionHeld).toContain("经入户核实，情况属实");
      expect(objectionHeld).not.toContain("小轿车");
      const approved = await parentReads(listed[1]!);
      expect(approved).toContain("公示无异议");
      expect(approved).not.toMatch(/未通过|固定工作/);
      expect(problems).toEqual([]);
    } catch (e) {
      await page?.screenshot({ path: join(OUT, "failed-step.png"), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }, 300_000);
});
