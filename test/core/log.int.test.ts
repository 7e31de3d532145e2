import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "../../core/config.js";
import { logSink } from "../../core/log.js";
import { app } from "../../functions/http/app.js";
import { createTenant } from "../support/stack.js";
import { ensureAdminToken, list as listTokens } from "../../core/staff/index.js";

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

  it("a staff request's log lines name the token that acted and never carry its bearer secret", async () => {
    const tenant = (await createTenant()).id;
    const secret = await ensureAdminToken(tenant);
    const [listed] = await listTokens(tenant);
    const lines = capture();
    const res = await app.request("/api/schools", { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    const all = lines.join("\n");
    expect(all).not.toContain(secret);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.some((l) => l.tokenId === listed!.tokenId)).toBe(true);
    expect(listed!.tokenId).toMatch(/^tok_/);
  });
});
