/**
 * Follow-up questions in the web chat: the last topic of a session is kept in DynamoDB (key 20c) through POST
 * /chat/:tenant, with the real assistant and DynamoDB Local — the store the eval CLI replaces by an in-memory one.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { getItem } from "../../../core/db/client.js";
import { keys, userKey } from "../../../core/db/keys.js";
import { TTL } from "../../../core/db/client.js";
import { app } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;

interface ChatBody {
  session: string;
  intent: string;
  replies: { text: string }[];
}

async function chat(text: string, session?: string): Promise<ChatBody> {
  const res = await app.request(`/chat/${tenant}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(session ? { text, session } : { text }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ChatBody;
}

const said = (b: ChatBody) => b.replies.map((r) => r.text).join("\n");

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("web chat follow-ups", () => {
  test("a follow-up asking how much is answered for the programme of the previous turn, not another programme", async () => {
    const first = await chat("雨露计划是什么");
    expect(said(first)).toMatch(/雨露计划/);
    const next = await chat("一年多少钱", first.session);
    expect(next.intent).toBe("policy");
    expect(said(next)).toMatch(/3000|1500/);
    expect(said(next)).not.toMatch(/2300/);
  });

  test("the topic is stored per session in DynamoDB with a TTL, holding slots and not the message", async () => {
    const first = await chat("生源地贷款在哪办");
    const stored = await getItem<{ userId: string }>(keys.webSession(tenant, first.session));
    const item = await getItem<Record<string, unknown>>(keys.conversationTopic(tenant, userKey("web", stored!.userId)));
    expect(item?.topic).toMatchObject({ programme: "生源地贷款", aspect: "where" });
    expect(typeof item?.[TTL]).toBe("number");
    expect(JSON.stringify(item)).not.toContain("在哪办");
    const next = await chat("要带户口本不", first.session);
    expect(next.intent).toBe("policy");
    expect(said(next)).toMatch(/户口|身份证/);
  });

  test("a level follow-up keeps programme and aspect; a fresh session has no context", async () => {
    const first = await chat("小学住校生活补助一年多少");
    expect(said(first)).toContain("1250");
    const next = await chat("那初中呢", first.session);
    expect(said(next)).toContain("1500");
    // Without the session the same words have no topic to continue: a different (general) answer.
    const fresh = await chat("那初中呢");
    expect(said(fresh)).not.toBe(said(next));
  });

  test("a new programme replaces the topic", async () => {
    const first = await chat("雨露计划多少钱");
    await chat("大学国家助学金一年多少", first.session);
    const next = await chat("什么时候发", first.session);
    expect(said(next)).toMatch(/助学金/);
    expect(said(next)).not.toMatch(/雨露/);
  });
});
