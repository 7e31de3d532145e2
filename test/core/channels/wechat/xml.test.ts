import { describe, expect, test } from "vitest";
import { WechatProtocolError, type WechatProtocolErrorCode } from "../../../../core/channels/wechat/crypto.js";
import {
  cdata,
  MAX_XML_BYTES,
  parseWechatXml,
  stripInvalidXmlChars,
  textReplyXml,
} from "../../../../core/channels/wechat/xml.js";

function refused(text: string, code: WechatProtocolErrorCode = "bad_xml"): WechatProtocolError {
  try {
    parseWechatXml(text);
  } catch (e) {
    expect(e).toBeInstanceOf(WechatProtocolError);
    expect((e as WechatProtocolError).code).toBe(code);
    return e as WechatProtocolError;
  }
  throw new Error("expected the document to be refused");
}

const officialSample =
  "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n" +
  "<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n" +
  "<MsgId>6054768590064713728</MsgId>\n</xml>";

describe("parsing WeChat message XML", () => {
  test("the official sample parses into a flat record of strings", () => {
    expect(parseWechatXml(officialSample)).toEqual({
      ToUserName: "gh_10f6c3c3ac5a",
      FromUserName: "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
      CreateTime: "1409735668",
      MsgType: "text",
      Content: "abcdteT",
      MsgId: "6054768590064713728",
    });
  });

  test("CDATA 00123 stays the string 00123, as does plain text 00123", () => {
    const r = parseWechatXml("<xml><Content><![CDATA[00123]]></Content><EventKey>00123</EventKey></xml>");
    expect(r.Content).toBe("00123");
    expect(r.EventKey).toBe("00123");
  });

  test("a 20-digit MsgId stays an exact string", () => {
    const r = parseWechatXml("<xml><MsgId>18446744073709551615</MsgId></xml>");
    expect(r.MsgId).toBe("18446744073709551615");
    expect(typeof r.MsgId).toBe("string");
  });

  test("split CDATA sections join into one value containing ]]>", () => {
    expect(parseWechatXml("<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>").Content).toBe("a]]>b");
  });

  test("CDATA keeps markup-looking text, newlines and spaces verbatim", () => {
    const content = "<b>&amp;</b>\n  第二行  ";
    expect(parseWechatXml(`<xml><Content><![CDATA[${content}]]></Content></xml>`).Content).toBe(content);
  });

  test("a user message that merely mentions <!DOCTYPE inside CDATA is accepted as text", () => {
    const r = parseWechatXml("<xml><Content><![CDATA[<!DOCTYPE html><?php echo 1; ?>]]></Content></xml>");
    expect(r.Content).toBe("<!DOCTYPE html><?php echo 1; ?>");
  });

  test("the five standard entities and numeric references are decoded in text", () => {
    const r = parseWechatXml("<xml><A>&lt;&gt;&amp;&quot;&apos;</A><B>&#20013;&#x6587;&#X1F44B;</B></xml>");
    expect(r.A).toBe("<>&\"'");
    expect(r.B).toBe("中文👋");
  });

  test("text and CDATA can be mixed inside one element", () => {
    expect(parseWechatXml("<xml><A>x &amp; <![CDATA[<y>]]> z</A></xml>").A).toBe("x & <y> z");
  });

  test("empty and self-closing elements become empty strings", () => {
    expect(parseWechatXml("<xml><EventKey/><Ticket></Ticket><Blank> </Blank></xml>")).toEqual({
      EventKey: "",
      Ticket: "",
      Blank: " ",
    });
  });

  test("a leading XML declaration, BOM and surrounding whitespace are accepted", () => {
    const r = parseWechatXml('\uFEFF  <?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <A>1</A>\n</xml>\n');
    expect(r).toEqual({ A: "1" });
  });

  test("attributes are tolerated and ignored", () => {
    expect(parseWechatXml('<xml a="1"><A b=\'2\' c = "x>y">1</A></xml>')).toEqual({ A: "1" });
  });

  test("an empty root gives an empty record", () => {
    expect(parseWechatXml("<xml></xml>")).toEqual({});
    expect(parseWechatXml("<xml/>")).toEqual({});
  });

  test("ScanCodeInfo is kept as a nested record", () => {
    const r = parseWechatXml(
      "<xml><Event><![CDATA[scancode_push]]></Event><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>" +
        "<ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo></xml>",
    );
    expect(r.ScanCodeInfo).toEqual({ ScanType: "qrcode", ScanResult: "1" });
  });

  test("SendPicsInfo keeps its items as an array even when there is only one", () => {
    const one = parseWechatXml(
      "<xml><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum></item></PicList></SendPicsInfo></xml>",
    );
    expect(one.SendPicsInfo).toEqual({
      Count: "1",
      PicList: { item: [{ PicMd5Sum: "1b5f7c23b5bf75682a53e7b6d163e185" }] },
    });
    const two = parseWechatXml(
      "<xml><SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item><item><PicMd5Sum>b</PicMd5Sum></item></PicList></SendPicsInfo></xml>",
    );
    expect(two.SendPicsInfo).toEqual({ Count: "2", PicList: { item: [{ PicMd5Sum: "a" }, { PicMd5Sum: "b" }] } });
  });

  test("subscribe popup <List> elements always come back as an array", () => {
    const list = (n: number) =>
      Array.from(
        { length: n },
        (_, i) =>
          `<List><TemplateId><![CDATA[tpl${i}]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List>`,
      ).join("");
    const one = parseWechatXml(`<xml><SubscribeMsgPopupEvent>${list(1)}</SubscribeMsgPopupEvent></xml>`);
    expect(one.SubscribeMsgPopupEvent).toEqual({
      List: [{ TemplateId: "tpl0", SubscribeStatusString: "accept", PopupScene: "2" }],
    });
    const three = parseWechatXml(`<xml><SubscribeMsgPopupEvent>${list(3)}</SubscribeMsgPopupEvent></xml>`);
    expect((three.SubscribeMsgPopupEvent as { List: unknown[] }).List).toHaveLength(3);
  });

  test("other repeated elements are collected into an array", () => {
    expect(parseWechatXml("<xml><A>1</A><A>2</A><A>3</A></xml>").A).toEqual(["1", "2", "3"]);
  });

  test("a custom alwaysArray list is honoured", () => {
    expect(parseWechatXml("<xml><Article>1</Article></xml>", { alwaysArray: ["Article"] }).Article).toEqual(["1"]);
  });
});

