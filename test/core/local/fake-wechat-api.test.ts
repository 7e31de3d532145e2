import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startFakeWechatApi, type FakeWechatApi } from "../../fakes/wechat-api.js";
import { startFakeWechatApi as startFromCore } from "../../../core/local/fake-wechat-api.js";

const APPID = "wx_fake_app";
const SECRET = "fake_secret";
const CUSTOM = "/cgi-bin/message/custom/send";
const TEMPLATE = "/cgi-bin/message/template/send";
const TOKEN = "/cgi-bin/stable_token";

let clock = 1_700_000_000_000;
let api: FakeWechatApi;

async function post(path: string, body: unknown, raw = false): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ? String(body) : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function getToken(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await post(TOKEN, { grant_type: "client_credential", appid: APPID, secret: SECRET, ...extra });
  expect(typeof r.access_token).toBe("string");
  return String(r.access_token);
}

const text = (touser: string, content = "您好") => ({ touser, msgtype: "text", text: { content } });
const template = (touser: string, client_msg_id?: string) => ({
  touser,
  template_id: "tpl_1",
  data: { thing2: { value: "资助已发放" } },
  ...(client_msg_id ? { client_msg_id } : {}),
});

beforeAll(async () => {
  api = await startFakeWechatApi({ appId: APPID, secret: SECRET, now: () => clock });
});
afterAll(async () => {
  await api.stop();
});
beforeEach(() => {
  clock = 1_700_000_000_000;
  api.reset();
});

describe("fake WeChat API: tokens", () => {
  test("the fake listens on a local port and is exported from both places", () => {
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(startFromCore).toBe(startFakeWechatApi);
  });

  test("stable_token issues a token with its lifetime and returns the same one while it is valid", async () => {
    const first = await post(TOKEN, { grant_type: "client_credential", appid: APPID, secret: SECRET });
    expect(first.expires_in).toBe(7200);
    clock += 60_000;
    const second = await post(TOKEN, { grant_type: "client_credential", appid: APPID, secret: SECRET });
    expect(second.access_token).toBe(first.access_token);
    expect(second.expires_in).toBe(7140);
    expect(api.tokenCalls).toHaveLength(2);
    expect(api.tokenCalls[0]?.body).toEqual({ grant_type: "client_credential", appid: APPID, secret: SECRET });
    expect(api.currentToken()).toBe(first.access_token);
  });

  test("a new token is issued in the last five minutes and the old one keeps working until it expires", async () => {
    const old = await getToken();
    clock += (7200 - 200) * 1000;
    const fresh = await getToken();
    expect(fresh).not.toBe(old);
    expect((await post(`${CUSTOM}?access_token=${old}`, text("o1"))).errcode).toBe(0);
    clock += 201_000;
    expect((await post(`${CUSTOM}?access_token=${old}`, text("o1"))).errcode).toBe(42001);
    expect((await post(`${CUSTOM}?access_token=${fresh}`, text("o1"))).errcode).toBe(0);
  });

  test("force_refresh issues a new token and revokes the old one", async () => {
    const old = await getToken();
    const fresh = await getToken({ force_refresh: true });
    expect(fresh).not.toBe(old);
    expect((await post(`${CUSTOM}?access_token=${old}`, text("o1"))).errcode).toBe(40001);
    expect((await post(`${CUSTOM}?access_token=${fresh}`, text("o1"))).errcode).toBe(0);
  });

  test("a short token expiry makes the token expire and a new one get issued", async () => {
    api.setTokenExpiry(2);
    const r = await post(TOKEN, { grant_type: "client_credential", appid: APPID, secret: SECRET });
    expect(r.expires_in).toBe(2);
    clock += 2_000;
    expect((await post(`${CUSTOM}?access_token=${String(r.access_token)}`, text("o1"))).errcode).toBe(42001);
    expect(await getToken()).not.toBe(r.access_token);
  });

  test("expireTokens makes every issued token expired", async () => {
    const t = await getToken();
    api.expireTokens();
    expect((await post(`${CUSTOM}?access_token=${t}`, text("o1"))).errcode).toBe(42001);
  });

  test.each([
    ["a wrong secret", { grant_type: "client_credential", appid: APPID, secret: "nope" }, 40125],
    ["a wrong appid", { grant_type: "client_credential", appid: "wx_other", secret: SECRET }, 40013],
    ["a wrong grant type", { grant_type: "password", appid: APPID, secret: SECRET }, 40002],
  ])("stable_token with %s is refused", async (_label, body, errcode) => {
    const r = await post(TOKEN, body);
    expect(r.errcode).toBe(errcode);
    expect(r.access_token).toBeUndefined();
    expect(api.tokenCalls[0]?.errcode).toBe(errcode);
  });

  test("stable_token with a body that is not JSON is refused", async () => {
    expect((await post(TOKEN, "grant_type=client_credential", true)).errcode).toBe(47001);
  });

  test("without configured credentials any non-empty appid and secret are accepted", async () => {
    const open = await startFakeWechatApi();
    try {
      const res = await fetch(`${open.url}${TOKEN}`, {
        method: "POST",
        body: JSON.stringify({ grant_type: "client_credential", appid: "wx_any", secret: "any" }),
      });
      expect(((await res.json()) as { access_token?: string }).access_token).toMatch(/^fake_at_/);
    } finally {
      await open.stop();
    }
  });
});

