/**
 * An independent WeChat stand-in for tests and the bench: builds pushes the way WeChat does (signed and, in
 * safe / compatible mode, encrypted with @wecom/crypto — Tencent's implementation, not ours) and opens our
 * replies the way WeChat would (checks MsgSignature over the reply's own TimeStamp/Nonce, decrypts, compares the
 * appid). Reads XML with regular expressions, so none of our parser is involved on this side.
 */
import { randomBytes } from "node:crypto";
import * as wecom from "@wecom/crypto";

export type Mode = "plain" | "compatible" | "safe";

export interface PeerOptions {
  token: string;
  appId: string;
  /** EncodingAESKey; required for compatible and safe mode. */
  aesKey?: string;
  mode: Mode;
  /** Our account's original id. */
  account?: string;
}

export interface Push {
  /** Path + query, e.g. /wechat/demo?signature=… */
  url: string;
  body: string;
}

export interface PushOverrides {
  timestamp?: string;
  nonce?: string;
  /** Replace the signature / msg_signature with something else (or drop them with null). */
  signature?: string | null;
  msgSignature?: string | null;
  /** Encrypt for another appid. */
  encryptAppId?: string;
  /** Encrypt with another EncodingAESKey (key rotation tests). */
  encryptKey?: string;
  /** In compatible mode, the plaintext copy of the fields (default: the real ones). */
  plaintextCopy?: string;
}

const cdata = (s: string) => `<![CDATA[${s}]]>`;
const nowSeconds = () => String(Math.floor(Date.now() / 1000));
const randomNonce = () => String(100000000 + Math.floor(Math.random() * 899999999));

/** The value of a simple element (CDATA or plain). */
export function field(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2]) : undefined;
}

let msgIdCounter = BigInt("24536712345678901234") + BigInt(Math.floor(Math.random() * 1e9)) * 1000n;

export function wechatPeer(opts: PeerOptions) {
  const account = opts.account ?? "gh_10f6c3c3ac5a";
  if (opts.mode !== "plain" && !opts.aesKey) throw new Error("compatible and safe mode need aesKey");

  function message(openId: string, type: string, fields: Record<string, string>, createTime = nowSeconds()): string {
    const inner = Object.entries(fields)
      .map(([k, v]) =>
        /^\d+$/.test(v) && k !== "Content" && k !== "Recognition" ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`,
      )
      .join("");
    return `<xml><ToUserName>${cdata(account)}</ToUserName><FromUserName>${cdata(openId)}</FromUserName><CreateTime>${createTime}</CreateTime><MsgType>${cdata(type)}</MsgType>${inner}</xml>`;
  }

  const nextMsgId = () => String(++msgIdCounter);

  return {
    account,
    nextMsgId,
    text: (openId: string, content: string, msgId = nextMsgId()) =>
      message(openId, "text", { Content: content, MsgId: msgId }),
    voice: (openId: string, recognition: string | undefined, msgId = nextMsgId()) =>
      message(openId, "voice", {
        MediaId: "media_1",
        Format: "amr",
        ...(recognition === undefined ? {} : { Recognition: recognition }),
        MsgId: msgId,
      }),
    image: (openId: string, msgId = nextMsgId()) =>
      message(openId, "image", { PicUrl: "http://mmbiz.qpic.cn/x", MediaId: "media_2", MsgId: msgId }),
    location: (openId: string, msgId = nextMsgId()) =>
      message(openId, "location", {
        Location_X: "23.134521",
        Location_Y: "113.358803",
        Scale: "20",
        Label: "某地",
        MsgId: msgId,
      }),
    event: (openId: string, event: string, extra: Record<string, string> = {}, createTime = nowSeconds()) =>
      message(openId, "event", { Event: event, ...extra }, createTime),
    raw: message,

    /** GET URL verification as WeChat sends it (plaintext in every mode). */
    verifyUrl(
      path: string,
      echostr: string,
      o: { timestamp?: string; nonce?: string; signature?: string | null } = {},
    ): string {
      const timestamp = o.timestamp ?? nowSeconds();
      const nonce = o.nonce ?? randomNonce();
      const q = new URLSearchParams({ timestamp, nonce, echostr });
      const sig = o.signature === undefined ? wecom.getSignature(opts.token, timestamp, nonce, "") : o.signature;
      if (sig !== null) q.set("signature", sig);
      return `${path}?${q}`;
    },

    /** A POST push of `xml` in the peer's mode. */
    push(path: string, xml: string, o: PushOverrides = {}): Push {
      const timestamp = o.timestamp ?? nowSeconds();
      const nonce = o.nonce ?? randomNonce();
      const openId = field(xml, "FromUserName") ?? "";
      const q = new URLSearchParams({ timestamp, nonce, openid: openId });
      const sig = o.signature === undefined ? wecom.getSignature(opts.token, timestamp, nonce, "") : o.signature;
      if (sig !== null) q.set("signature", sig);
      if (opts.mode === "plain") return { url: `${path}?${q}`, body: xml };

      const enc = wecom.encrypt(o.encryptKey ?? opts.aesKey!, xml, o.encryptAppId ?? opts.appId);
      q.set("encrypt_type", "aes");
      const msig =
        o.msgSignature === undefined ? wecom.getSignature(opts.token, timestamp, nonce, enc) : o.msgSignature;
      if (msig !== null) q.set("msg_signature", msig);
      if (opts.mode === "safe") {
        return {
          url: `${path}?${q}`,
          body: `<xml><ToUserName>${cdata(account)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt></xml>`,
        };
      }
      // Compatible: the plaintext fields and the Encrypt element side by side.
      const plain = (o.plaintextCopy ?? xml).replace(/<\/xml>\s*$/, "");
      return { url: `${path}?${q}`, body: `${plain}<Encrypt>${cdata(enc)}</Encrypt></xml>` };
    },

    /**
     * Opens our reply as WeChat would. `success` / empty → { kind: "ack" }; otherwise checks the envelope
     * (encrypted modes) and returns the text reply's fields. Throws when anything does not check out.
     */
    openReply(
      body: string,
      o: { key?: string } = {},
    ):
      | { kind: "ack" }
      | { kind: "text"; to: string; from: string; content: string; createTime: string; encrypted: boolean } {
      if (body === "" || body === "success") return { kind: "ack" };
      let xml = body;
      let encrypted = false;
      const enc = field(body, "Encrypt");
      if (enc !== undefined) {
        const sig = field(body, "MsgSignature");
        const ts = field(body, "TimeStamp");
        const nonce = field(body, "Nonce");
        if (!sig || !ts || !nonce) throw new Error("reply envelope is incomplete");
        if (!/^\d{10}$/.test(ts)) throw new Error("reply TimeStamp must be 10-digit seconds");
        if (wecom.getSignature(opts.token, ts, nonce, enc) !== sig)
          throw new Error("reply MsgSignature does not match");
        const opened = wecom.decrypt(o.key ?? opts.aesKey!, enc);
        if (opened.id !== opts.appId) throw new Error("reply was sealed for another appid");
        xml = opened.message;
        encrypted = true;
      }
      if (field(xml, "MsgType") !== "text") throw new Error("reply is not a text message");
      return {
        kind: "text",
        to: field(xml, "ToUserName") ?? "",
        from: field(xml, "FromUserName") ?? "",
        content: field(xml, "Content") ?? "",
        createTime: field(xml, "CreateTime") ?? "",
        encrypted,
      };
    },
  };
}

export type WechatPeer = ReturnType<typeof wechatPeer>;

export const randomOpenId = () => `o${randomBytes(14).toString("base64url")}`;
