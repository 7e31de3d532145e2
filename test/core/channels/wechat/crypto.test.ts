import { readFileSync } from "node:fs";
import { createCipheriv, createDecipheriv } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  aesKeyFrom,
  aesKeyRingFrom,
  assertMsgSignature,
  assertPlainSignature,
  decrypt,
  encrypt,
  encryptedReplyEnvelope,
  MAX_ENCRYPTED_CHARS,
  msgSignature,
  plainSignature,
  signaturesEqual,
  verifyMsgSignature,
  verifyPlainSignature,
  WechatProtocolError,
  type WechatProtocolErrorCode,
} from "../../../../core/channels/wechat/crypto.js";
import { parseWechatXml } from "../../../../core/channels/wechat/xml.js";

interface Vector {
  id: string;
  kind: string;
  input: Record<string, string>;
  expected: Record<string, unknown>;
  computed?: Record<string, unknown>;
}

const fixture = JSON.parse(readFileSync(new URL("../../../fixtures/wechat-vectors.json", import.meta.url), "utf8")) as {
  vectors: Vector[];
};

function str(v: unknown): string {
  if (typeof v !== "string") throw new Error("expected a string in the vector");
  return v;
}

function expectProtocolError(fn: () => unknown, code: WechatProtocolErrorCode): WechatProtocolError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WechatProtocolError);
    expect((e as WechatProtocolError).code).toBe(code);
    return e as WechatProtocolError;
  }
  throw new Error(`expected WechatProtocolError ${code}, nothing was thrown`);
}

/** Encrypts raw bytes under the WeChat key/IV without any padding, to craft broken payloads. */
function rawEncrypt(plain: Buffer, key: Buffer): string {
  const c = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]).toString("base64");
}

function rawDecrypt(b64: string, key: Buffer): Buffer {
  const d = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  d.setAutoPadding(false);
  return Buffer.concat([d.update(Buffer.from(b64, "base64")), d.final()]);
}

function payload(random: Buffer, declaredLen: number, msg: Buffer, appId: string): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(declaredLen, 0);
  return Buffer.concat([random, len, msg, Buffer.from(appId)]);
}

