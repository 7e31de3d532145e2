/** Property-based tests (fast-check) of the WeChat XML reader and writer at the webhook's boundary. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWechatProtocolError } from "../../../../core/channels/wechat/crypto.js";
import { parseWechatXml, stripInvalidXmlChars, textReplyXml } from "../../../../core/channels/wechat/xml.js";

/** Text with the characters that make XML hard: markup, CDATA ends, entities, line ends, controls, any Unicode. */
const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "<",
      ">",
      "&",
      "]]>",
      "]]",
      "<![CDATA[",
      "&amp;",
      "&#x41;",
      '"',
      "'",
      "\n",
      "\r\n",
      "\t",
      "\u0000",
      "\uFFFE",
    ),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

describe("WeChat XML, property-based", () => {
  it("reads back any text we write into a reply (less what XML 1.0 cannot carry)", () => {
    fc.assert(
      fc.property(nasty, nasty, (content, openId) => {
        const xml = textReplyXml({ to: openId, from: "gh_10f6c3c3ac5a", createTime: 1_700_000_000, content });
        const record = parseWechatXml(xml);
        // Kept as written, line ends included (a CR LF inside CDATA stays CR LF for this reader).
        const expected = stripInvalidXmlChars;
        expect(record.Content ?? "").toBe(expected(content));
        expect(record.ToUserName ?? "").toBe(expected(openId));
        expect(record.CreateTime).toBe("1700000000");
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every value a string, digits and leading zeros included", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,20}$/), (digits) => {
        const record = parseWechatXml(`<xml><MsgId>${digits}</MsgId><CreateTime>${digits}</CreateTime></xml>`);
        expect(record.MsgId).toBe(digits);
        expect(record.CreateTime).toBe(digits);
      }),
    );
  });

  it("either parses or refuses any body with a protocol error — never another exception", () => {
    const xmlish = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          "<xml>",
          "</xml>",
          "<a>",
          "</a>",
          "<![CDATA[",
          "]]>",
          "<!DOCTYPE x>",
          "<!ENTITY e 'x'>",
          "&e;",
          "<?xml?>",
          "<!--",
          "-->",
          "&#0;",
          "&#xD800;",
        ),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 3 }),
      ),
      maxLength: 30,
    });
    fc.assert(
      fc.property(xmlish, (body) => {
        try {
          const record = parseWechatXml(body);
          expect(typeof record).toBe("object");
        } catch (e) {
          expect(isWechatProtocolError(e)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("never expands a DOCTYPE or an entity it does not know", () => {
    fc.assert(
      // XML's five predefined entities (&lt; &gt; &amp; &quot; &apos;) are known, so they are not "unknown" names.
      fc.property(
        fc.stringMatching(/^[a-z]{1,8}$/).filter((n) => !["lt", "gt", "amp", "quot", "apos"].includes(n)),
        nasty,
        (name, value) => {
          const body = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY ${name} "${value.replaceAll('"', "")}">]><xml><Content>&${name};</Content></xml>`;
          expect(() => parseWechatXml(body)).toThrow();
          expect(() => parseWechatXml(`<xml><Content>&${name};</Content></xml>`)).toThrow();
        },
      ),
    );
  });
});
