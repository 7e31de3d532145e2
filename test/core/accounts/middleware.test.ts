/**
 * The refusals staffAuth() makes before any read: no credential, a malformed one, a token too short to be one, a
 * cookie not shaped like a session; and the public paths it lets through. Resolving real tokens and sessions, CSRF
 * and the first-login password change are covered through the HTTP API in
 * test/functions/http/api/accounts.int.test.ts and token-rotation.int.test.ts.
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { staffAuth } from "../../../core/accounts/middleware.js";
import { SESSION_COOKIE } from "../../../core/accounts/sessions.js";
import { onError } from "../../../functions/http/errors.js";

function app() {
  const a = new Hono();
  a.onError(onError);
  a.use("/api/*", staffAuth({ public: ["/api/openapi.json"] }));
  a.get("/api/openapi.json", (c) => c.json({ openapi: "3.1.0" }));
  a.get("/api/students", (c) => c.json({ staff: c.var.staff }));
  return a;
}

async function call(headers: Record<string, string> = {}, path = "/api/students") {
  const res = await app().request(path, { headers });
  return {
    status: res.status,
    wwwAuthenticate: res.headers.get("www-authenticate"),
    body: (await res.json()) as never,
  };
}

const MESSAGE = "请先登录（控制台）或在请求头带上有效的令牌 Authorization: Bearer <token>";

describe("staffAuth before any read", () => {
  it("refuses a request with no credential with one 401 in Chinese", async () => {
    const out = await call();
    expect(out.status).toBe(401);
    expect(out.body).toMatchObject({ error: { code: "unauthorized", message: MESSAGE } });
  });

  it.each([
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["a bare word", "Bearer"],
    ["a token too short to be one", "Bearer abc"],
    ["two tokens", "Bearer aaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbb"],
  ])("refuses %s with the same 401 and a Bearer challenge", async (_, authorization) => {
    const out = await call({ authorization });
    expect(out.status).toBe(401);
    expect(out.wwwAuthenticate).toBe('Bearer realm="zizhu"');
    expect(out.body).toMatchObject({ error: { code: "unauthorized", message: MESSAGE } });
  });

  it("refuses a cookie not shaped like a session with the same 401", async () => {
    const out = await call({ cookie: `${SESSION_COOKIE}=forged` });
    expect(out.status).toBe(401);
    expect(out.body).toMatchObject({ error: { code: "unauthorized", message: MESSAGE } });
  });

  it("lets a public path through without a credential", async () => {
    const out = await call({}, "/api/openapi.json");
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ openapi: "3.1.0" });
  });
});
