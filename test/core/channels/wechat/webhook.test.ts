/**
 * The webhook's protocol half with no I/O: signatures, the clock window, plain and safe mode, and sealing our reply.
 * The route around it (dedupe, the answer budget, the queue hand-over) is covered in test/functions/http/wechat.int.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "../../../../core/config.js";
import {
  aesKeyFrom,
  aesKeyRingFrom,
  decrypt,
  encrypt,
  msgSignature,
  plainSignature,
} from "../../../../core/channels/wechat/crypto.js";
import {
  MAX_CLOCK_SKEW_SECONDS,
  openPush,
  passiveReply,
  settingsFromConfig,
  verifyUrl,
  type WechatSettings,
} from "../../../../core/channels/wechat/webhook.js";

const NOW = 1_763_600_000;
const AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const plain: WechatSettings = { token: "tok3n", appId: "wx1234567890abcdef" };
const safe: WechatSettings = { ...plain, keys: aesKeyRingFrom(AES) };

function signed(extra: Record<string, string> = {}, timestamp = String(NOW), nonce = "n0nce"): Record<string, string> {
  return { signature: plainSignature(plain.token, timestamp, nonce), timestamp, nonce, ...extra };
}

const textPush = (content = "查进度") =>
  "<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[oParent123]]></FromUserName>" +
  `<CreateTime>${NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
  "<MsgId>1234567890123456</MsgId></xml>";

/** A push sealed as WeChat does in safe mode, for `appId`. */
function sealed(xml: string, appId = plain.appId) {
  const enc = encrypt(xml, aesKeyFrom(AES), appId);
  const q = signed({ encrypt_type: "aes", msg_signature: msgSignature(plain.token, String(NOW), "n0nce", enc) });
  return { q, body: `<xml><ToUserName><![CDATA[gh_account]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>` };
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as { kind: string; code: string; message: string };
  }
  throw new Error("expected a refusal");
};

describe("verifyUrl", () => {
  it("answers a correctly signed check with its echostr, verbatim", () => {
    expect(verifyUrl(plain, signed({ echostr: "echo 回声 123" }), NOW)).toBe("echo 回声 123");
  });

  it("refuses a request without credentials as 401 and a wrong signature as 403", () => {
    expect(refusal(() => verifyUrl(plain, { echostr: "x" }, NOW))).toMatchObject({
      kind: "unauthorized",
      code: "missing_signature",
    });
    expect(
      refusal(() => verifyUrl(plain, { ...signed({ echostr: "x" }), signature: "0".repeat(40) }, NOW)),
    ).toMatchObject({ kind: "forbidden", code: "bad_signature" });
  });

  it("accepts a timestamp up to five minutes either side of our clock and refuses a replay after that", () => {
    const q = signed({ echostr: "x" });
    expect(verifyUrl(plain, q, NOW + MAX_CLOCK_SKEW_SECONDS)).toBe("x");
    expect(verifyUrl(plain, q, NOW - MAX_CLOCK_SKEW_SECONDS)).toBe("x");
    expect(refusal(() => verifyUrl(plain, q, NOW + MAX_CLOCK_SKEW_SECONDS + 1))).toMatchObject({
      kind: "forbidden",
      code: "stale_timestamp",
    });
  });

  it("refuses a malformed timestamp, an over-long nonce and a missing echostr as 400", () => {
    expect(refusal(() => verifyUrl(plain, signed({ echostr: "x" }, "17636e8"), NOW)).code).toBe("bad_timestamp");
    expect(refusal(() => verifyUrl(plain, signed({ echostr: "x" }, String(NOW), "n".repeat(65)), NOW)).code).toBe(
      "bad_nonce",
    );
    expect(refusal(() => verifyUrl(plain, signed(), NOW))).toMatchObject({
      kind: "validation",
      code: "missing_echostr",
    });
  });
});

