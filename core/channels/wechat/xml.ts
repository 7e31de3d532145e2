/**
 * A deliberately small XML reader/writer for WeChat's push and reply bodies. No dependency.
 *
 * What WeChat sends is flat: <xml> holding simple elements whose text is plain or CDATA, plus a few
 * nested blocks (SendPicsInfo, ScanCodeInfo, SubscribeMsgPopupEvent with repeated <List> …).
 * This reader accepts exactly that shape and refuses everything else:
 *
 *  - size is checked first (default cap 64 KiB of UTF-8);
 *  - a linear pre-scan refuses DOCTYPE / ENTITY / any other `<!…` declaration, comments and processing
 *    instructions (only one leading `<?xml …?>` is allowed) before any parsing happens — nothing is
 *    ever expanded, so XXE and "billion laughs" payloads are inert;
 *  - text may use CDATA (also split CDATA), the five predefined entities and numeric character
 *    references; any other `&name;` is an error;
 *  - every value stays a string (MsgId is a 64-bit integer and `00123` must stay `00123`).
 */
import { WechatProtocolError } from "./crypto.js";

export type XmlItem = string | XmlRecord;
export type XmlValue = XmlItem | XmlItem[];
export interface XmlRecord {
  [name: string]: XmlValue;
}

export interface ParseOptions {
  /** Maximum body size in UTF-8 bytes. Default 64 KiB. */
  maxBytes?: number;
  /** Maximum element nesting below the root. Default 8. */
  maxDepth?: number;
  /** Element names that always become arrays, even when they appear once. Default: List, item. */
  alwaysArray?: readonly string[];
}

export const MAX_XML_BYTES = 64 * 1024;
const DEFAULT_ALWAYS_ARRAY = ["List", "item"] as const;

function bad(message: string): WechatProtocolError {
  return new WechatProtocolError("bad_xml", message);
}

// ---------------------------------------------------------------------------------------------
// Pre-scan: refuse dangerous markup before parsing

function isXmlSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** Index of the first non-space character after an optional BOM. */
function contentStart(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && isXmlSpace(text[i])) i++;
  return i;
}

