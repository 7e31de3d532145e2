/**
 * Named staff accounts and the console's session cookie: login, first-login password change, CSRF on writes,
 * lockout, reset by the level above, logout, scope through the cookie, and audit entries that name the person.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../../functions/http/app.js";
import { ensureFirstBureauAccount } from "../../../../core/accounts/index.js";
import { call, county, studentRow, type Json } from "./support.js";

type County = Awaited<ReturnType<typeof county>>;
let c: County;

interface Browser {
  cookie: string;
  csrf: string;
  setCookie: string;
}

async function send(
  b: Partial<Browser> | undefined,
  method: string,
  path: string,
  body?: unknown,
  opts: { csrf?: string | null } = {},
) {
  const headers: Record<string, string> = {};
  if (b?.cookie) headers.cookie = b.cookie;
  const csrf = opts.csrf === undefined ? b?.csrf : opts.csrf;
  if (csrf) headers["x-csrf-token"] = csrf;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as Json;
  return { status: res.status, body: json, setCookie: res.headers.get("set-cookie") ?? "" };
}

async function login(tenant: string, username: string, password: string): Promise<Browser> {
  const r = await send(undefined, "POST", "/api/session", { tenant, username, password });
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return { cookie: r.setCookie.split(";")[0]!, csrf: r.body.csrf as string, setCookie: r.setCookie };
}

/** First login: change the one-time password; answers the new session. */
async function firstLogin(tenant: string, username: string, initial: string, chosen = "Zizhu2025ok"): Promise<Browser> {
  const b = await login(tenant, username, initial);
  const r = await send(b, "POST", "/api/session/password", { current: initial, next: chosen });
  expect(r.status).toBe(200);
  return { cookie: r.setCookie.split(";")[0]!, csrf: r.body.csrf as string, setCookie: r.setCookie };
}

let bureau: Browser;

beforeAll(async () => {
  c = await county();
  const first = await ensureFirstBureauAccount(c.tenant);
  bureau = await firstLogin(c.tenant, first.username, first.password!);
});

describe("console login", () => {
  it("sets an httpOnly, Secure, SameSite=Strict session cookie with an expiry", async () => {
    const first = await ensureFirstBureauAccount(c.tenant);
    expect(first.password).toBeUndefined(); // changed at first login: never printed again
    const b = await login(c.tenant, "admin", "Zizhu2025ok");
    expect(b.setCookie).toMatch(/^zz_session=zs_/);
    expect(b.setCookie).toMatch(/HttpOnly/i);
    expect(b.setCookie).toMatch(/Secure/i);
    expect(b.setCookie).toMatch(/SameSite=Strict/i);
    expect(b.setCookie).toMatch(/Expires=/i);
    const me = await send(b, "GET", "/api/session");
    expect(me.body.person).toBe("县资助中心管理员（县资助中心）");
  });

  it("names where the person works for the console header: the school's name, or the township", async () => {
    const school = await send(bureau, "POST", "/api/accounts", {
      name: "李老师",
      username: "lihdx",
      role: "school",
      schoolId: "a1",
    });
    const town = await send(bureau, "POST", "/api/accounts", {
      name: "周老师",
      username: "zhouhk",
      role: "township",
      township: "河口乡",
    });
    expect([school.status, town.status]).toEqual([201, 201]);
    const s = await firstLogin(c.tenant, "lihdx", school.body.password);
    const t = await firstLogin(c.tenant, "zhouhk", town.body.password);
    expect((await send(s, "GET", "/api/session")).body).toMatchObject({
      person: "李老师（学校资助专干）",
      unit: "城关一小",
    });
    expect((await send(t, "GET", "/api/session")).body.unit).toBe("河口乡");
    expect((await send(bureau, "GET", "/api/session")).body.unit).toBeUndefined();
  });

  it("answers the same Chinese 401 for an unknown user and a wrong password", async () => {
    const unknown = await send(undefined, "POST", "/api/session", {
      tenant: c.tenant,
      username: "nobody",
      password: "x",
    });
    const wrong = await send(undefined, "POST", "/api/session", {
      tenant: c.tenant,
      username: "admin",
      password: "wrong-password1",
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(unknown.body.error.message).toMatch(/用户名或密码不对/);
  });

  it("refuses every staff route without a cookie or token", async () => {
    const r = await send(undefined, "GET", "/api/schools");
    expect(r.status).toBe(401);
  });

  it("lets a first-login session do nothing but change its password", async () => {
    const made = await send(bureau, "POST", "/api/accounts", {
      name: "王主任",
      username: "wangzr",
      role: "township",
      township: "城关镇",
    });
    expect(made.status).toBe(201);
    const b = await login(c.tenant, "wangzr", made.body.password);
    const blocked = await send(b, "GET", "/api/schools");
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe("password_change_required");
    const weak = await send(b, "POST", "/api/session/password", { current: made.body.password, next: "12345678" });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/字母和数字/);
    const changed = await send(b, "POST", "/api/session/password", {
      current: made.body.password,
      next: "Chengguan2025",
    });
    expect(changed.status).toBe(200);
    // The old cookie ended with the change; the new one works.
    expect((await send(b, "GET", "/api/schools")).status).toBe(401);
    const nb = { cookie: changed.setCookie.split(";")[0]!, csrf: changed.body.csrf };
    const schools = await send(nb, "GET", "/api/schools");
    expect(schools.status).toBe(200);
    expect((schools.body.items as Json[]).map((s) => s.id).sort()).toEqual(["a1", "a2"]);
  });
});

describe("CSRF", () => {
  it("refuses a cookie write without the session's CSRF token, and with another session's", async () => {
    const other = await login(c.tenant, "admin", "Zizhu2025ok");
    const body = { name: "赵老师", username: "zhaols", role: "school", schoolId: "b1" };
    const none = await send(bureau, "POST", "/api/accounts", body, { csrf: null });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe("csrf");
    expect(none.body.error.message).toMatch(/刷新页面/);
    const foreign = await send(bureau, "POST", "/api/accounts", body, { csrf: other.csrf });
    expect(foreign.status).toBe(403);
    const list = await send(bureau, "GET", "/api/accounts");
    expect((list.body.items as Json[]).some((a) => a.username === "zhaols")).toBe(false);
    expect((await send(bureau, "POST", "/api/accounts", body)).status).toBe(201);
  });

  it("does not ask a Bearer token for a CSRF token (automation)", async () => {
    const r = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [studentRow("G510000201501010077", "孙小七", "a1")],
    });
    expect(r.status).toBe(200);
  });
});

