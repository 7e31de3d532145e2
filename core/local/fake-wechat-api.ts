/**
 * A local stand-in for api.weixin.qq.com, used by tests and by `npm run dev` when no real
 * credentials are configured. Plain node:http, listens on 127.0.0.1 (port 0 by default).
 *
 * Implemented:
 *   POST /cgi-bin/stable_token                 {grant_type, appid, secret, force_refresh?} → {access_token, expires_in}
 *   POST /cgi-bin/message/custom/send          customer-service message
 *   POST /cgi-bin/message/template/send        template message → {errcode:0, errmsg:"ok", msgid}
 *   POST /cgi-bin/message/subscribe/bizsend    subscribe notification
 *
 * Behaviour copied from WeChat: HTTP 200 with an `errcode` in the body for every outcome; stable
 * tokens are reused while valid (a new one is issued in the last 5 minutes, the old one keeps
 * working until it expires; force_refresh revokes it); 40001/42001 for a wrong or expired token;
 * text content over 2048 bytes → 45002; the same touser + client_msg_id within 10 minutes is
 * delivered (recorded) only once. failNext() injects errors; latency can be added.
 *
 * Several accounts (one per county): every token is tied to the AppID and AppSecret that got it, and each AppID
 * has its own tokens. Each send is recorded with the AppID of its token, so a test can prove a county sent with its
 * own account. An openid belongs to one account (`follow(openid, appId)`, as openids are per Official Account):
 * a token of another AppID used to send to it is refused with 40001, as WeChat refuses a credential that is not
 * this account's. `setAccount(appId, secret)` changes an account's secret (a reset in the WeChat admin): tokens got
 * with the old secret are refused from then on (40001).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

export const FAKE_WECHAT_PATHS = {
  stableToken: "/cgi-bin/stable_token",
  customSend: "/cgi-bin/message/custom/send",
  templateSend: "/cgi-bin/message/template/send",
  bizSend: "/cgi-bin/message/subscribe/bizsend",
} as const;

const SEND_PATHS: ReadonlySet<string> = new Set([
  FAKE_WECHAT_PATHS.customSend,
  FAKE_WECHAT_PATHS.templateSend,
  FAKE_WECHAT_PATHS.bizSend,
]);

const ERRMSG: Record<number, string> = {
  [-1]: "system error",
  0: "ok",
  40001: "invalid credential, access_token is invalid or not latest",
  40002: "invalid grant_type",
  40003: "invalid openid",
  40013: "invalid appid",
  40014: "invalid access_token",
  40037: "invalid template_id",
  40125: "invalid appsecret",
  40164: "invalid ip, not in whitelist",
  41001: "access_token missing",
  42001: "access_token expired",
  43004: "require subscribe",
  43101: "user refuse to accept the msg",
  44002: "empty post data",
  45002: "content size out of limit",
  45009: "reach max api daily quota limit",
  45011: "api minute-quota reach limit",
  45015: "response out of time limit or subscription is canceled",
  45047: "out of response count limit",
  47001: "data format error",
  48001: "api unauthorized",
};

export interface FakeWechatApiOptions {
  /** When set, stable_token requires this appid (else any non-empty appid is accepted). */
  appId?: string;
  /** When set, stable_token requires this secret (else any non-empty secret is accepted). */
  secret?: string;
  /** Accounts besides `appId`/`secret` (AppID → AppSecret); with any account set, only these AppIDs get tokens. */
  accounts?: Record<string, string>;
  /** Lifetime of newly issued tokens, seconds. Default 7200. */
  tokenTtlSeconds?: number;
  /** Delay before every response, ms. Default 0. */
  latencyMs?: number;
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Host to bind; default 127.0.0.1. */
  host?: string;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

export interface RecordedSend {
  path: string;
  body: unknown;
  /** ms since epoch (fake clock). */
  time: number;
  /** Template/bizsend: the msgid returned. */
  msgid?: number;
  /** The AppID whose token the send used: the account it went out from. */
  appId: string;
}

export interface TokenCall {
  body: unknown;
  time: number;
  errcode: number;
  /** The token returned, when errcode is 0. */
  accessToken?: string;
}

