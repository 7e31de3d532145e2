/** 429 with Retry-After on the web chat and the staff API, and web-session lifetimes, through the HTTP API. */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { RateRules, subjectHash, type RateRule } from "../../../core/abuse/ratelimit.js";
import { ddb, getItem, nowSeconds, tableName } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import * as schools from "../../../core/schools/index.js";
import { ensureAdminToken, resolve } from "../../../core/staff/index.js";
import * as students from "../../../core/students/index.js";
import { app } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;

/** Spend a rule's budget for a subject in this window and the next (so a window turning over mid-test changes nothing). */
async function exhaust(rule: RateRule, subject: string) {
  const now = nowSeconds();
  for (const start of [now - (now % rule.windowSeconds), now - (now % rule.windowSeconds) + rule.windowSeconds]) {
    await ddb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.rateWindow(tenant, rule.name, subjectHash(subject), start),
          type: "rate",
          count: rule.max,
          expiresAt: start + rule.windowSeconds + 60,
        },
      }),
    );
  }
}

async function chat(body: Record<string, unknown>, ip?: string) {
  const res = await app.request(
    `/chat/${tenant}`,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    ip ? { incoming: { socket: { remoteAddress: ip } } } : undefined,
  );
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    json: (await res.json()) as Record<string, any>,
  };
}

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("rate limits", () => {
  it("answers the chat page's looks for new items past 12 a minute per session with 429 and Retry-After", async () => {
    const session = (await chat({ text: "你好" })).json.session as string;
    const look = () =>
      app.request(`/chat/${tenant}/inbox`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ session }),
      });
    expect((await look()).status).toBe(200);
    await exhaust(RateRules.inboxPerSession, session);
    const r = await look();
    expect(r.status).toBe(429);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    // Typing still works: looking has its own budget.
    expect((await chat({ text: "你好", session })).status).toBe(200);
  });

  it("answers a session past 20 messages a minute with 429, a Chinese message and Retry-After", async () => {
    const first = await chat({ text: "你好" });
    const session = first.json.session as string;
    await exhaust(RateRules.chatPerSession, session);
    const r = await chat({ text: "你好", session });
    expect(r.status).toBe(429);
    expect(r.json.error.code).toBe("rate_limited");
    expect(r.json.error.message).toMatch(/^请求太频繁，请 \d+ 秒后再试$/);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect(Number(r.retryAfter)).toBeLessThanOrEqual(120);
    // Another session is not affected.
    expect((await chat({ text: "你好" })).status).toBe(200);
  });

  it("answers an address past 120 messages a minute with 429, whatever session it uses", async () => {
    await exhaust(RateRules.chatPerClient, "192.0.2.77");
    const r = await chat({ text: "你好" }, "192.0.2.77");
    expect(r.status).toBe(429);
    expect(r.retryAfter).toMatch(/^\d+$/);
    expect((await chat({ text: "你好" }, "192.0.2.78")).status).toBe(200);
  });

  it("answers a staff token past 600 calls a minute with 429 and Retry-After; other tokens carry on", async () => {
    const admin = await ensureAdminToken(tenant);
    const info = await resolve(admin);
    await exhaust(RateRules.staffPerToken, info!.tokenId);
    const res = await app.request("/api/schools", { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("web-chat session lifetime", () => {
  it("keeps an anonymous session 12 hours, and 30 days once the user has bound a child", async () => {
    await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
    await students.upsert(tenant, {
      studentNo: "G510000201701010001",
      name: "孙小美",
      schoolId: "s1",
      grade: "1",
      class: "1",
      guardians: [{ name: "孙父", relation: "父亲", phone: "13800002468" }],
    });
    const anon = await chat({ text: "你好" });
    const ttl = async (s: string) =>
      Number((await getItem<Record<string, unknown>>(keys.webSession(tenant, s)))?.expiresAt) - nowSeconds();
    const anonLeft = await ttl(anon.json.session);
    expect(anonLeft).toBeGreaterThan(11 * 3600);
    expect(anonLeft).toBeLessThanOrEqual(12 * 3600);
    const bound = await chat({ text: "绑定 孙小美 G510000201701010001 2468", session: anon.json.session });
    expect(bound.json.replies[0].text).toContain("绑定成功");
    const boundLeft = await ttl(anon.json.session);
    expect(boundLeft).toBeGreaterThan(29 * 86400);
    expect(boundLeft).toBeLessThanOrEqual(30 * 86400);
  });
});