const runners: Record<string, (v: Vector) => void> = {
  plain_signature(v) {
    const { token = "", timestamp = "", nonce = "" } = v.input;
    expect(plainSignature(token, timestamp, nonce)).toBe(v.expected.signature);
    expect(verifyPlainSignature(token, timestamp, nonce, str(v.expected.signature))).toBe(true);
  },
  plain_signature_negative(v) {
    const { token = "", timestamp = "", nonce = "" } = v.input;
    const wrong = str(v.expected.signature_must_not_match);
    expect(verifyPlainSignature(token, timestamp, nonce, wrong)).toBe(false);
    expectProtocolError(() => assertPlainSignature(token, timestamp, nonce, wrong), "bad_signature");
  },
  msg_signature(v) {
    const { token = "", timestamp = "", nonce = "", encrypt: enc = "" } = v.input;
    expect(msgSignature(token, timestamp, nonce, enc)).toBe(v.expected.signature);
    expect(verifyMsgSignature(token, timestamp, nonce, enc, str(v.expected.signature))).toBe(true);
  },
  decrypt_push(v) {
    const { token = "", timestamp = "", nonce = "", msg_signature = "", encodingAESKey = "", appid = "" } = v.input;
    const enc = str(v.input.encrypt);
    if (v.input.body !== undefined) {
      // Compatible-mode body: the Encrypt element in the body is what the signature covers.
      expect(parseWechatXml(v.input.body).Encrypt).toBe(enc);
    }
    expect(verifyMsgSignature(token, timestamp, nonce, enc, msg_signature)).toBe(true);
    expect(() => assertMsgSignature(token, timestamp, nonce, enc, msg_signature)).not.toThrow();

    const key = aesKeyFrom(encodingAESKey);
    const opened = decrypt(enc, key, appid);
    expect(opened.keyUsed).toBe("current");
    if (v.computed?.plaintext !== undefined) expect(opened.xml).toBe(v.computed.plaintext);
    if (v.computed?.random_hex !== undefined) expect(opened.random.toString("hex")).toBe(v.computed.random_hex);

    const fields = parseWechatXml(opened.xml);
    const expectedFields = v.expected.plaintext_fields as Record<string, string>;
    for (const [name, value] of Object.entries(expectedFields)) expect(fields[name]).toBe(value);

    // Re-encrypting with the recovered random prefix reproduces the ciphertext byte for byte.
    expect(encrypt(opened.xml, key, appid, opened.random)).toBe(enc);
    expectProtocolError(() => decrypt(enc, key, `${appid}x`), "bad_appid");
  },
  encrypt_fixed_random(v) {
    const { encodingAESKey = "", appid = "", random = "", message = "" } = v.input;
    const key = aesKeyFrom(encodingAESKey);
    const enc = encrypt(message, key, appid, Buffer.from(random, "utf8"));
    expect(enc).toBe(v.expected.encrypt);
    const opened = decrypt(enc, key, appid);
    expect(opened.xml).toBe(message);
    expect(opened.random.toString("utf8")).toBe(random);
  },
  encrypt_reply_envelope(v) {
    const {
      token = "",
      encodingAESKey = "",
      appid = "",
      random = "",
      timestamp = "",
      nonce = "",
      message = "",
    } = v.input;
    const key = aesKeyFrom(encodingAESKey);
    const envelope = encryptedReplyEnvelope(message, {
      token,
      key,
      appId: appid,
      timestamp,
      nonce,
      random16: Buffer.from(random, "utf8"),
    });
    const expectedEncrypt = str(v.expected.encrypt);
    const expectedSig = str(v.expected.msg_signature);
    expect(envelope).toBe(
      `<xml><Encrypt><![CDATA[${expectedEncrypt}]]></Encrypt><MsgSignature><![CDATA[${expectedSig}]]></MsgSignature>` +
        `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`,
    );
    const parsed = parseWechatXml(envelope);
    expect(parsed).toEqual({ Encrypt: expectedEncrypt, MsgSignature: expectedSig, TimeStamp: timestamp, Nonce: nonce });
    expect(decrypt(expectedEncrypt, key, appid).xml).toBe(message);
  },
};

describe("published test vectors", () => {
  test("the fixture holds vectors and every kind has a runner", () => {
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(8);
    for (const v of fixture.vectors) expect(Object.keys(runners)).toContain(v.kind);
  });

  test.each(fixture.vectors.map((v) => [v.id, v] as const))("vector %s is reproduced", (_id, v) => {
    const run = runners[v.kind];
    if (!run) throw new Error(`no runner for kind ${v.kind}`);
    run(v);
  });
});

describe("signatures", () => {
  test("the plain signature sorts its three inputs before hashing", () => {
    expect(plainSignature("AAAAA", "1714037059", "486452656")).toBe(plainSignature("AAAAA", "486452656", "1714037059"));
  });

  test("a message signature is not the plain signature with an extra argument dropped", () => {
    expect(msgSignature("t", "1", "2", "enc")).not.toBe(plainSignature("t", "1", "2"));
    // An empty Encrypt sorts first and adds nothing, which is how peers compute the plain one.
    expect(msgSignature("t", "1", "2", "")).toBe(plainSignature("t", "1", "2"));
  });

  test("signature comparison accepts upper-case hex and refuses anything that is not 40 hex digits", () => {
    const sig = plainSignature("test", "1410685589", "test");
    expect(signaturesEqual(sig, sig.toUpperCase())).toBe(true);
    expect(signaturesEqual(sig, sig.slice(0, 39))).toBe(false);
    expect(signaturesEqual(sig, `${sig}0`)).toBe(false);
    expect(signaturesEqual(sig, `${sig.slice(0, 39)}g`)).toBe(false);
    expect(signaturesEqual(sig, undefined)).toBe(false);
    expect(signaturesEqual(sig, null)).toBe(false);
    expect(signaturesEqual(sig, "")).toBe(false);
  });

  test("a signature computed with another token or nonce is rejected", () => {
    const sig = msgSignature("token", "1700000000", "42", "ENC");
    expect(verifyMsgSignature("token2", "1700000000", "42", "ENC", sig)).toBe(false);
    expect(verifyMsgSignature("token", "1700000000", "43", "ENC", sig)).toBe(false);
    expect(verifyMsgSignature("token", "1700000001", "42", "ENC", sig)).toBe(false);
    expect(verifyMsgSignature("token", "1700000000", "42", "ENC", sig)).toBe(true);
  });

  test("a tampered Encrypt value no longer matches its msg_signature", () => {
    const key = aesKeyFrom("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    const enc = encrypt("<xml><A>1</A></xml>", key, "wx1234");
    const sig = msgSignature("tok", "1700000000", "99", enc);
    const bytes = Buffer.from(enc, "base64");
    for (let i = 0; i < bytes.length; i += 7) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      expect(verifyMsgSignature("tok", "1700000000", "99", copy.toString("base64"), sig)).toBe(false);
    }
  });
});