describe("fake WeChat API: one token per account", () => {
  const OTHER = "wx_other_county";
  const OTHER_SECRET = "other_secret";
  const tokenFor = async (appid: string, secret: string) =>
    String((await post(TOKEN, { grant_type: "client_credential", appid, secret })).access_token);

  test("each AppID gets its own token, and each send is recorded with the AppID of its token", async () => {
    api.setAccount(OTHER, OTHER_SECRET);
    const mine = await getToken();
    const theirs = await tokenFor(OTHER, OTHER_SECRET);
    expect(theirs).not.toBe(mine);
    expect(api.currentToken(APPID)).toBe(mine);
    expect(api.currentToken(OTHER)).toBe(theirs);
    await post(`${CUSTOM}?access_token=${mine}`, text("o1"));
    await post(`${CUSTOM}?access_token=${theirs}`, text("o2"));
    expect(api.sends.map((x) => x.appId)).toEqual([APPID, OTHER]);
  });

  test("an AppID that is not one of the accounts, or a wrong secret for one, gets no token", async () => {
    api.setAccount(OTHER, OTHER_SECRET);
    expect((await post(TOKEN, { grant_type: "client_credential", appid: "wx_nobody", secret: "x" })).errcode).toBe(
      40013,
    );
    expect((await post(TOKEN, { grant_type: "client_credential", appid: OTHER, secret: SECRET })).errcode).toBe(40125);
  });

  test("a token of another AppID sending to an account's follower is refused with 40001", async () => {
    api.setAccount(OTHER, OTHER_SECRET);
    api.follow("oTheirs", OTHER);
    const mine = await getToken();
    const r = await post(`${CUSTOM}?access_token=${mine}`, text("oTheirs"));
    expect(r.errcode).toBe(40001);
    expect(api.sends).toHaveLength(0);
    const theirs = await tokenFor(OTHER, OTHER_SECRET);
    expect((await post(`${CUSTOM}?access_token=${theirs}`, text("oTheirs"))).errcode).toBe(0);
  });

  test("a changed secret: tokens got with the old one are refused, the new one gets a new token", async () => {
    api.setAccount(OTHER, OTHER_SECRET);
    const old = await tokenFor(OTHER, OTHER_SECRET);
    api.setAccount(OTHER, "reset_secret");
    expect((await post(`${CUSTOM}?access_token=${old}`, text("o1"))).errcode).toBe(40001);
    expect((await post(TOKEN, { grant_type: "client_credential", appid: OTHER, secret: OTHER_SECRET })).errcode).toBe(
      40125,
    );
    const fresh = await tokenFor(OTHER, "reset_secret");
    expect(fresh).not.toBe(old);
    expect((await post(`${CUSTOM}?access_token=${fresh}`, text("o1"))).errcode).toBe(0);
  });
});

