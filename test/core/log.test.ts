import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "../../core/config.js";
import { createLogger, logSink, scrub } from "../../core/log.js";
import { app } from "../../functions/http/app.js";
import { createTenant } from "../support/stack.js";

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
    createLogger({ tenant: "demo" }).info("binding attempt", { name: "张小明", phone: "13800001234", content: "绑定 张小明", outcome: "failed" });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ tenant: "demo", name: "[redacted]", phone: "[redacted]", content: "[redacted]", outcome: "failed" });
  });

  it("logs nothing personal while a parent sends a binding message with a 学籍号 and phone digits", async () => {
    const tenant = (await createTenant()).id;
    const lines = capture();
    const res = await app.request(`/chat/${tenant}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "绑定 王小红 G510101200901019876 13912345678" }),
    });
    expect(res.status).toBe(200);
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join("\n");
    expect(all).not.toContain("王小红");
    expect(all).not.toMatch(/G510101200901019876|13912345678|5101012009/);
  });
});