export interface CallRecord {
  path: string;
  errcode: number;
  time: number;
}

export interface FakeWechatApi {
  /** Base URL, e.g. http://127.0.0.1:54321 (no trailing slash). */
  url: string;
  stop(): Promise<void>;
  /** Accepted sends, in order (live array). Deduplicated client_msg_id repeats are not included. */
  sends: RecordedSend[];
  /** Every stable_token call, successful or not (live array). */
  tokenCalls: TokenCall[];
  /** Every request to a known path with its errcode (live array). */
  calls: CallRecord[];
  /** The next `times` calls to `path` answer `errcode` without doing anything else. */
  failNext(path: string, errcode: number, times?: number): void;
  /**
   * The next `times` calls to `path` are read and then never answered (the connection stays open until the caller
   * gives up or the fake stops): WeChat timing out. Recorded in `calls` with errcode -2.
   */
  hangNext(path: string, times?: number): void;
  /** Lifetime, in seconds, of tokens issued from now on. */
  setTokenExpiry(seconds: number): void;
  /** Makes every issued token expired now (→ 42001 on use). */
  expireTokens(): void;
  setLatency(ms: number): void;
  /** The token a stable_token call would return now (for `appId`, else the one issued last), if one is live. */
  currentToken(appId?: string): string | undefined;
  /** Adds an account, or changes its secret: tokens got with its old secret are refused from now on (40001). */
  setAccount(appId: string, secret: string): void;
  /** Says `openId` follows the account `appId`: a send to it with another AppID's token is refused (40001). */
  follow(openId: string, appId: string): void;
  /** Forgets everything (tokens, records, failures, dedupe memory) and restores the options. */
  reset(): void;
}

const CLIENT_MSG_ID_WINDOW_MS = 10 * 60 * 1000;
const ROTATE_BEFORE_MS = 5 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const TEXT_LIMIT_BYTES = 2048;

type JsonBody = { kind: "json"; value: unknown } | { kind: "empty" } | { kind: "invalid" };