describe("EncodingAESKey", () => {
  const good = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

  test("a 43-character key decodes to 32 bytes", () => {
    const key = aesKeyFrom(good);
    expect(key.length).toBe(32);
    expect(key.equals(Buffer.from(`${good}=`, "base64"))).toBe(true);
  });

  test.each([
    ["42 characters", good.slice(0, 42)],
    ["44 characters", `${good}A`],
    ["a character outside base64", `${good.slice(0, 42)}!`],
    ["the empty string", ""],
    ["a key with padding already added", `${good.slice(0, 42)}=`],
  ])("a key of %s is rejected as bad_key", (_label, value) => {
    const err = expectProtocolError(() => aesKeyFrom(value), "bad_key");
    if (value !== "") expect(err.message).not.toContain(value);
  });

  test("encrypt and decrypt refuse a key buffer that is not 32 bytes", () => {
    expectProtocolError(() => encrypt("x", Buffer.alloc(16), "wx"), "bad_key");
    expectProtocolError(() => decrypt("AAAA", Buffer.alloc(31), "wx"), "bad_key");
  });

  test("a key ring can be built with or without a previous key", () => {
    expect(aesKeyRingFrom(good).previous).toBeUndefined();
    expect(aesKeyRingFrom(good, "").previous).toBeUndefined();
    expect(aesKeyRingFrom(good, "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR").previous?.length).toBe(32);
  });
});

