/**
 * The attack from issue 10, through the HTTP API against DynamoDB Local: a budget of 6,000 code guesses against a
 * county with 300 live codes. The limits are the real ones (core/families/limits.ts, core/abuse/ratelimit.ts);
 * only the number of guesses is cut to what the limits let through, since everything past that is refused
 * before any code is looked at — which is what these tests show, by handing the attacker live codes once the
 * budget is spent. docs/abuse.md has the arithmetic for 50,000 live codes.
 */
import { randomInt } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { mapLimit } from "../../../core/concurrency.js";
import { ddb, tableName } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import * as bindings from "../../../core/families/bindings.js";
import { bindWithCode } from "../../../core/families/binding.js";
import * as codes from "../../../core/families/codes.js";
import { Limits } from "../../../core/families/limits.js";
import { RateRules } from "../../../core/abuse/ratelimit.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { app } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;
const studentIds: string[] = [];
const liveCodes: string[] = [];

interface Reply {
  status: number;
  retryAfter: string | null;
  session?: string;
  text: string;
}

/** One web-chat message from a client address (as @hono/node-server reports the socket). */
async function send(ip: string, text: string, session?: string): Promise<Reply> {
  const res = await app.request(
    `/chat/${tenant}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, ...(session ? { session } : {}) }),
    },
    { incoming: { socket: { remoteAddress: ip } } },
  );
  const json = (await res.json()) as { session?: string; replies?: { text: string }[]; error?: { message: string } };
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    session: json.session,
    text: json.replies?.map((r) => r.text).join("\n") ?? json.error?.message ?? "",
  };
}

const guess = () => String(randomInt(0, 1_000_000)).padStart(6, "0") + String(randomInt(0, 1_000_000)).padStart(6, "0");

async function boundChildren(): Promise<number> {
  const all = await mapLimit(studentIds, 8, (id) => bindings.usersOf(tenant, id));
  return all.flat().length;
}

beforeAll(async () => {
  tenant = (await createTenant()).id;
  await schools.create(tenant, { id: "s1", name: "向阳小学", kind: "primary", township: "城关镇" });
  for (let i = 0; i < 30; i++) {
    const no = `G5100002015010100${String(i).padStart(2, "0")}`;
    const { student } = await students.upsert(tenant, {
      studentNo: no,
      name: "测试生",
      schoolId: "s1",
      grade: "2",
      class: "1",
      guardians: [{ name: "家长", relation: "母亲", phone: `1380000${String(1000 + i)}` }],
    });
    studentIds.push(student.id);
  }
  // 300 live codes, ten per child.
  const issued = await mapLimit(
    Array.from({ length: 300 }, (_, i) => studentIds[i % 30]!),
    8,
    (id) => codes.issue(tenant, id, "tok_test"),
  );
  liveCodes.push(...issued.map((c) => c.code));
}, 120_000);

describe("an attacker guessing binding codes", () => {
  it("from one address: new sessions stop at 30 an hour (429 + Retry-After), failures at 30 a day, and live codes sent after that bind nothing", async () => {
    const ip = "192.0.2.10";
    // The session limit counts in clock-aligned hours: start clear of a boundary so the count cannot reset midway.
    const toNextHour = 3600 - (Math.floor(Date.now() / 1000) % 3600);
    if (toNextHour < 90) await new Promise((r) => setTimeout(r, (toNextHour + 1) * 1000));
    const sessions: string[] = [];
    const answered: Reply[] = [];
    const refused: Reply[] = [];
    // Every guess in a fresh session, as the original attack did.
    for (let i = 0; i < RateRules.sessionsPerClient.max + 10; i++) {
      const r = await send(ip, `绑定 ${guess()}`);
      if (r.status === 200) {
        answered.push(r);
        sessions.push(r.session!);
      } else refused.push(r);
    }
    expect(answered).toHaveLength(RateRules.sessionsPerClient.max);
    expect(answered.every((r) => r.text.includes("绑定码用不了"))).toBe(true);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(3600);
    }
    // The sessions it has: the address's 30 failures are spent, so even a live code is refused unchecked.
    for (const [i, s] of sessions.slice(0, 5).entries()) {
      const r = await send(ip, `绑定 ${codes.displayCode(liveCodes[i]!)}`, s);
      expect(r.status).toBe(200);
      expect(r.text).toContain("试错次数太多");
    }
    expect(await boundChildren()).toBe(0);
  }, 180_000);

  it("from a new address every time: the county's code budget stops at 600 checked guesses an hour, and live codes after that bind nothing", async () => {
    // The hour so far: this county has already had 540 failed codes (the first test's 30 among them). Written
    // into the counter rather than sent, to keep the file fast on a busy machine; the last 60 and the 40 past
    // the budget go through the real path, in parallel.
    const key = keys.limit(tenant, "CODES", "1h");
    const before = await ddb().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
    expect(before.Item?.count).toBe(30);
    await ddb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: "SET #c = :c",
        ExpressionAttributeNames: { "#c": "count" },
        ExpressionAttributeValues: { ":c": Limits.tenantCodes.max - 60 },
      }),
    );

    const attempts = 100;
    const outcomes = await mapLimit(
      Array.from({ length: attempts }, (_, i) => i),
      8,
      (i) => bindWithCode(tenant, `web:bot-${i}`, guess(), `10.0.${i}.1`),
    );
    expect(outcomes.filter((o) => o.kind === "code_failed")).toHaveLength(60);
    expect(outcomes.filter((o) => o.kind === "locked")).toHaveLength(40);
    const counter = await ddb().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
    expect(counter.Item?.count).toBe(Limits.tenantCodes.max);

    const withLiveCodes = await mapLimit(liveCodes.slice(10, 40), 8, (code, i) =>
      bindWithCode(tenant, `web:bot-live-${i}`, code, `172.16.0.${i + 1}`),
    );
    expect(withLiveCodes.every((o) => o.kind === "locked")).toBe(true);
    expect(await boundChildren()).toBe(0);
  }, 120_000);

  it("a family with the right details still binds, from an address of its own, after all of that", async () => {
    const r = await send("203.0.113.50", "绑定 测试生 G510000201501010007 1007");
    expect(r.status).toBe(200);
    expect(r.text).toContain("绑定成功");
    expect(await boundChildren()).toBe(1);
  });
});
