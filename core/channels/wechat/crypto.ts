/**
 * WeChat Official Account message crypto (the "WXBizMsgCrypt" scheme), built on node:crypto only.
 *
 *   signature      = sha1hex(concat(sort([token, timestamp, nonce])))            (every push, GET bind check)
 *   msg_signature  = sha1hex(concat(sort([token, timestamp, nonce, Encrypt])))   (safe / compatible mode)
 *   AES key        = base64decode(EncodingAESKey + "=")  → exactly 32 bytes; IV = key[0..16)
 *   plaintext      = random(16) ‖ uint32be(byteLength(xml)) ‖ xml(UTF-8) ‖ appId
 *   ciphertext     = AES-256-CBC(PKCS#7 padded to a multiple of 32 bytes, library padding off)
 *   Encrypt        = base64(ciphertext)
 *
 * Callers must check msg_signature BEFORE calling decrypt(): the signature is what authenticates the
 * ciphertext, and decrypting unauthenticated input would turn our error codes into a padding oracle.
 *
 * Error messages never contain keys, tokens, ciphertext or plaintext.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

export type WechatProtocolErrorCode =
  | "bad_signature"
  | "bad_appid"
  | "bad_padding"
  | "bad_length"
  | "bad_ciphertext"
  | "bad_key"
  | "bad_xml"
  | "too_large"
  | "unsupported"
  | "bad_argument";

/** A protocol-level failure. `code` is stable; `message` is safe to log (no secrets, no payload). */
export class WechatProtocolError extends Error {
  override readonly name = "WechatProtocolError";
  constructor(
    readonly code: WechatProtocolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isWechatProtocolError(e: unknown): e is WechatProtocolError {
  return e instanceof WechatProtocolError;
}

// ---------------------------------------------------------------------------------------------
// Signatures

function sha1OfSorted(parts: string[]): string {
  // Plain code-unit sort, as every reference implementation does (inputs are ASCII in practice).
  return createHash("sha1").update(parts.slice().sort().join(""), "utf8").digest("hex");
}

/** The `signature` query parameter: sha1 over sorted [token, timestamp, nonce]. */
export function plainSignature(token: string, timestamp: string, nonce: string): string {
  return sha1OfSorted([token, timestamp, nonce]);
}

/** The `msg_signature` query parameter / `MsgSignature` reply field: sha1 over sorted [token, timestamp, nonce, encrypt]. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1OfSorted([token, timestamp, nonce, encrypt]);
}

const HEX40 = /^[0-9a-fA-F]{40}$/;

/**
 * Compares a received hex signature with the expected one in constant time.
 * Anything that is not 40 hex digits is simply unequal.
 */
export function signaturesEqual(expectedHex: string, receivedHex: string | null | undefined): boolean {
  if (typeof receivedHex !== "string" || !HEX40.test(receivedHex)) return false;
  const a = Buffer.from(expectedHex.toLowerCase(), "ascii");
  const b = Buffer.from(receivedHex.toLowerCase(), "ascii");
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export function verifyPlainSignature(
  token: string,
  timestamp: string,
  nonce: string,
  signature: string | null | undefined,
): boolean {
  return signaturesEqual(plainSignature(token, timestamp, nonce), signature);
}

export function verifyMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string | null | undefined,
): boolean {
  return signaturesEqual(msgSignature(token, timestamp, nonce, encrypt), signature);
}

/** Throwing variant of verifyPlainSignature. */
export function assertPlainSignature(
  token: string,
  timestamp: string,
  nonce: string,
  signature: string | null | undefined,
): void {
  if (!verifyPlainSignature(token, timestamp, nonce, signature)) {
    throw new WechatProtocolError("bad_signature", "signature does not match");
  }
}

/** Throwing variant of verifyMsgSignature. */
export function assertMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string | null | undefined,
): void {
  if (!verifyMsgSignature(token, timestamp, nonce, encrypt, signature)) {
    throw new WechatProtocolError("bad_signature", "msg_signature does not match");
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

/** The console generates 43 alphanumeric characters; we accept the full base64 alphabet. */
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

/** Decodes a 43-character EncodingAESKey into the 32-byte AES key; anything else is `bad_key`. */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (typeof encodingAesKey !== "string" || !ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new WechatProtocolError("bad_key", "EncodingAESKey must be 43 base64 characters");
  }
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) {
    throw new WechatProtocolError("bad_key", "EncodingAESKey does not decode to 32 bytes");
  }
  return key;
}

/** The current key plus, during a rotation, the one it replaced. */
export interface AesKeyRing {
  current: Buffer;
  previous?: Buffer;
}

/** Builds a key ring from the configured strings (the previous one is optional). */
export function aesKeyRingFrom(current: string, previous?: string | null): AesKeyRing {
  const ring: AesKeyRing = { current: aesKeyFrom(current) };
  if (previous) ring.previous = aesKeyFrom(previous);
  return ring;
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) {
    throw new WechatProtocolError("bad_key", "AES key must be 32 bytes");
  }
}

// ---------------------------------------------------------------------------------------------
// Padding (PKCS#7 with a 32-byte block, as the WeChat scheme specifies)

export const PAD_BLOCK = 32;