describe("encrypt and decrypt", () => {
  const key = aesKeyFrom("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  const appId = "wx2c2769f8efd9abc2";

  test("a message round-trips, counting multi-byte characters in bytes", () => {
    const msg = "<xml><Content><![CDATA[你好，世界 👋 abc]]></Content></xml>";
    const enc = encrypt(msg, key, appId);
    const raw = rawDecrypt(enc, key);
    expect(raw.readUInt32BE(16)).toBe(Buffer.byteLength(msg, "utf8"));
    expect(decrypt(enc, key, appId).xml).toBe(msg);
  });

  test("each encryption uses a fresh random prefix", () => {
    const a = encrypt("same", key, appId);
    const b = encrypt("same", key, appId);
    expect(a).not.toBe(b);
    expect(decrypt(a, key, appId).random.equals(decrypt(b, key, appId).random)).toBe(false);
  });

  test("a block-aligned payload gets a whole extra block of padding", () => {
    // 16 random + 4 length + 26 message + 18 appid = 64 bytes → 32 more bytes of 0x20.
    const msg = "abcdefghijklmnopqrstuvwxyz";
    const enc = encrypt(msg, key, appId, Buffer.from("0123456789abcdef"));
    const raw = rawDecrypt(enc, key);
    expect(raw.length).toBe(96);
    expect(raw.subarray(64).equals(Buffer.alloc(32, 32))).toBe(true);
    expect(decrypt(enc, key, appId).xml).toBe(msg);
  });

  test("an empty message still encrypts to one block and decrypts", () => {
    const enc = encrypt("", key, "wx1");
    expect(Buffer.from(enc, "base64").length).toBe(32);
    expect(decrypt(enc, key, "wx1").xml).toBe("");
  });

  test("a payload for another appid is rejected as bad_appid without revealing either appid", () => {
    const enc = encrypt("<xml/>", key, "wxotherappid00000");
    const err = expectProtocolError(() => decrypt(enc, key, appId), "bad_appid");
    expect(err.message).not.toContain(appId);
    expect(err.message).not.toContain("wxotherappid00000");
  });

  test.each([
    ["a pad byte of 0", 0],
    ["a pad byte of 33", 33],
    ["a pad byte of 255", 255],
  ])("a payload with %s is rejected as bad_padding", (_label, padByte) => {
    const body = payload(Buffer.alloc(16, 1), 3, Buffer.from("abc"), appId); // 41 bytes
    const plain = Buffer.concat([body, Buffer.alloc(64 - body.length - 1, 7), Buffer.from([padByte])]);
    expectProtocolError(() => decrypt(rawEncrypt(plain, key), key, appId), "bad_padding");
  });

  test("padding bytes that disagree with the pad length are rejected as bad_padding", () => {
    const body = payload(Buffer.alloc(16, 1), 3, Buffer.from("abc"), appId); // 41 bytes, needs 23
    const pad = Buffer.alloc(23, 23);
    pad[0] = 22;
    expectProtocolError(() => decrypt(rawEncrypt(Buffer.concat([body, pad]), key), key, appId), "bad_padding");
  });

  test("a declared length longer than the payload is rejected as bad_length", () => {
    const body = payload(Buffer.alloc(16, 1), 1000, Buffer.from("abc"), appId);
    const n = 32 - (body.length % 32);
    expectProtocolError(
      () => decrypt(rawEncrypt(Buffer.concat([body, Buffer.alloc(n, n)]), key), key, appId),
      "bad_length",
    );
  });

  test("a payload shorter than the random prefix and length field is rejected as bad_length", () => {
    const plain = Buffer.concat([Buffer.alloc(16, 1), Buffer.alloc(16, 16)]);
    expectProtocolError(() => decrypt(rawEncrypt(plain, key), key, appId), "bad_length");
  });

  test("a message that is not UTF-8 is rejected", () => {
    const body = payload(Buffer.alloc(16, 1), 2, Buffer.from([0xff, 0xfe]), appId);
    const n = 32 - (body.length % 32);
    expectProtocolError(
      () => decrypt(rawEncrypt(Buffer.concat([body, Buffer.alloc(n, n)]), key), key, appId),
      "bad_xml",
    );
  });

  test.each([
    ["an empty string", ""],
    ["text that is not base64", "not base64 at all!!"],
    ["base64 with a bad length", "QUJD="],
    ["a single AES block (16 bytes)", Buffer.alloc(16).toString("base64")],
    ["48 bytes (not a multiple of 32)", Buffer.alloc(48).toString("base64")],
  ])("ciphertext that is %s is rejected as bad_ciphertext", (_label, value) => {
    expectProtocolError(() => decrypt(value, key, appId), "bad_ciphertext");
  });

  test("an oversized Encrypt value is rejected as too_large before decoding", () => {
    expectProtocolError(() => decrypt("A".repeat(MAX_ENCRYPTED_CHARS + 4), key, appId), "too_large");
  });

  test("flipping a bit in the last block makes decryption fail", () => {
    const enc = encrypt("<xml><Content>hello</Content></xml>", key, appId, Buffer.from("0123456789abcdef"));
    const bytes = Buffer.from(enc, "base64");
    for (let i = bytes.length - 32; i < bytes.length; i += 3) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] ?? 0) ^ 0x80;
      expect(() => decrypt(copy.toString("base64"), key, appId)).toThrow(WechatProtocolError);
    }
  });

  test("a random prefix that is not 16 bytes is refused", () => {
    expectProtocolError(() => encrypt("x", key, appId, Buffer.alloc(15)), "bad_argument");
  });
});