describe("openPush in plain mode", () => {
  it("opens a signed plaintext push", () => {
    const opened = openPush(plain, signed(), textPush(), NOW);
    expect(opened.msg).toMatchObject({ MsgType: "text", FromUserName: "oParent123", Content: "查进度" });
    expect(opened.key).toBeUndefined();
  });

  it("answers a well-formed push of a kind it does not handle with no message", () => {
    const xml = textPush().replace("<![CDATA[text]]>", "<![CDATA[miniprogrampage]]>");
    expect(openPush(plain, signed(), xml, NOW).msg).toBeUndefined();
  });

  it("refuses an encrypted push when no EncodingAESKey is configured", () => {
    expect(refusal(() => openPush(plain, signed({ encrypt_type: "aes" }), textPush(), NOW)).code).toBe(
      "encryption_not_configured",
    );
  });

  it("refuses malformed XML without echoing it", () => {
    const e = refusal(() => openPush(plain, signed(), "<xml><Content>13800001234", NOW));
    expect(e).toMatchObject({ kind: "validation", code: "bad_xml" });
    expect(e.message).not.toContain("13800001234");
  });

  it("refuses a body over the limit before parsing it", () => {
    expect(refusal(() => openPush(plain, signed(), textPush("字".repeat(100_000)), NOW)).code).toBe("too_large");
  });
});

describe("openPush in safe mode", () => {
  it("opens a sealed push with the key that reads it", () => {
    const { q, body } = sealed(textPush("绑定"));
    const opened = openPush(safe, q, body, NOW);
    expect(opened.msg).toMatchObject({ Content: "绑定", FromUserName: "oParent123" });
    expect(opened.key).toEqual(aesKeyFrom(AES));
  });

  it("refuses a plaintext push: its signature does not cover the body", () => {
    expect(refusal(() => openPush(safe, signed(), textPush(), NOW))).toMatchObject({
      kind: "validation",
      code: "encryption_required",
    });
  });

  it("refuses a sealed push without msg_signature as 401 and with a wrong one as 403", () => {
    const { q, body } = sealed(textPush());
    const { msg_signature: _, ...without } = q;
    expect(refusal(() => openPush(safe, without, body, NOW)).kind).toBe("unauthorized");
    expect(refusal(() => openPush(safe, { ...q, msg_signature: "f".repeat(40) }, body, NOW))).toMatchObject({
      kind: "forbidden",
      code: "bad_signature",
    });
  });

  it("refuses a push sealed for another account", () => {
    const { q, body } = sealed(textPush(), "wxotheraccount0000");
    expect(refusal(() => openPush(safe, q, body, NOW))).toMatchObject({ kind: "forbidden", code: "bad_appid" });
  });

  it("refuses an encryption other than aes", () => {
    const { q, body } = sealed(textPush());
    expect(refusal(() => openPush(safe, { ...q, encrypt_type: "rsa" }, body, NOW)).code).toBe("bad_encrypt_type");
  });
});

describe("passiveReply", () => {
  it("answers in plain XML from our account to the sender", () => {
    const opened = openPush(plain, signed(), textPush(), NOW);
    if (!opened.msg) throw new Error("no message");
    const xml = passiveReply(plain, opened, opened.msg, "您好", NOW);
    expect(xml).toContain("<ToUserName><![CDATA[oParent123]]></ToUserName>");
    expect(xml).toContain("<FromUserName><![CDATA[gh_account]]></FromUserName>");
    expect(xml).toContain("<Content><![CDATA[您好]]></Content>");
  });

  it("seals the reply to an encrypted push with the same key, readable only as our account's", () => {
    const { q, body } = sealed(textPush());
    const opened = openPush(safe, q, body, NOW);
    if (!opened.msg) throw new Error("no message");
    const envelope = passiveReply(safe, opened, opened.msg, "您好", NOW);
    const enc = /<Encrypt><!\[CDATA\[(.+?)\]\]><\/Encrypt>/.exec(envelope)?.[1];
    expect(enc).toBeDefined();
    expect(envelope).not.toContain("您好");
    expect(decrypt(enc ?? "", aesKeyFrom(AES), plain.appId).xml).toContain("<Content><![CDATA[您好]]></Content>");
  });
});

describe("settingsFromConfig", () => {
  const saved = { token: process.env.WECHAT_TOKEN, appId: process.env.WECHAT_APP_ID };
  afterEach(() => {
    for (const [name, value] of [
      ["WECHAT_TOKEN", saved.token],
      ["WECHAT_APP_ID", saved.appId],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfig();
  });

  it("reports a missing token or app id as a 503 naming the settings", () => {
    delete process.env.WECHAT_TOKEN;
    process.env.WECHAT_APP_ID = "wx1234567890abcdef";
    resetConfig();
    expect(refusal(() => settingsFromConfig())).toMatchObject({
      kind: "unavailable",
      code: "wechat_not_configured",
      message: "WeChat is not configured (WECHAT_TOKEN, WECHAT_APP_ID)",
    });
  });
});