describe("refusing dangerous or malformed XML", () => {
  test("an XXE payload is refused at the DOCTYPE without reading anything", () => {
    const err = refused(
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
    );
    expect(err.message).toMatch(/DOCTYPE/);
    expect(err.message).not.toContain("/etc/passwd");
  });

  test("a lower-case doctype is refused too", () => {
    refused("<!doctype xml><xml><A>1</A></xml>");
  });

  test("a stray ENTITY declaration is refused", () => {
    expect(refused('<xml><!ENTITY a "b"><A>1</A></xml>').message).toMatch(/ENTITY/);
  });

  // How long these take is measured by `npm run bench -- parsers`, not asserted here (no wall-clock limits in tests).
  test("a billion-laughs document is refused without expansion", () => {
    const decls = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) decls.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ""};`.repeat(10)}">`);
    const doc = `<?xml version="1.0"?><!DOCTYPE lolz [${decls.join("")}]><xml><Content>&lol9;</Content></xml>`;
    refused(doc);
  });

  test("a billion-laughs document padded to just under the size cap is still refused", () => {
    const entity = `<!ENTITY a "${"&b;".repeat(1000)}">`;
    let doc = '<?xml version="1.0"?><!DOCTYPE xml [';
    while (doc.length + entity.length < MAX_XML_BYTES - 100) doc += entity;
    doc += "]><xml><A>&a;</A></xml>";
    refused(doc);
  });

  test("an undeclared entity reference is refused instead of being expanded", () => {
    refused("<xml><Content>&xxe;</Content></xml>");
    refused("<xml><Content>&nbsp;</Content></xml>");
  });

  test.each([
    ["a PHP processing instruction", "<xml><?php system('id'); ?><A>1</A></xml>"],
    ["a stylesheet instruction", '<?xml-stylesheet href="x"?><xml><A>1</A></xml>'],
    ["an XML declaration that is not first", '<xml><A>1</A></xml><?xml version="1.0"?>'],
    ["a second XML declaration", '<?xml version="1.0"?><?xml version="1.0"?><xml/>'],
  ])("%s is refused", (_label, doc) => {
    expect(refused(doc).message).toMatch(/processing instruction/);
  });

  test("a comment is refused", () => {
    refused("<xml><!-- hi --><A>1</A></xml>");
  });

  test("a body over the size cap is refused before parsing", () => {
    const doc = `<xml><Content>${"a".repeat(MAX_XML_BYTES)}</Content></xml>`;
    const err = refused(doc, "too_large");
    expect(err.message).not.toContain("aaaa");
  });

  test("the size cap counts UTF-8 bytes, not characters", () => {
    const content = "中".repeat(Math.ceil(MAX_XML_BYTES / 3)); // fewer characters than the cap, more bytes
    expect(content.length).toBeLessThan(MAX_XML_BYTES);
    refused(`<xml><Content>${content}</Content></xml>`, "too_large");
  });

  test("a smaller size cap can be configured", () => {
    expect(() => parseWechatXml("<xml><A>123456</A></xml>", { maxBytes: 10 })).toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
  });

  test("elements nested deeper than the limit are refused", () => {
    const deep = `<xml>${"<a>".repeat(20)}x${"</a>".repeat(20)}</xml>`;
    expect(refused(deep).message).toMatch(/nested/);
    expect(parseWechatXml(`<xml>${"<a>".repeat(3)}x${"</a>".repeat(3)}</xml>`)).toEqual({ a: { a: { a: "x" } } });
  });

  test("an element called __proto__ is refused and pollutes nothing", () => {
    refused("<xml><__proto__><polluted>yes</polluted></__proto__></xml>");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("non-string input is refused", () => {
    expect(() => parseWechatXml(undefined as unknown as string)).toThrow(WechatProtocolError);
  });

  test.each([
    ["the empty string", ""],
    ["whitespace only", "   \n"],
    ["plain text", "success"],
    ["JSON", '{"MsgType":"text"}'],
    ["an unclosed element", "<xml><A>1</xml>"],
    ["an unclosed root", "<xml><A>1</A>"],
    ["a mismatched closing tag", "<xml><A>1</B></xml>"],
    ["a closing tag without opening", "</xml>"],
    ["a root that is not <xml>", "<root><A>1</A></root>"],
    ["text directly in the root", "<xml>hello</xml>"],
    ["CDATA directly in the root", "<xml><![CDATA[hello]]></xml>"],
    ["text mixed with elements", "<xml><A>1<B>2</B></A></xml>"],
    ["text outside the root", "junk<xml><A>1</A></xml>"],
    ["trailing text", "<xml><A>1</A></xml>junk"],
    ["two root elements", "<xml><A>1</A></xml><xml><A>2</A></xml>"],
    ["an unterminated CDATA", "<xml><A><![CDATA[abc</A></xml>"],
    ["an unterminated character reference", "<xml><A>a & b</A></xml>"],
    ["a reference to code point 0", "<xml><A>&#0;</A></xml>"],
    ["a reference to a surrogate", "<xml><A>&#xD800;</A></xml>"],
    ["a reference beyond Unicode", "<xml><A>&#x110000;</A></xml>"],
    ["an invalid element name", "<xml><1A>1</1A></xml>"],
    ["an unterminated tag", "<xml><A"],
    ["a malformed attribute", "<xml><A b=1>x</A></xml>"],
    ["garbage angle brackets", "<<>>"],
    ["a CDATA-like declaration with the wrong keyword", "<xml><A><![CDATX[1]]></A></xml>"],
  ])("%s is refused as bad_xml", (_label, doc) => {
    refused(doc);
  });
});

