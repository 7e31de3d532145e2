/**
 * Errors staff read are Chinese and say what to do, end to end through the HTTP API (codes stay English): a CSV with
 * an unclosed quote on every upload, a notice scheduled too far ahead, a student list without a school, a token for
 * a school that does not exist, and the bootstrap token that cannot be revoked here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, county } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;

beforeAll(async () => {
  c = await county();
});

/** The message has no English left in it, apart from the names staff see in Excel and in the settings. */
function chineseOnly(message: string) {
  expect(message).toMatch(/[\u4e00-\u9fff]/);
  expect(message.replace(/CSV|UTF-8|Excel|ADMIN_TOKEN|schoolId|xlsx/g, "")).not.toMatch(/[A-Za-z]{3,}/);
}

describe("the errors staff read", () => {
  it("names the line of an unclosed quote in Chinese on every upload page", async () => {
    const files: [string, string][] = [
      ["/api/students/preview", '姓名,学籍号,学校,年级,班级\n"王小明,G5100002016010200,a1,三年级,2班\n'],
      ["/api/applications/preview", '学籍号,项目,学期,金额\n"G5100002016010200,两免一补,2025-autumn,625\n'],
      [
        "/api/payments/preview",
        '批次号,学籍号,项目,学期,发放金额（元）\n"B1,G5100002016010200,两免一补,2025-autumn,625\n',
      ],
    ];
    for (const [path, csv] of files) {
      const r = await call(c.tokens.bureau, "POST", path, csv, "text/csv; charset=utf-8");
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe("csv_unclosed_quote");
      expect(r.body.error.message).toMatch(/^第 2 行：引号没有闭合/);
      chineseOnly(r.body.error.message);
      expect(r.body.error.details).toEqual([{ line: 2, message: expect.stringMatching(/^引号没有闭合/) }]);
    }
  });

  it("refuses a notice scheduled more than 31 days ahead in Chinese", async () => {
    const r = await call(c.tokens.a1, "POST", "/api/broadcasts", {
      audience: { schoolId: "a1" },
      text: "下学期开学通知。",
      sendAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("send_time_too_far");
    expect(r.body.error.message).toMatch(/^定时发送最多只能定在 31 天以内/);
    chineseOnly(r.body.error.message);
  });

  it("asks the bureau which school's students it wants, in Chinese", async () => {
    const r = await call(c.tokens.bureau, "GET", "/api/students");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("school_required");
    expect(r.body.error.message).toMatch(/^请先选择学校/);
    chineseOnly(r.body.error.message);
  });

  it("refuses a token for a school that does not exist, in Chinese", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/tokens", { role: "school", schoolId: "zz9", label: "测试" });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("unknown_school");
    expect(r.body.error.message).toBe("找不到学校“zz9”：请从学校列表中选择已有的学校");
  });

  it("says the bootstrap token is changed through ADMIN_TOKEN, in Chinese", async () => {
    const me = await call(c.tokens.bureau, "GET", "/api/me");
    const r = await call(c.tokens.bureau, "DELETE", `/api/tokens/${me.body.staff.tokenId}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("bootstrap_token");
    expect(r.body.error.message).toMatch(/^初始管理令牌由部署设置 ADMIN_TOKEN 决定，不能在这里吊销/);
    chineseOnly(r.body.error.message);
  });
});