function parseJson(raw: string): JsonBody {
  if (raw.trim() === "") return { kind: "empty" };
  try {
    return { kind: "json", value: JSON.parse(raw) as unknown };
  } catch {
    return { kind: "invalid" };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface TokenState {
  appId: string;
  secret: string;
  expiresAt: number;
  revoked: boolean;
}

export async function startFakeWechatApi(options: FakeWechatApiOptions = {}): Promise<FakeWechatApi> {
  const now = options.now ?? Date.now;
  let ttlSeconds = options.tokenTtlSeconds ?? 7200;
  let latencyMs = options.latencyMs ?? 0;
  const tokens = new Map<string, TokenState>();
  /** The token issued last, per AppID, and overall. */
  const latest = new Map<string, string>();
  let latestOverall: string | undefined;
  const initialAccounts = (): Map<string, string> => {
    const m = new Map(Object.entries(options.accounts ?? {}));
    if (options.appId && options.secret) m.set(options.appId, options.secret);
    return m;
  };
  let accounts = initialAccounts();
  const followers = new Map<string, string>();
  const failures = new Map<string, { errcode: number; remaining: number }[]>();
  const hangs = new Map<string, number>();
  const clientMsgIds = new Map<string, { at: number; msgid?: number }>();
  let nextMsgId = 1000;

  const sends: RecordedSend[] = [];
  const tokenCalls: TokenCall[] = [];
  const calls: CallRecord[] = [];

  const liveToken = (appId?: string): string | undefined => {
    const token = appId === undefined ? latestOverall : latest.get(appId);
    if (!token) return undefined;
    const st = tokens.get(token);
    return st && !st.revoked && st.expiresAt > now() ? token : undefined;
  };

  const issueToken = (appId: string, secret: string): string => {
    const token = `fake_at_${randomBytes(24).toString("hex")}`;
    tokens.set(token, { appId, secret, expiresAt: now() + ttlSeconds * 1000, revoked: false });
    latest.set(appId, token);
    latestOverall = token;
    return token;
  };

  const takeFailure = (path: string): number | undefined => {
    const queue = failures.get(path);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining--;
    if (head.remaining <= 0) queue.shift();
    return head.errcode;
  };

  const handleToken = (parsed: JsonBody): Record<string, unknown> => {
    const body = parsed.kind === "json" ? parsed.value : undefined;
    const call: TokenCall = { body, time: now(), errcode: 0 };
    tokenCalls.push(call);
    const fail = (errcode: number) => {
      call.errcode = errcode;
      return { errcode, errmsg: ERRMSG[errcode] ?? "fake error" };
    };
    const injected = takeFailure(FAKE_WECHAT_PATHS.stableToken);
    if (injected !== undefined) return fail(injected);
    if (!isObject(body)) return fail(47001);
    const b = body;
    if (b.grant_type !== "client_credential") return fail(40002);
    const known = accounts.size > 0 || options.appId !== undefined;
    if (
      typeof b.appid !== "string" ||
      b.appid === "" ||
      (known && !accounts.has(b.appid) && b.appid !== options.appId)
    ) {
      return fail(40013);
    }
    const expected = accounts.get(b.appid) ?? (b.appid === options.appId ? options.secret : undefined);
    if (typeof b.secret !== "string" || b.secret === "" || (expected !== undefined && b.secret !== expected)) {
      return fail(40125);
    }
    const appId = b.appid;
    const secret = b.secret;
    let token = liveToken(appId);
    if (token && tokens.get(token)?.secret !== secret) token = undefined; // got with another secret
    if (b.force_refresh === true) {
      const st = token ? tokens.get(token) : undefined;
      if (st) st.revoked = true;
      token = undefined;
    }
    if (
      token &&
      (tokens.get(token)?.expiresAt ?? 0) - now() <= ROTATE_BEFORE_MS &&
      ttlSeconds * 1000 > ROTATE_BEFORE_MS
    ) {
      token = undefined; // rotation window: a fresh token, the old one stays valid until it expires
    }
    token ??= issueToken(appId, secret);
    const expiresIn = Math.max(0, Math.ceil(((tokens.get(token)?.expiresAt ?? 0) - now()) / 1000));
    call.accessToken = token;
    return { access_token: token, expires_in: expiresIn };
  };

  const checkToken = (accessToken: string | null): number => {
    if (!accessToken) return 41001;
    const st = tokens.get(accessToken);
    if (!st || st.revoked) return 40001;
    if (st.expiresAt <= now()) return 42001;
    return 0;
  };

  /** 40001 when `touser` follows another account than the token's. */
  const checkAccount = (accessToken: string, touser: string): number => {
    const owner = followers.get(touser);
    return owner !== undefined && owner !== tokens.get(accessToken)?.appId ? 40001 : 0;
  };

  const handleSend = (path: string, accessToken: string | null, parsed: JsonBody): Record<string, unknown> => {
    const injected = takeFailure(path);
    if (injected !== undefined) return { errcode: injected, errmsg: ERRMSG[injected] ?? "fake error" };
    const tokenErr = checkToken(accessToken);
    if (tokenErr) return { errcode: tokenErr, errmsg: ERRMSG[tokenErr] };
    if (parsed.kind === "empty") return { errcode: 44002, errmsg: ERRMSG[44002] };
    if (parsed.kind === "invalid" || !isObject(parsed.value)) return { errcode: 47001, errmsg: ERRMSG[47001] };
    const b = parsed.value;
    if (typeof b.touser !== "string" || b.touser === "") return { errcode: 40003, errmsg: ERRMSG[40003] };
    const accountErr = checkAccount(accessToken!, b.touser);
    if (accountErr) return { errcode: accountErr, errmsg: `${ERRMSG[accountErr]} (token of another account)` };

    if (path === FAKE_WECHAT_PATHS.customSend) {
      if (typeof b.msgtype !== "string") return { errcode: 47001, errmsg: ERRMSG[47001] };
      if (b.msgtype === "text") {
        const content = (b.text as { content?: unknown } | undefined)?.content;
        if (typeof content !== "string") return { errcode: 47001, errmsg: ERRMSG[47001] };
        if (Buffer.byteLength(content, "utf8") > TEXT_LIMIT_BYTES) return { errcode: 45002, errmsg: ERRMSG[45002] };
      }
    } else {
      if (typeof b.template_id !== "string" || b.template_id === "") return { errcode: 40037, errmsg: ERRMSG[40037] };
      if (b.data !== undefined && (typeof b.data !== "object" || b.data === null)) {
        return { errcode: 47001, errmsg: ERRMSG[47001] };
      }
    }

    const t = now();
    const hasMsgId = path !== FAKE_WECHAT_PATHS.customSend;
    const cmid = typeof b.client_msg_id === "string" && b.client_msg_id !== "" ? b.client_msg_id : undefined;
    if (cmid) {
      const key = `${b.touser}\u0000${cmid}`;
      const seen = clientMsgIds.get(key);
      if (seen && t - seen.at < CLIENT_MSG_ID_WINDOW_MS) {
        return hasMsgId ? { errcode: 0, errmsg: "ok", msgid: seen.msgid } : { errcode: 0, errmsg: "ok" };
      }
    }
    const record: RecordedSend = { path, body: b, time: t, appId: tokens.get(accessToken!)?.appId ?? "" };
    if (hasMsgId) record.msgid = nextMsgId++;
    sends.push(record);
    if (cmid) clientMsgIds.set(`${b.touser}\u0000${cmid}`, { at: t, msgid: record.msgid });
    return hasMsgId ? { errcode: 0, errmsg: "ok", msgid: record.msgid } : { errcode: 0, errmsg: "ok" };
  };

  const readBody = (req: IncomingMessage): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          resolve(null);
          req.destroy();
          return;
        }
        parts.push(c);
      });
      req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
      req.on("error", reject);
    });

  const respond = (res: ServerResponse, status: number, payload: unknown): void => {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake.local");
      const raw = await readBody(req);
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      if (raw === null) return respond(res, 413, { errcode: 47001, errmsg: "body too large" });
      const path = url.pathname;
      const known = path === FAKE_WECHAT_PATHS.stableToken || SEND_PATHS.has(path);
      if (!known) return respond(res, 404, { errcode: -1, errmsg: "fake wechat api: unknown path" });
      if (req.method !== "POST") return respond(res, 405, { errcode: -1, errmsg: "fake wechat api: POST only" });
      const hang = hangs.get(path) ?? 0;
      if (hang > 0) {
        hangs.set(path, hang - 1);
        calls.push({ path, errcode: -2, time: now() });
        return; // never answered: the socket is closed by the caller's timeout or by stop()
      }
      const result =
        path === FAKE_WECHAT_PATHS.stableToken
          ? handleToken(parseJson(raw))
          : handleSend(path, url.searchParams.get("access_token"), parseJson(raw));
      calls.push({ path, errcode: typeof result.errcode === "number" ? result.errcode : 0, time: now() });
      respond(res, 200, result);
    })().catch(() => {
      if (!res.headersSent) respond(res, 500, { errcode: -1, errmsg: "fake wechat api: internal error" });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${host}:${addr.port}`,
    sends,
    tokenCalls,
    calls,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    failNext(path, errcode, times = 1) {
      const queue = failures.get(path) ?? [];
      queue.push({ errcode, remaining: times });
      failures.set(path, queue);
    },
    hangNext(path, times = 1) {
      hangs.set(path, (hangs.get(path) ?? 0) + times);
    },
    setTokenExpiry(seconds) {
      ttlSeconds = seconds;
    },
    expireTokens() {
      const t = now();
      for (const st of tokens.values()) st.expiresAt = Math.min(st.expiresAt, t);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    currentToken: liveToken,
    setAccount(appId, secret) {
      accounts.set(appId, secret);
      for (const st of tokens.values()) if (st.appId === appId && st.secret !== secret) st.revoked = true;
    },
    follow(openId, appId) {
      followers.set(openId, appId);
    },
    reset() {
      sends.length = 0;
      tokenCalls.length = 0;
      calls.length = 0;
      failures.clear();
      hangs.clear();
      tokens.clear();
      clientMsgIds.clear();
      latest.clear();
      latestOverall = undefined;
      accounts = initialAccounts();
      followers.clear();
      ttlSeconds = options.tokenTtlSeconds ?? 7200;
      latencyMs = options.latencyMs ?? 0;
      nextMsgId = 1000;
    },
  };
}