describe("fake WeChat API: sending", () => {
  test("an accepted customer-service message is recorded with its path, body and time", async () => {
    const t = await getToken();
    const r = await post(`${CUSTOM}?access_token=${t}`, text("oUser", "两免一补每学期申请一次。"));
    expect(r).toEqual({ errcode: 0, errmsg: "ok" });
    expect(api.sends).toEqual([
      { path: CUSTOM, body: text("oUser", "两免一补每学期申请一次。"), time: clock, appId: APPID },
    ]);
  });

  test.each([
    ["no access token", "", 41001],
    ["an unknown access token", "?access_token=forged", 40001],
  ])("a send with %s is refused and not recorded", async (_label, query, errcode) => {
    await getToken();
    expect((await post(`${CUSTOM}${query}`, text("o1"))).errcode).toBe(errcode);
    expect((await post(`${TEMPLATE}${query}`, template("o1"))).errcode).toBe(errcode);
    expect(api.sends).toHaveLength(0);
  });

  test("template sends return increasing msgids", async () => {
    const t = await getToken();
    const a = await post(`${TEMPLATE}?access_token=${t}`, template("o1"));
    const b = await post(`${TEMPLATE}?access_token=${t}`, template("o2"));
    expect(a.errcode).toBe(0);
    expect(a.errmsg).toBe("ok");
    expect(typeof a.msgid).toBe("number");
    expect(Number(b.msgid)).toBeGreaterThan(Number(a.msgid));
    expect(api.sends.map((s) => s.msgid)).toEqual([a.msgid, b.msgid]);
  });

  test("a text message over 2048 bytes is refused with 45002", async () => {
    const t = await getToken();
    expect((await post(`${CUSTOM}?access_token=${t}`, text("o1", "资".repeat(683)))).errcode).toBe(45002);
    expect((await post(`${CUSTOM}?access_token=${t}`, text("o1", "资".repeat(682)))).errcode).toBe(0);
  });

  test("malformed send bodies are refused", async () => {
    const t = await getToken();
    expect((await post(`${CUSTOM}?access_token=${t}`, "{not json", true)).errcode).toBe(47001);
    expect((await post(`${CUSTOM}?access_token=${t}`, "", true)).errcode).toBe(44002);
    expect((await post(`${CUSTOM}?access_token=${t}`, { msgtype: "text", text: { content: "x" } })).errcode).toBe(
      40003,
    );
    expect((await post(`${TEMPLATE}?access_token=${t}`, { touser: "o1" })).errcode).toBe(40037);
    expect(api.sends).toHaveLength(0);
  });

  test("the same touser and client_msg_id within ten minutes is delivered once", async () => {
    const t = await getToken();
    const first = await post(`${TEMPLATE}?access_token=${t}`, template("o1", "ntf_1"));
    clock += 9 * 60_000;
    const again = await post(`${TEMPLATE}?access_token=${t}`, template("o1", "ntf_1"));
    expect(again).toEqual(first);
    expect(api.sends).toHaveLength(1);

    await post(`${TEMPLATE}?access_token=${t}`, template("o2", "ntf_1")); // another user: delivered
    expect(api.sends).toHaveLength(2);

    clock += 2 * 60_000; // 11 minutes after the first: the id may be reused
    const later = await post(`${TEMPLATE}?access_token=${t}`, template("o1", "ntf_1"));
    expect(later.msgid).not.toBe(first.msgid);
    expect(api.sends).toHaveLength(3);
  });

  test("a failed send does not consume its client_msg_id", async () => {
    const t = await getToken();
    api.failNext(TEMPLATE, -1);
    expect((await post(`${TEMPLATE}?access_token=${t}`, template("o1", "ntf_9"))).errcode).toBe(-1);
    expect((await post(`${TEMPLATE}?access_token=${t}`, template("o1", "ntf_9"))).errcode).toBe(0);
    expect(api.sends).toHaveLength(1);
  });
});

