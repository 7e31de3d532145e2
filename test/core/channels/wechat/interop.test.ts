/**
 * @wecom/crypto (Tencent's own implementation of the same scheme) plays WeChat here: it encrypts
 * and signs pushes we must open, and it opens and checks the replies we produce.
 * Note it never checks the appid itself; the peer side below compares `id` explicitly.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import * as wecom from "@wecom/crypto";
import {
  aesKeyFrom,
  decrypt,
  encrypt,
  encryptedReplyEnvelope,
  plainSignature,
  verifyMsgSignature,
  verifyPlainSignature,
  WechatProtocolError,
} from "../../../../core/channels/wechat/crypto.js";
import { parseWechatXml, textReplyXml } from "../../../../core/channels/wechat/xml.js";
import { dedupeKey, toInbound } from "../../../../core/channels/wechat/messages.js";

const token = "zizhuTestToken";
const encodingAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const appId = "wx2c2769f8efd9abc2";
const key = aesKeyFrom(encodingAESKey);

function pushXml(content: string, msgId = "24536712345678901234"): string {
  return (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>" +
    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>" +
    "<CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType>" +
    `<Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`
  );
}

/** What WeChat would send in safe mode: query parameters and a body holding only Encrypt. */
function wechatSafeModePush(xml: string, opts: { appid?: string; encodingKey?: string } = {}) {
  const timestamp = "1714037059";
  const nonce = "486452656";
  const enc = wecom.encrypt(opts.encodingKey ?? encodingAESKey, xml, opts.appid ?? appId);
  return {
    query: {
      signature: wecom.getSignature(token, timestamp, nonce, ""),
      timestamp,
      nonce,
      openid: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
      encrypt_type: "aes",
      msg_signature: wecom.getSignature(token, timestamp, nonce, enc),
    },
    body: `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`,
  };
}

/** Our side of the exchange, as the webhook will do it. */
function openPush(push: ReturnType<typeof wechatSafeModePush>) {
  const { query } = push;
  if (!verifyPlainSignature(token, query.timestamp, query.nonce, query.signature)) {
    throw new WechatProtocolError("bad_signature", "signature");
  }
  const outer = parseWechatXml(push.body);
  const enc = outer.Encrypt;
  if (typeof enc !== "string") throw new WechatProtocolError("bad_xml", "no Encrypt");
  if (!verifyMsgSignature(token, query.timestamp, query.nonce, enc, query.msg_signature)) {
    throw new WechatProtocolError("bad_signature", "msg_signature");
  }
  return toInbound(parseWechatXml(decrypt(enc, key, appId).xml));
}

/** WeChat's side of reading our encrypted reply. */
function peerOpensReply(envelopeXml: string): { id: string; message: string } {
  const env = parseWechatXml(envelopeXml);
  const enc = String(env.Encrypt);
  const expected = wecom.getSignature(token, String(env.TimeStamp), String(env.Nonce), enc);
  expect(env.MsgSignature).toBe(expected);
  const { message, id } = wecom.decrypt(encodingAESKey, enc);
  return { id, message };
}

describe("@wecom/crypto as the peer", () => {
  test("plain signatures agree with the peer's signature with an empty fourth argument", () => {
    expect(plainSignature(token, "1714037059", "486452656")).toBe(
      wecom.getSignature(token, "1714037059", "486452656", ""),
    );
  });

  test("a push the peer encrypts opens on our side with a 20-digit MsgId intact", () => {
    const msg = openPush(wechatSafeModePush(pushXml("请问两免一补怎么申请？")));
    expect(msg.MsgType).toBe("text");
    if (msg.MsgType !== "text") return;
    expect(msg.Content).toBe("请问两免一补怎么申请？");
    expect(msg.MsgId).toBe("24536712345678901234");
    expect(dedupeKey(msg)).toBe("oyORnuP8q7ou2gfYjqLzSIWZf0rs|24536712345678901234");
  });

  test("what we encrypt the peer decrypts, for Chinese, emoji and long text", () => {
    for (const text of ["", "中文abc123", "👨‍👩‍👧 家庭", "资助".repeat(2000)]) {
      const out = wecom.decrypt(encodingAESKey, encrypt(text, key, appId));
      expect(out.message).toBe(text);
      expect(out.id).toBe(appId);
    }
  });

  test("with the same random prefix both sides produce identical ciphertext", () => {
    for (let i = 0; i < 20; i++) {
      const random = randomBytes(16);
      const text = `<xml><N>${"x".repeat(i * 7)}</N><C>第${i}条</C></xml>`;
      expect(encrypt(text, key, appId, random)).toBe(wecom.encrypt(encodingAESKey, text, appId, random));
    }
  });

  test("a block-aligned message matches the peer byte for byte (full pad block)", () => {
    const random = Buffer.from("0123456789abcdef");
    const msg = "abcdefghijklmnopqrstuvwxyz"; // 16 + 4 + 26 + 18 = 64 bytes before padding
    const ours = encrypt(msg, key, appId, random);
    expect(ours).toBe(wecom.encrypt(encodingAESKey, msg, appId, random));
    expect(Buffer.from(ours, "base64").length).toBe(96);
  });

  test("our encrypted passive reply is accepted by the peer, including ']]>' in the content", () => {
    const content = "申请材料：1. 户口本]]>2. 学籍证明 <b>&amp;</b>";
    const replyXml = textReplyXml({
      to: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
      from: "gh_10f6c3c3ac5a",
      createTime: 1714037060,
      content,
    });
    const envelope = encryptedReplyEnvelope(replyXml, { token, key, appId, timestamp: 1714037060, nonce: "123456" });
    const { id, message } = peerOpensReply(envelope);
    expect(id).toBe(appId);
    expect(message).toBe(replyXml);
    const reply = parseWechatXml(message);
    expect(reply.Content).toBe(content);
    expect(reply.ToUserName).toBe("oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    expect(reply.MsgType).toBe("text");
  });

  test("a push encrypted for another appid is rejected", () => {
    const push = wechatSafeModePush(pushXml("hi"), { appid: "wx0000000000000000" });
    expect(() => openPush(push)).toThrow(expect.objectContaining({ code: "bad_appid" }));
  });

  test("a push encrypted with another key is rejected", () => {
    const push = wechatSafeModePush(pushXml("hi"), { encodingKey: "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR" });
    expect(() => openPush(push)).toThrow(WechatProtocolError);
  });

  test("a tampered msg_signature is rejected", () => {
    const push = wechatSafeModePush(pushXml("hi"));
    const last = push.query.msg_signature.endsWith("0") ? "1" : "0";
    push.query.msg_signature = push.query.msg_signature.slice(0, -1) + last;
    expect(() => openPush(push)).toThrow(expect.objectContaining({ code: "bad_signature" }));
  });

  test("a tampered Encrypt is rejected by the signature check before decryption", () => {
    const push = wechatSafeModePush(pushXml("hi"));
    const enc = String(parseWechatXml(push.body).Encrypt);
    const bytes = Buffer.from(enc, "base64");
    bytes[40] = (bytes[40] ?? 0) ^ 0x01; // a flip in the message area would decrypt "fine" without the check
    push.body = push.body.replace(enc, bytes.toString("base64"));
    expect(() => openPush(push)).toThrow(expect.objectContaining({ code: "bad_signature" }));
  });

  test("a tampered plain signature is rejected", () => {
    const push = wechatSafeModePush(pushXml("hi"));
    push.query.signature = plainSignature("wrong-token", push.query.timestamp, push.query.nonce);
    expect(() => openPush(push)).toThrow(expect.objectContaining({ code: "bad_signature" }));
  });
});
