/**
 * A named console account as a browser holds it (session cookie + CSRF token), for API tests that act as a school
 * officer without Chromium: created by the bureau, first password changed, then signed in.
 */
import type { Hono } from "hono";
import * as accounts from "../../core/accounts/index.js";

export type Json = Record<string, any>;

export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

/** One call as the signed-in person: status, Retry-After and the JSON body (empty when there is none). */
export async function sendAs(app: Hono, b: ConsoleSession, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { cookie: b.cookie, "x-csrf-token": b.csrf };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json().catch(() => ({}))) as Json,
  };
}

/** A school officer's account at `schoolId`, created by the bureau, its first password changed, signed in. */
export async function schoolOfficer(
  app: Hono,
  tenant: string,
  who: { name: string; username: string; schoolId: string },
): Promise<ConsoleSession> {
  const made = await accounts.create(
    { tenant, role: "bureau", id: "admin" },
    { name: who.name, username: who.username, role: "school", schoolId: who.schoolId },
  );
  const login = async (password: string) => {
    const res = await app.request("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant, username: who.username, password }),
    });
    const body = (await res.json()) as Json;
    return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, csrf: body.csrf as string };
  };
  const first = await login(made.password);
  const changed = await sendAs(app, first, "POST", "/api/session/password", {
    current: made.password,
    next: "Zizhu2025ok",
  });
  if (changed.status !== 200) throw new Error(`first password change answered ${changed.status}`);
  return login("Zizhu2025ok");
}