function pad32(data: Buffer): Buffer {
  const n = PAD_BLOCK - (data.length % PAD_BLOCK); // 1..32; an aligned buffer gets a whole block
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad32(data: Buffer): Buffer {
  const n = data[data.length - 1];
  if (n === undefined || n < 1 || n > PAD_BLOCK || n > data.length) {
    throw new WechatProtocolError("bad_padding", "padding byte out of range");
  }
  for (let i = data.length - n; i < data.length; i++) {
    if (data[i] !== n) throw new WechatProtocolError("bad_padding", "padding bytes are inconsistent");
  }
  return data.subarray(0, data.length - n);
}

// ---------------------------------------------------------------------------------------------
// Encrypt / decrypt

/** Upper bound for an `Encrypt` value we are willing to decrypt (base64 characters). */
export const MAX_ENCRYPTED_CHARS = 192 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Encrypts a message for WeChat. `random16` exists for deterministic tests; production code lets
 * it default to fresh random bytes.
 */
export function encrypt(xml: string, key: Buffer, appId: string, random16?: Buffer): string {
  checkKey(key);
  const random = random16 ?? randomBytes(16);
  if (!Buffer.isBuffer(random) || random.length !== 16) {
    throw new WechatProtocolError("bad_argument", "random prefix must be 16 bytes");
  }
  const body = Buffer.from(xml, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  const plain = pad32(Buffer.concat([random, len, body, Buffer.from(appId, "utf8")]));
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}

export interface DecryptResult {
  /** The decrypted message (normally XML). */
  xml: string;
  /** The 16-byte random prefix the sender chose. */
  random: Buffer;
  /** Which key of the ring opened the message; answer with the same one. */
  keyUsed: "current" | "previous";
  /** The key that opened the message. */
  key: Buffer;
}

function decodeCiphertext(b64: string): Buffer {
  if (typeof b64 !== "string" || b64.length === 0) {
    throw new WechatProtocolError("bad_ciphertext", "Encrypt is empty");
  }
  if (b64.length > MAX_ENCRYPTED_CHARS) {
    throw new WechatProtocolError("too_large", "Encrypt exceeds the size limit");
  }
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) {
    throw new WechatProtocolError("bad_ciphertext", "Encrypt is not valid base64");
  }
  const raw = Buffer.from(b64, "base64");
  // random(16) + length(4) + pad means at least one 32-byte block, and always whole 32-byte blocks.
  if (raw.length < PAD_BLOCK || raw.length % PAD_BLOCK !== 0) {
    throw new WechatProtocolError("bad_ciphertext", "ciphertext length is not a multiple of 32 bytes");
  }
  return raw;
}

function openWith(raw: Buffer, key: Buffer, expectedAppId: string): { xml: string; random: Buffer } {
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = unpad32(Buffer.concat([decipher.update(raw), decipher.final()]));
  if (plain.length < 20) throw new WechatProtocolError("bad_length", "decrypted payload is too short");
  const msgLen = plain.readUInt32BE(16);
  if (msgLen > plain.length - 20) {
    throw new WechatProtocolError("bad_length", "declared message length exceeds the payload");
  }
  const appIdBytes = plain.subarray(20 + msgLen);
  const expected = Buffer.from(expectedAppId, "utf8");
  if (appIdBytes.length !== expected.length || !timingSafeEqual(appIdBytes, expected)) {
    throw new WechatProtocolError("bad_appid", "payload was encrypted for a different appid");
  }
  let xml: string;
  try {
    xml = utf8Strict.decode(plain.subarray(20, 20 + msgLen));
  } catch {
    throw new WechatProtocolError("bad_xml", "decrypted message is not valid UTF-8");
  }
  return { xml, random: Buffer.from(plain.subarray(0, 16)) };
}

/**
 * Decrypts an `Encrypt` value. With a key ring, the current key is tried first and the previous
 * one second; the result says which worked. Errors from the current key win when both fail.
 */
export function decrypt(b64: string, keys: Buffer | AesKeyRing, expectedAppId: string): DecryptResult {
  const ring: AesKeyRing = Buffer.isBuffer(keys) ? { current: keys } : keys;
  checkKey(ring.current);
  if (ring.previous !== undefined) checkKey(ring.previous);
  const raw = decodeCiphertext(b64);
  try {
    return { ...openWith(raw, ring.current, expectedAppId), keyUsed: "current", key: ring.current };
  } catch (first) {
    if (ring.previous === undefined || !isWechatProtocolError(first)) throw first;
    try {
      return { ...openWith(raw, ring.previous, expectedAppId), keyUsed: "previous", key: ring.previous };
    } catch {
      throw first;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Encrypted passive reply

export interface ReplyEnvelopeOptions {
  token: string;
  key: Buffer;
  appId: string;
  /** Unix time in SECONDS (a 13-digit millisecond value is rejected: WeChat refuses such replies). */
  timestamp: number | string;
  nonce: string;
  /** Only for deterministic tests. */
  random16?: Buffer;
}

const DIGITS = /^\d{1,11}$/;
const NONCE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Wraps a plaintext reply in the encrypted envelope WeChat expects in safe mode:
 * <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>, signed over our own timestamp/nonce.
 */
export function encryptedReplyEnvelope(xml: string, opts: ReplyEnvelopeOptions): string {
  const ts = typeof opts.timestamp === "number" ? String(opts.timestamp) : opts.timestamp;
  if (!DIGITS.test(ts) || Number(ts) >= 1e11) {
    throw new WechatProtocolError("bad_argument", "reply timestamp must be whole seconds");
  }
  if (!NONCE.test(opts.nonce)) {
    throw new WechatProtocolError("bad_argument", "reply nonce must be 1-64 characters of [A-Za-z0-9_-]");
  }
  const enc = encrypt(xml, opts.key, opts.appId, opts.random16);
  const sig = msgSignature(opts.token, ts, opts.nonce, enc);
  return (
    `<xml><Encrypt><![CDATA[${enc}]]></Encrypt>` +
    `<MsgSignature><![CDATA[${sig}]]></MsgSignature>` +
    `<TimeStamp>${ts}</TimeStamp>` +
    `<Nonce><![CDATA[${opts.nonce}]]></Nonce></xml>`
  );
}