describe("building replies", () => {
  test("a text reply has the documented shape", () => {
    expect(textReplyXml({ to: "openid1", from: "gh_abc", createTime: 1714037060, content: "你好" })).toBe(
      "<xml><ToUserName><![CDATA[openid1]]></ToUserName><FromUserName><![CDATA[gh_abc]]></FromUserName>" +
        "<CreateTime>1714037060</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>",
    );
  });

  test.each([
    ["a CDATA terminator", "a]]>b"],
    ["several terminators", "]]>]]]]>>"],
    ["markup and entities", "<xml>&amp;</xml> & <!DOCTYPE x>"],
    ["newlines", "第一行\n第二行\r\n第三行"],
    ["emoji", "👨‍👩‍👧 ok"],
  ])("content with %s survives a round trip through the parser", (_label, content) => {
    const xml = textReplyXml({ to: "o1", from: "gh_1", createTime: "1714037060", content });
    const r = parseWechatXml(xml);
    expect(r.Content).toBe(content);
    expect(r.MsgType).toBe("text");
    expect(r.CreateTime).toBe("1714037060");
  });

  test("characters XML cannot carry are removed from the content", () => {
    const xml = textReplyXml({ to: "o1", from: "gh_1", createTime: 1, content: "a\u0000b\u0007c\uFFFEd\uD800e\tf" });
    expect(parseWechatXml(xml).Content).toBe("abcde\tf");
    expect(stripInvalidXmlChars("ok\u001b")).toBe("ok");
  });

  test("cdata() splits every terminator", () => {
    expect(cdata("x]]>y")).toBe("<![CDATA[x]]]]><![CDATA[>y]]>");
  });

  test("a millisecond createTime is refused", () => {
    expect(() => textReplyXml({ to: "o", from: "g", createTime: Date.now(), content: "x" })).toThrow(
      expect.objectContaining({ code: "bad_argument" }),
    );
    expect(() => textReplyXml({ to: "o", from: "g", createTime: "12a", content: "x" })).toThrow(WechatProtocolError);
  });
});