describe("fake WeChat API: injected failures", () => {
  test.each([-1, 45009, 43004, 40003, 43101, 45015, 45047, 40001])(
    "failNext makes the next call answer errcode %i without recording it",
    async (errcode) => {
      const t = await getToken();
      api.failNext(CUSTOM, errcode);
      const r = await post(`${CUSTOM}?access_token=${t}`, text("o1"));
      expect(r.errcode).toBe(errcode);
      expect(typeof r.errmsg).toBe("string");
      expect(api.sends).toHaveLength(0);
      expect((await post(`${CUSTOM}?access_token=${t}`, text("o1"))).errcode).toBe(0);
      expect(api.sends).toHaveLength(1);
    },
  );

  test("failNext with a count fails exactly that many calls, only on that path", async () => {
    const t = await getToken();
    api.failNext(TEMPLATE, 45009, 2);
    expect((await post(`${CUSTOM}?access_token=${t}`, text("o1"))).errcode).toBe(0);
    expect((await post(`${TEMPLATE}?access_token=${t}`, template("o1"))).errcode).toBe(45009);
    expect((await post(`${TEMPLATE}?access_token=${t}`, template("o1"))).errcode).toBe(45009);
    expect((await post(`${TEMPLATE}?access_token=${t}`, template("o1"))).errcode).toBe(0);
    expect(api.calls.map((c) => [c.path, c.errcode])).toEqual([
      [TOKEN, 0],
      [CUSTOM, 0],
      [TEMPLATE, 45009],
      [TEMPLATE, 45009],
      [TEMPLATE, 0],
    ]);
  });

  test("queued failures are served in order", async () => {
    const t = await getToken();
    api.failNext(CUSTOM, 40001);
    api.failNext(CUSTOM, -1, 2);
    const codes: unknown[] = [];
    for (let i = 0; i < 4; i++) codes.push((await post(`${CUSTOM}?access_token=${t}`, text("o1"))).errcode);
    expect(codes).toEqual([40001, -1, -1, 0]);
  });

  test("the token endpoint can be made to fail too", async () => {
    api.failNext(TOKEN, -1);
    expect((await post(TOKEN, { grant_type: "client_credential", appid: APPID, secret: SECRET })).errcode).toBe(-1);
    expect(await getToken()).toMatch(/^fake_at_/);
    expect(api.tokenCalls.map((c) => c.errcode)).toEqual([-1, 0]);
  });

  test("artificial latency delays every answer", async () => {
    api.setLatency(60);
    const start = performance.now();
    await getToken();
    expect(performance.now() - start).toBeGreaterThanOrEqual(55);
  });

  test("reset forgets tokens, records and pending failures", async () => {
    const t = await getToken();
    await post(`${CUSTOM}?access_token=${t}`, text("o1"));
    api.failNext(CUSTOM, -1);
    api.reset();
    expect(api.sends).toHaveLength(0);
    expect(api.tokenCalls).toHaveLength(0);
    expect(api.currentToken()).toBeUndefined();
    expect((await post(`${CUSTOM}?access_token=${t}`, text("o1"))).errcode).toBe(40001);
    const t2 = await getToken();
    expect((await post(`${CUSTOM}?access_token=${t2}`, text("o1"))).errcode).toBe(0);
  });

  test("unknown paths answer 404 and GET is refused", async () => {
    expect((await fetch(`${api.url}/cgi-bin/nope`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${api.url}${TOKEN}`)).status).toBe(405);
  });
});