describe("key rotation", () => {
  const oldKey = aesKeyFrom("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  const newKey = aesKeyFrom("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR");
  const otherKey = aesKeyFrom("ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut");
  const appId = "wx49f0ab532d5d035a";

  test("a message under the current key opens with the current key", () => {
    const opened = decrypt(encrypt("<xml/>", newKey, appId), { current: newKey, previous: oldKey }, appId);
    expect(opened.keyUsed).toBe("current");
    expect(opened.key.equals(newKey)).toBe(true);
  });

  test("a message under the previous key opens with the previous key and says so", () => {
    const opened = decrypt(encrypt("<xml>old</xml>", oldKey, appId), { current: newKey, previous: oldKey }, appId);
    expect(opened.xml).toBe("<xml>old</xml>");
    expect(opened.keyUsed).toBe("previous");
    expect(opened.key.equals(oldKey)).toBe(true);
  });

  test("a message under neither key is rejected", () => {
    const enc = encrypt("<xml/>", otherKey, appId);
    expect(() => decrypt(enc, { current: newKey, previous: oldKey }, appId)).toThrow(WechatProtocolError);
    expect(() => decrypt(enc, { current: newKey }, appId)).toThrow(WechatProtocolError);
  });

  test("a message under the previous key is rejected when no previous key is configured", () => {
    expect(() => decrypt(encrypt("<xml/>", oldKey, appId), newKey, appId)).toThrow(WechatProtocolError);
  });
});

describe("encrypted reply envelope", () => {
  const key = aesKeyFrom("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  const base = { token: "spamtest", key, appId: "wx2c2769f8efd9abc2", nonce: "1320562132" };

  test("the envelope is signed over its own timestamp and nonce and opens to the reply", () => {
    const reply = "<xml><Content><![CDATA[收到]]></Content></xml>";
    const env = parseWechatXml(encryptedReplyEnvelope(reply, { ...base, timestamp: 1700000000 }));
    expect(env.TimeStamp).toBe("1700000000");
    expect(env.Nonce).toBe("1320562132");
    const enc = String(env.Encrypt);
    expect(verifyMsgSignature("spamtest", "1700000000", "1320562132", enc, String(env.MsgSignature))).toBe(true);
    expect(decrypt(enc, key, base.appId).xml).toBe(reply);
  });

  test("a millisecond timestamp is refused", () => {
    expectProtocolError(() => encryptedReplyEnvelope("<xml/>", { ...base, timestamp: 1700000000000 }), "bad_argument");
    expectProtocolError(
      () => encryptedReplyEnvelope("<xml/>", { ...base, timestamp: "1700000000000" }),
      "bad_argument",
    );
    expectProtocolError(() => encryptedReplyEnvelope("<xml/>", { ...base, timestamp: 1.5 }), "bad_argument");
  });

  test("a nonce that could break the envelope is refused", () => {
    expectProtocolError(
      () => encryptedReplyEnvelope("<xml/>", { ...base, timestamp: 1700000000, nonce: "a]]><x>" }),
      "bad_argument",
    );
    expectProtocolError(
      () => encryptedReplyEnvelope("<xml/>", { ...base, timestamp: 1700000000, nonce: "" }),
      "bad_argument",
    );
  });
});

describe("decrypting garbage", () => {
  test("random ciphertexts of valid length always fail with a protocol error, never anything else", () => {
    const key = aesKeyFrom("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    for (let i = 0; i < 2000; i++) {
      const raw = Buffer.alloc(32 * (1 + (i % 4)));
      for (let j = 0; j < raw.length; j++) raw[j] = (i * 131 + j * 197 + ((i * j) % 251)) & 0xff;
      expect(() => decrypt(raw.toString("base64"), key, "wx2c2769f8efd9abc2")).toThrow(WechatProtocolError);
    }
  });
});