describe("robustness", () => {
  test("thousands of random mutations of a push either parse or fail with a protocol error", () => {
    let seed = 20240501;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const base =
      '<?xml version="1.0"?><xml><ToUserName><![CDATA[gh_x]]></ToUserName><A>1 &amp; 2</A>' +
      "<B><C>x</C><List><D>y</D></List></B><E/></xml>";
    const alphabet = "<>/![]CDATA?&;#x\"'= axml-";
    for (let i = 0; i < 5000; i++) {
      const chars = base.split("");
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
        const p = Math.floor(rnd() * chars.length);
        const ch = alphabet[Math.floor(rnd() * alphabet.length)] ?? "<";
        const op = rnd();
        if (op < 0.33) chars.splice(p, 1);
        else if (op < 0.66) chars.splice(p, 0, ch);
        else chars[p] = ch;
      }
      try {
        parseWechatXml(chars.join(""));
      } catch (e) {
        expect(e).toBeInstanceOf(WechatProtocolError);
      }
    }
  });

  test("a body of 60 KB of hostile markup is parsed or refused with a protocol error (timed by the bench)", () => {
    const docs = [
      "<".repeat(60_000),
      `<xml>${"<a>".repeat(15_000)}</xml>`,
      `<xml><A>${"&amp;".repeat(12_000)}</A></xml>`,
      `<xml>${"<A>1</A>".repeat(8_000)}</xml>`,
      "<![CDATA[".repeat(6_000),
    ];
    for (const doc of docs) {
      try {
        parseWechatXml(doc);
      } catch (e) {
        expect(e).toBeInstanceOf(WechatProtocolError);
      }
    }
  });
});
