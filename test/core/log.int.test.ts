import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "../../core/config.js";
import { logSink } from "../../core/log.js";
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

describe("structured logs through the HTTP API", () => {
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