function prescan(text: string): void {
  const declAt = contentStart(text);
  let i = 0;
  for (;;) {
    const lt = text.indexOf("<", i);
    if (lt < 0) return;
    if (text.startsWith("<![CDATA[", lt)) {
      const end = text.indexOf("]]>", lt + 9);
      if (end < 0) throw bad("unterminated CDATA section");
      i = end + 3;
      continue;
    }
    if (text.startsWith("<!", lt)) {
      const head = text.slice(lt, lt + 9).toUpperCase();
      if (head.startsWith("<!DOCTYPE")) throw bad("DOCTYPE declarations are not allowed");
      if (head.startsWith("<!ENTITY")) throw bad("ENTITY declarations are not allowed");
      if (head.startsWith("<!--")) throw bad("comments are not allowed");
      throw bad("markup declarations are not allowed");
    }
    if (text.startsWith("<?", lt)) {
      const isDecl = lt === declAt && /^<\?xml[\s?]/.test(text.slice(lt, lt + 6));
      if (!isDecl) throw bad("processing instructions are not allowed");
      const end = text.indexOf("?>", lt + 5);
      if (end < 0) throw bad("unterminated XML declaration");
      i = end + 2;
      continue;
    }
    i = lt + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Entities

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function decodeText(raw: string): string {
  if (!raw.includes("&")) return raw;
  let out = "";
  let i = 0;
  for (;;) {
    const amp = raw.indexOf("&", i);
    if (amp < 0) return out + raw.slice(i);
    out += raw.slice(i, amp);
    const semi = raw.indexOf(";", amp + 1);
    if (semi < 0 || semi - amp > 12) throw bad("unterminated character reference");
    const ref = raw.slice(amp + 1, semi);
    let ch: string | undefined;
    if (ref.startsWith("#x") || ref.startsWith("#X")) {
      if (/^#[xX][0-9a-fA-F]{1,6}$/.test(ref)) ch = fromCodePoint(parseInt(ref.slice(2), 16));
    } else if (ref.startsWith("#")) {
      if (/^#[0-9]{1,7}$/.test(ref)) ch = fromCodePoint(parseInt(ref.slice(1), 10));
    } else {
      ch = Object.hasOwn(NAMED, ref) ? NAMED[ref] : undefined;
      if (ch === undefined) throw bad("unknown entity reference");
    }
    if (ch === undefined) throw bad("invalid character reference");
    out += ch;
    i = semi + 1;
  }
}

function fromCodePoint(cp: number): string | undefined {
  return isXmlChar(cp) ? String.fromCodePoint(cp) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Parser

const NAME = /[A-Za-z_][A-Za-z0-9_.:-]*/y;
const ATTR = /([A-Za-z_][A-Za-z0-9_.:-]*)\s*=\s*("[^"<]*"|'[^'<]*')/y;

interface Frame {
  name: string;
  children: XmlRecord;
  hasChildren: boolean;
  text: string[];
  /** True once any CDATA or non-whitespace text was seen. */
  hasText: boolean;
}

function newFrame(name: string): Frame {
  return { name, children: {}, hasChildren: false, text: [], hasText: false };
}

function frameValue(f: Frame): XmlItem {
  if (f.hasChildren) {
    if (f.hasText) throw bad(`element <${f.name}> mixes text and elements`);
    return f.children;
  }
  return f.text.join("");
}

function assign(parent: Frame, name: string, value: XmlItem, alwaysArray: ReadonlySet<string>): void {
  parent.hasChildren = true;
  const rec = parent.children;
  if (!Object.hasOwn(rec, name)) {
    rec[name] = alwaysArray.has(name) ? [value] : value;
    return;
  }
  const existing = rec[name];
  if (Array.isArray(existing)) existing.push(value);
  else if (existing !== undefined) rec[name] = [existing, value];
}

/**
 * Parses a WeChat XML body into a record of the root's children. Values are strings, nested
 * records, or arrays (for repeated elements and for names listed in `alwaysArray`).
 * Throws WechatProtocolError `too_large` or `bad_xml`.
 */
export function parseWechatXml(text: string, options: ParseOptions = {}): XmlRecord {
  const maxBytes = options.maxBytes ?? MAX_XML_BYTES;
  const maxDepth = options.maxDepth ?? 8;
  const alwaysArray: ReadonlySet<string> = new Set(options.alwaysArray ?? DEFAULT_ALWAYS_ARRAY);

  if (typeof text !== "string") throw bad("body is not text");
  if (text.length > maxBytes || Buffer.byteLength(text, "utf8") > maxBytes) {
    throw new WechatProtocolError("too_large", `XML body exceeds ${maxBytes} bytes`);
  }
  prescan(text);

  let pos = contentStart(text);
  if (text.startsWith("<?", pos)) pos = text.indexOf("?>", pos) + 2; // validated by prescan
  const stack: Frame[] = [];
  let result: XmlRecord | undefined;

  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) throw bad("invalid element name");
    pos = NAME.lastIndex;
    if (m[0] === "__proto__") throw bad("invalid element name");
    return m[0];
  };
  const skipSpace = (): void => {
    while (pos < text.length && isXmlSpace(text[pos])) pos++;
  };
  const close = (frame: Frame): void => {
    const value = frameValue(frame);
    const parent = stack[stack.length - 1];
    if (parent) {
      assign(parent, frame.name, value, alwaysArray);
      return;
    }
    if (typeof value === "string") {
      if (value.trim() !== "" || frame.hasText) throw bad("root element must contain elements, not text");
      result = {};
    } else {
      result = value;
    }
  };

  while (pos < text.length) {
    const top = stack[stack.length - 1];
    if (text[pos] !== "<") {
      const next = text.indexOf("<", pos);
      const raw = text.slice(pos, next < 0 ? text.length : next);
      pos = next < 0 ? text.length : next;
      if (!top) {
        if (raw.trim() !== "") throw bad("text outside the root element");
        continue;
      }
      const decoded = decodeText(raw);
      top.text.push(decoded);
      if (decoded.trim() !== "") top.hasText = true;
      continue;
    }
    if (text.startsWith("<![CDATA[", pos)) {
      const end = text.indexOf("]]>", pos + 9); // found: prescan checked termination
      if (!top) throw bad("CDATA outside the root element");
      top.text.push(text.slice(pos + 9, end));
      top.hasText = true;
      pos = end + 3;
      continue;
    }
    if (text.startsWith("<!", pos) || text.startsWith("<?", pos)) {
      throw bad("unexpected markup declaration"); // unreachable after prescan, kept as a guard
    }
    if (text.startsWith("</", pos)) {
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== ">") throw bad("malformed closing tag");
      pos++;
      const frame = stack.pop();
      if (!frame || frame.name !== name) throw bad("mismatched closing tag");
      close(frame);
      continue;
    }
    // Opening or self-closing tag.
    if (result !== undefined) throw bad("content after the root element");
    pos++;
    const name = readName();
    if (stack.length === 0 && name !== "xml") throw bad("root element must be <xml>");
    if (stack.length > maxDepth) throw bad("elements are nested too deeply");
    // Attributes are not used by WeChat; they are checked for well-formedness and ignored.
    for (;;) {
      const before = pos;
      skipSpace();
      if (text[pos] === ">" || text.startsWith("/>", pos)) break;
      if (pos === before) throw bad("malformed tag");
      ATTR.lastIndex = pos;
      if (!ATTR.exec(text)) throw bad("malformed attribute");
      pos = ATTR.lastIndex;
    }
    const frame = newFrame(name);
    if (text[pos] === ">") {
      pos++;
      stack.push(frame);
    } else {
      pos += 2;
      close(frame);
    }
  }

  if (stack.length > 0) throw bad("unexpected end of document");
  if (result === undefined) throw bad("document has no root element");
  return result;
}

// ---------------------------------------------------------------------------------------------
// Writer

/** Removes characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/FFFF). */
export function stripInvalidXmlChars(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isXmlChar(cp)) out += ch;
  }
  return out;
}

/** Wraps text in CDATA, splitting any "]]>" across two sections so it cannot end the section early. */
export function cdata(s: string): string {
  return `<![CDATA[${stripInvalidXmlChars(s).replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

export interface TextReply {
  /** The user's OpenID (the FromUserName of the push). */
  to: string;
  /** Our account's original id, gh_… (the ToUserName of the push). */
  from: string;
  /** Unix time in seconds. */
  createTime: number | string;
  content: string;
}

/** Builds a passive text reply (plaintext; wrap with encryptedReplyEnvelope in safe mode). */
export function textReplyXml(reply: TextReply): string {
  const ts = typeof reply.createTime === "number" ? String(reply.createTime) : reply.createTime;
  if (!/^\d{1,11}$/.test(ts) || Number(ts) >= 1e11) {
    throw new WechatProtocolError("bad_argument", "createTime must be whole seconds");
  }
  return (
    `<xml><ToUserName>${cdata(reply.to)}</ToUserName>` +
    `<FromUserName>${cdata(reply.from)}</FromUserName>` +
    `<CreateTime>${ts}</CreateTime>` +
    `<MsgType><![CDATA[text]]></MsgType>` +
    `<Content>${cdata(reply.content)}</Content></xml>`
  );
}