describe("accounts by level", () => {
  it("refuses a township that no school belongs to (青松 for 青松镇), naming the real ones", async () => {
    const r = await send(bureau, "POST", "/api/accounts", {
      name: "周老师",
      username: "zhou1",
      role: "township",
      township: "城关",
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("unknown_township");
    expect(r.body.error.message).toContain("城关镇");
  });

  it("lets a township open and reset its own schools' accounts only", async () => {
    const twp = await login(c.tenant, "wangzr", "Chengguan2025");
    const own = await send(twp, "POST", "/api/accounts", {
      name: "李老师",
      username: "lils",
      role: "school",
      schoolId: "a1",
    });
    expect(own.status).toBe(201);
    const foreign = await send(twp, "POST", "/api/accounts", {
      name: "钱老师",
      username: "qianls",
      role: "school",
      schoolId: "b1",
    });
    expect(foreign.status).toBe(403);
    const bureauAcc = await send(twp, "POST", "/api/accounts", { name: "孙主任", username: "sunzr", role: "bureau" });
    expect(bureauAcc.status).toBe(403);
    expect((await send(twp, "POST", "/api/accounts/zhaols/reset")).status).toBe(404); // 河口乡's school: not its own
    const reset = await send(twp, "POST", "/api/accounts/lils/reset");
    expect(reset.status).toBe(200);
    expect(reset.body.password).not.toBe(own.body.password);
    expect(
      (
        await send(undefined, "POST", "/api/session", {
          tenant: c.tenant,
          username: "lils",
          password: own.body.password,
        })
      ).status,
    ).toBe(401);
    const school = await firstLogin(c.tenant, "lils", reset.body.password, "Lils2025abc");
    expect((await send(school, "GET", "/api/accounts")).status).toBe(403);
    // A school account manages no accounts: refused by role before any lookup (it learns nothing about wangzr).
    expect((await send(school, "POST", "/api/accounts/wangzr/reset")).status).toBe(403);
  });

  it("keeps a school session inside its school and names the person in the audit trail", async () => {
    const school = await login(c.tenant, "lils", "Lils2025abc");
    const up = await call(c.tokens.bureau, "POST", "/api/students", {
      students: [studentRow("G510000201501010088", "周小八", "a1"), studentRow("G510000201501010099", "吴小九", "b1")],
    });
    const [mine, theirs] = (up.body.rows as Json[]).map((r) => r.studentId as string);
    expect((await send(school, "GET", `/api/students/${theirs}`)).status).toBe(404);
    const app1 = await send(school, "POST", "/api/applications", {
      studentId: mine,
      programme: "compulsory_living",
      term: "2025-autumn",
      amount: 625,
    });
    expect(app1.status).toBe(201);
    const id = app1.body.application.id as string;
    expect((await send(school, "POST", `/api/applications/${id}/approve`, { from: "submitted" })).status).toBe(200);
    const trail = await send(bureau, "GET", `/api/applications/${id}`);
    const names = (trail.body.trail as Json[]).map((t) => t.actor.name);
    expect(names).toEqual(["李老师（学校资助专干）", "李老师（学校资助专干）"]);
  });

  it("locks an account after five wrong passwords in a row, and a reset lifts the lock", async () => {
    const made = await send(bureau, "POST", "/api/accounts", {
      name: "郑老师",
      username: "13800001111",
      role: "school",
      schoolId: "a2",
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await send(undefined, "POST", "/api/session", {
            tenant: c.tenant,
            username: "13800001111",
            password: `wrong-${i}`,
          })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await send(undefined, "POST", "/api/session", {
      tenant: c.tenant,
      username: "13800001111",
      password: made.body.password,
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("account_locked");
    expect(locked.body.error.message).toMatch(/重置密码/);
    const reset = await send(bureau, "POST", "/api/accounts/13800001111/reset");
    expect(
      (
        await send(undefined, "POST", "/api/session", {
          tenant: c.tenant,
          username: "13800001111",
          password: reset.body.password,
        })
      ).status,
    ).toBe(200);
  });

  it("ends the session at logout", async () => {
    const b = await login(c.tenant, "admin", "Zizhu2025ok");
    expect((await send(b, "DELETE", "/api/session")).status).toBe(200);
    expect((await send(b, "GET", "/api/session")).status).toBe(401);
  });

  it("never opens another county's account with the same username", async () => {
    const other = await county();
    await ensureFirstBureauAccount(other.tenant);
    const r = await send(undefined, "POST", "/api/session", {
      tenant: other.tenant,
      username: "admin",
      password: "Zizhu2025ok",
    });
    expect(r.status).toBe(401);
  });
});
