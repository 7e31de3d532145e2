/**
 * The webhook's protocol half, no I/O: check a request, open its body, seal our reply (docs/wechat-protocol.md §1–3).
 *
 *  - `signature` (sha1 of token/timestamp/nonce) is checked on every request, GET and POST;
 *  - the timestamp must be within 5 minutes of our clock (a captured request cannot be replayed later);
 *  - with an EncodingAESKey configured we are in safe (or compatible) mode: the push must carry
 *    `encrypt_type=aes` and a `msg_signature` over the `Encrypt` element — the plain `signature` does not cover
 *    the body, so a plaintext push is refused rather than trusted; the decrypted copy is the only one read
 *    (compatible mode also carries plaintext fields, ignored) and its appid must be ours;
 *  - without a key we are in plain mode and accept only plaintext pushes;
 *  - every refusal is an AppError (401 missing credentials, 403 wrong ones, 400 malformed) and nothing is
 *    processed; error messages never echo the payload.
 */
import { randomBytes } from "node:crypto";
import { config } from "../../config.js";
import { AppError } from "../../errors.js";
import {
  aesKeyRingFrom,
  decrypt,
  encryptedReplyEnvelope,
  isWechatProtocolError,
  verifyMsgSignature,
  verifyPlainSignature,
  type AesKeyRing,
} from "./crypto.js";
import { toInbound, type InboundMessage } from "./messages.js";
import { MAX_XML_BYTES, parseWechatXml, textReplyXml } from "./xml.js";

/** How far a request's timestamp may be from our clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
export const MAX_BODY_BYTES = MAX_XML_BYTES;

export interface WechatSettings {
  token: string;
  appId: string;
  /** Present in safe / compatible mode. */
  keys?: AesKeyRing;
}

let cachedSettings: { from: string; settings: WechatSettings } | undefined;

/** The webhook settings from config; a missing token or appid is a server misconfiguration (503). */
export function settingsFromConfig(): WechatSettings {
  const w = config().wechat;
  const from = `${w.token}|${w.appId}|${w.aesKey}|${w.aesKeyPrevious}`;
  if (cachedSettings?.from === from) return cachedSettings.settings;
  if (!w.token || !w.appId) {
    throw new AppError(
      "unavailable",
      "wechat_not_configured",
      "WeChat is not configured (WECHAT_TOKEN, WECHAT_APP_ID)",
    );
  }
  const settings: WechatSettings = {
    token: w.token,
    appId: w.appId,
    ...(w.aesKey ? { keys: aesKeyRingFrom(w.aesKey, w.aesKeyPrevious) } : {}),
  };
  cachedSettings = { from, settings };
  return settings;
}

export type Query = Record<string, string | undefined>;

const unauthorized = (message: string) => new AppError("unauthorized", "missing_signature", message);
const forbidden = (code: string, message: string) => new AppError("forbidden", code, message);
const invalid = (code: string, message: string) => AppError.validation(code, message);

function checkSignature(s: WechatSettings, q: Query, nowSeconds: number): { timestamp: string; nonce: string } {
  const { signature, timestamp, nonce } = q;
  if (!signature || !timestamp || !nonce) throw unauthorized("signature, timestamp and nonce are required");
  if (!/^\d{1,11}$/.test(timestamp)) throw invalid("bad_timestamp", "timestamp must be unix seconds");
  if (nonce.length > 64) throw invalid("bad_nonce", "nonce is too long");
  if (!verifyPlainSignature(s.token, timestamp, nonce, signature))
    throw forbidden("bad_signature", "signature does not match");
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw forbidden("stale_timestamp", "timestamp is more than 5 minutes away from now");
  }
  return { timestamp, nonce };
}

/** GET: URL verification. Returns the echostr to answer with (verbatim) on a valid signature. */
export function verifyUrl(s: WechatSettings, q: Query, nowSeconds: number): string {
  checkSignature(s, q, nowSeconds);
  const echostr = q.echostr;
  if (echostr === undefined || echostr === "") throw invalid("missing_echostr", "echostr is required");
  if (echostr.length > 256) throw invalid("bad_echostr", "echostr is too long");
  return echostr;
}

export interface OpenedPush {
  /** The typed push, or undefined for a well-formed push of a kind we do not handle (answer "success"). */
  msg: InboundMessage | undefined;
  /** The key that opened an encrypted push; replies are sealed with it. Absent in plain mode. */
  key?: Buffer;
}

function parse(xml: string) {
  try {
    return parseWechatXml(xml);
  } catch (e) {
    if (isWechatProtocolError(e)) throw invalid(e.code === "too_large" ? "too_large" : "bad_xml", e.message);
    throw e;
  }
}

/** POST: checks the request and returns the push it carries. `body` is the raw text (never form-parsed). */
export function openPush(s: WechatSettings, q: Query, body: string, nowSeconds: number): OpenedPush {
  const { timestamp, nonce } = checkSignature(s, q, nowSeconds);
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES)
    throw invalid("too_large", `body exceeds ${MAX_BODY_BYTES} bytes`);
  const encrypted = q.encrypt_type !== undefined && q.encrypt_type !== "" && q.encrypt_type !== "raw";
  if (encrypted && q.encrypt_type !== "aes") throw invalid("bad_encrypt_type", "encrypt_type must be aes");

  let record = parse(body);
  let key: Buffer | undefined;
  if (s.keys) {
    if (!encrypted) throw invalid("encryption_required", "this account is in safe mode: the push must be encrypted");
    if (!q.msg_signature) throw unauthorized("msg_signature is required");
    const enc = record.Encrypt;
    if (typeof enc !== "string" || enc === "") throw invalid("missing_encrypt", "the push has no Encrypt element");
    if (!verifyMsgSignature(s.token, timestamp, nonce, enc, q.msg_signature)) {
      throw forbidden("bad_signature", "msg_signature does not match");
    }
    try {
      const opened = decrypt(enc, s.keys, s.appId);
      key = opened.key;
      record = parse(opened.xml);
    } catch (e) {
      if (!isWechatProtocolError(e)) throw e;
      if (e.code === "bad_appid") throw forbidden("bad_appid", "the push was encrypted for another account");
      if (e.code === "bad_xml" || e.code === "too_large") throw e; // already an AppError from parse()
      throw invalid("bad_ciphertext", "the encrypted push could not be opened");
    }
  } else if (encrypted) {
    throw invalid("encryption_not_configured", "encrypted push received but no EncodingAESKey is configured");
  }

  try {
    return { msg: toInbound(record), ...(key ? { key } : {}) };
  } catch (e) {
    if (isWechatProtocolError(e) && e.code === "unsupported") return { msg: undefined, ...(key ? { key } : {}) };
    if (isWechatProtocolError(e)) throw invalid("bad_message", e.message);
    throw e;
  }
}

/** Our passive text reply to `msg`: plain XML, or the encrypted envelope when the push came encrypted. */
export function passiveReply(
  s: WechatSettings,
  opened: OpenedPush,
  msg: InboundMessage,
  content: string,
  nowSeconds: number,
): string {
  const xml = textReplyXml({ to: msg.FromUserName, from: msg.ToUserName, createTime: nowSeconds, content });
  if (!opened.key) return xml;
  return encryptedReplyEnvelope(xml, {
    token: s.token,
    key: opened.key,
    appId: s.appId,
    timestamp: nowSeconds,
    nonce: randomBytes(8).toString("hex"),
  });
}
