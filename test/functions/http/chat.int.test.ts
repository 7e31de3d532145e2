/** POST /chat/:tenant and GET / — the web chat, against DynamoDB Local with the real assistant. */
import { beforeAll, describe, expect, test } from "vitest";
import { getItem } from "../../../core/db/client.js";
import { keys, userKey } from "../../../core/db/keys.js";
import * as inbox from "../../../core/channels/web/inbox.js";
import { app } from "../../../functions/http/app.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;

interface ChatBody {
  session: string;
  intent: string;
  replies: { text: string }[];
  citations: { id: string; title: string }[];
  inbox: { id: string; kind: string; text: string; at: string }[];
}

async function chat(body: unknown, t = tenant): Promise<{ status: number; json: ChatBody }> {
  const res = await app.request(`/chat/${t}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as ChatBody };
}

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("POST /chat/:tenant", () => {
  test("answers a policy question with a server-issued session and citations", async () => {
    const { status, json } = await chat({ text: "小学住校一年补多少" });
    expect(status).toBe(200);
    expect(json.session).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(json.intent).toBe("policy");
    expect(json.replies[0]?.text).toContain("1250");
    expect(json.citations.map((c) => c.id)).toContain("compulsory-living-allowance");
    expect(json.inbox).toEqual([]);
  });

  test("keeps the conversation of a session: a binding started in one message continues in the next", async () => {
    const first = await chat({ text: "绑定" });
    expect(first.json.intent).toBe("bind");
    const next = await chat({ text: "张小明", session: first.json.session });
    expect(next.json.session).toBe(first.json.session);
    expect(next.json.replies[0]?.text).toContain("学籍号");
    // Without the session the same words are a fresh conversation.
    const fresh = await chat({ text: "张小明" });
    expect(fresh.json.session).not.toBe(first.json.session);
    expect(fresh.json.replies[0]?.text).not.toContain("学籍号");
  });

  test("an unknown, forged or malformed session gets a new session instead", async () => {
    for (const forged of ["AAAAAAAAAAAAAAAAAAAAAA", "../../etc", "x".repeat(100)]) {
      const { status, json } = await chat({ text: "你好", session: forged });
      expect(status).toBe(200);
      expect(json.session).not.toBe(forged);
      expect(json.session).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  test("a session of another county is not valid here", async () => {
    const other = (await createTenant()).id;
    const there = await chat({ text: "你好" }, other);
    const here = await chat({ text: "你好", session: there.json.session });
    expect(here.json.session).not.toBe(there.json.session);
  });

  test("the session maps to a separate random user id that never leaves the server", async () => {
    const { json } = await chat({ text: "你好" });
    const stored = await getItem<{ userId: string }>(keys.webSession(tenant, json.session));
    expect(stored?.userId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(stored?.userId).not.toBe(json.session);
    expect(JSON.stringify(json)).not.toContain(stored!.userId);
  });

  test("pending notifications come with the next answer, once", async () => {
    const { json: first } = await chat({ text: "你好" });
    const stored = await getItem<{ userId: string }>(keys.webSession(tenant, first.session));
    const user = userKey("web", stored!.userId);
    const at = new Date().toISOString();
    await inbox.push(tenant, user, {
      id: "ntf_0000000000000001",
      eventId: "evt_0000000000000001",
      kind: "payment",
      text: "您孩子的补助已发放。",
      at,
    });

    const { json: second } = await chat({ text: "谢谢", session: first.session });
    expect(second.inbox).toEqual([{ id: "ntf_0000000000000001", kind: "payment", text: "您孩子的补助已发放。", at }]);
    const { json: third } = await chat({ text: "谢谢", session: first.session });
    expect(third.inbox).toEqual([]);
  });

  test("the page's own look for new items (POST /chat/:tenant/inbox) hands each item out once, and the next answer does not repeat it", async () => {
    const { json: first } = await chat({ text: "你好" });
    const stored = await getItem<{ userId: string }>(keys.webSession(tenant, first.session));
    const user = userKey("web", stored!.userId);
    const at = new Date().toISOString();
    const item = { id: "ntf_0000000000000002", kind: "reply" as const, text: "老师回复：下周一发放。", at };
    await inbox.push(tenant, user, { ...item, eventId: "hnd_0000000000000002" });

    const look = () =>
      app.request(`/chat/${tenant}/inbox`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ session: first.session }),
      });
    const res = await look();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ inbox: [item] });
    expect(await (await look()).json()).toEqual({ inbox: [] });
    const { json: next } = await chat({ text: "谢谢", session: first.session });
    expect(next.inbox).toEqual([]);

    // An unknown session gets nothing (and no session is made); a body without a session is refused.
    const unknown = await app.request(`/chat/${tenant}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ session: "A".repeat(22) }),
    });
    expect(await unknown.json()).toEqual({ inbox: [] });
    expect(await getItem(keys.webSession(tenant, "A".repeat(22)))).toBeUndefined();
    const bad = await app.request(`/chat/${tenant}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({}),
    });
    expect(bad.status).toBe(400);
  });

  test("refuses bad input with a clear 400", async () => {
    const cases: unknown[] = [
      { text: "" },
      { text: "   " },
      {},
      { text: 12 },
      { text: "问".repeat(501) },
      "not json",
      "[]",
    ];
    for (const body of cases) {
      const res = await chat(body);
      expect(res.status).toBe(400);
      expect((res.json as unknown as { error: { message: string } }).error.message).toBeTruthy();
    }
  });

  test("refuses a body over 8 KiB with 413, code body_too_large and a Chinese message", async () => {
    const res = await chat({ text: "问", pad: "x".repeat(9000) });
    expect(res.status).toBe(413);
    const error = (res.json as unknown as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("body_too_large");
    expect(error.message).toMatch(/^请求内容超过 8 KB/);
  });

  test("answers 404 for an unknown tenant", async () => {
    expect((await chat({ text: "你好" }, "no-such-county")).status).toBe(404);
  });
});

describe("GET / (the chat page)", () => {
  test("serves a self-contained Chinese page with the quick buttons and a strict CSP", async () => {
    const res = await app.request("/?tenant=demo");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    for (const label of ["绑定", "查进度", "政策", "人工"]) expect(html).toContain(`>${label}</button>`);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:/); // no CDN
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html).toContain(`<script nonce="${nonce}">`);
  });

  test("ignores a malformed tenant parameter", async () => {
    const html = await (await app.request("/?tenant=%3Cscript%3E")).text();
    expect(html).not.toContain("<script>alert");
    expect(html).toContain('"tenant":"demo"');
  });
});
