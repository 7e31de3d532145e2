import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "../../core/config.js";
import { createLogger, logSink, scrub } from "../../core/log.js";

const original = logSink.write;
afterEach(() => {
  logSink.write = original;
  process.env.LOG_LEVEL = "silent";
  resetConfig();
});

function capture(): string[] {
  const lines: string[] = [];
  process.env.LOG_LEVEL = "debug";
  resetConfig();
  logSink.write = (line) => {
    lines.push(line);
  };
  return lines;
}

describe("structured logs", () => {
  it("scrub removes phones, ID numbers, 学籍号 and account numbers from free text", () => {
    const out = scrub("电话13800001234 身份证51010120090101123X 学籍号G510101200901011234 卡号6222021234567890123");
    expect(out).not.toMatch(/\d{6,}/);
  });

  it("drops values under personal-data keys and keeps the shape", () => {
    const lines = capture();
    createLogger({ tenant: "demo" }).info("binding attempt", {
      name: "张小明",
      phone: "13800001234",
      content: "绑定 张小明",
      outcome: "failed",
    });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      tenant: "demo",
      name: "[redacted]",
      phone: "[redacted]",
      content: "[redacted]",
      outcome: "failed",
    });
  });

  it("shows which token or account acted (ids, not secrets) and still drops tokens, secrets and names", () => {
    const lines = capture();
    createLogger({ tenant: "demo", tokenId: "tok_ABCDEFGH23456789" }).info("staff request", {
      accountId: "acc_QRSTUVWX23456789",
      token: "zzt_s3cretvalue",
      accessToken: "wx-access-token",
      appSecret: "wx-app-secret",
      accountName: "张老师",
      bankAccount: "6222021234567890123",
    });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      tokenId: "tok_ABCDEFGH23456789",
      accountId: "acc_QRSTUVWX23456789",
      token: "[redacted]",
      accessToken: "[redacted]",
      appSecret: "[redacted]",
      accountName: "[redacted]",
      bankAccount: "[redacted]",
    });
  });

  it("scrubs a phone number even under an id key", () => {
    const lines = capture();
    createLogger().info("staff request", { tokenId: "acc:13800001234" });
    expect(lines[0]).not.toContain("13800001234");
  });
});
