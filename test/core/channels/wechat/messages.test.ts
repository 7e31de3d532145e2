import { describe, expect, test } from "vitest";
import { WechatProtocolError } from "../../../../core/channels/wechat/crypto.js";
import { dedupeKey, isEvent, toInbound, type InboundMessage } from "../../../../core/channels/wechat/messages.js";
import { parseWechatXml, type XmlRecord } from "../../../../core/channels/wechat/xml.js";

const head = {
  ToUserName: "gh_10f6c3c3ac5a",
  FromUserName: "oUser",
  CreateTime: "1714037059",
};

function fromXml(fields: Record<string, string>): InboundMessage {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`)
    .join("");
  return toInbound(parseWechatXml(`<xml>${body}</xml>`));
}

function rejected(record: XmlRecord, code: "bad_xml" | "unsupported"): WechatProtocolError {
  try {
    toInbound(record);
  } catch (e) {
    expect(e).toBeInstanceOf(WechatProtocolError);
    expect((e as WechatProtocolError).code).toBe(code);
    return e as WechatProtocolError;
  }
  throw new Error("expected toInbound to throw");
}

describe("typing inbound user messages", () => {
  test("a text message keeps its content and 64-bit MsgId as strings", () => {
    const msg = fromXml({ ...head, MsgType: "text", Content: "00123", MsgId: "18446744073709551615" });
    expect(msg).toEqual({ ...head, MsgType: "text", Content: "00123", MsgId: "18446744073709551615" });
  });

  test("a voice message with Recognition exposes the recognised text", () => {
    const msg = fromXml({
      ...head,
      MsgType: "voice",
      MediaId: "m1",
      Format: "amr",
      Recognition: "助学金什么时候发",
      MsgId: "1",
    });
    expect(msg.MsgType === "voice" && msg.Recognition).toBe("助学金什么时候发");
  });

  test("a voice message without Recognition is still valid", () => {
    const msg = fromXml({ ...head, MsgType: "voice", MediaId: "m1", Format: "speex", MsgId: "2" });
    expect(msg.MsgType).toBe("voice");
    expect(msg.MsgType === "voice" && msg.Recognition).toBeUndefined();
  });

  test.each([
    ["image", { PicUrl: "http://x/y.jpg", MediaId: "m" }],
    ["video", { MediaId: "m", ThumbMediaId: "t" }],
    ["shortvideo", { MediaId: "m", ThumbMediaId: "t" }],
    ["location", { Location_X: "23.134521", Location_Y: "113.358803", Scale: "20", Label: "某地" }],
    ["link", { Title: "t", Description: "d", Url: "http://x" }],
  ])("a %s message is recognised", (type, extra) => {
    const msg = fromXml({ ...head, MsgType: type, ...extra, MsgId: "99" });
    expect(msg).toEqual({ ...head, MsgType: type, ...extra, MsgId: "99" });
    expect(isEvent(msg)).toBe(false);
  });

  test("fields WeChat adds that we do not model are dropped", () => {
    const msg = fromXml({ ...head, MsgType: "text", Content: "x", MsgId: "1", MsgDataId: "5", Idx: "1" });
    expect(Object.keys(msg).sort()).toEqual([
      "Content",
      "CreateTime",
      "FromUserName",
      "MsgId",
      "MsgType",
      "ToUserName",
    ]);
  });
});

describe("typing inbound events", () => {
  test("a plain follow has no EventKey", () => {
    const msg = fromXml({ ...head, MsgType: "event", Event: "subscribe" });
    expect(msg).toEqual({ ...head, MsgType: "event", Event: "subscribe" });
  });

  test("a follow from a parametric QR code carries the scene and ticket", () => {
    const msg = fromXml({ ...head, MsgType: "event", Event: "subscribe", EventKey: "qrscene_school42", Ticket: "tk" });
    expect(msg.MsgType === "event" && msg.Event === "subscribe" && msg.EventKey).toBe("qrscene_school42");
  });

  test("an unfollow is recognised", () => {
    expect(fromXml({ ...head, MsgType: "event", Event: "unsubscribe" })).toMatchObject({ Event: "unsubscribe" });
  });

  test("a menu click carries its key, a menu view its URL and menu id", () => {
    expect(fromXml({ ...head, MsgType: "event", Event: "CLICK", EventKey: "STATUS" })).toMatchObject({
      Event: "CLICK",
      EventKey: "STATUS",
    });
    expect(fromXml({ ...head, MsgType: "event", Event: "VIEW", EventKey: "https://x/", MenuID: "7" })).toMatchObject({
      Event: "VIEW",
      EventKey: "https://x/",
      MenuID: "7",
    });
  });

  test("a scan by a follower carries the scene value", () => {
    expect(fromXml({ ...head, MsgType: "event", Event: "SCAN", EventKey: "123", Ticket: "tk" })).toMatchObject({
      Event: "SCAN",
      EventKey: "123",
    });
  });

  test("a template delivery report uses MsgID with a capital D and keeps the status text", () => {
    const msg = fromXml({
      ...head,
      MsgType: "event",
      Event: "TEMPLATESENDJOBFINISH",
      MsgID: "200163836",
      Status: "failed: system failed",
    });
    expect(msg).toEqual({
      ...head,
      MsgType: "event",
      Event: "TEMPLATESENDJOBFINISH",
      MsgID: "200163836",
      Status: "failed: system failed",
    });
  });

  test("event names are matched regardless of case and normalised", () => {
    expect(fromXml({ ...head, MsgType: "event", Event: "click", EventKey: "K" })).toMatchObject({ Event: "CLICK" });
    expect(fromXml({ ...head, MsgType: "event", Event: "Subscribe" })).toMatchObject({ Event: "subscribe" });
  });
});

describe("rejecting pushes", () => {
  test("a push without MsgType is malformed", () => {
    expect(rejected({ ...head }, "bad_xml").message).toMatch(/MsgType/);
  });

  test("a text message without MsgId is malformed and the message names the field", () => {
    const err = rejected({ ...head, MsgType: "text", Content: "secret family details" }, "bad_xml");
    expect(err.message).toMatch(/text message/);
    expect(err.message).toMatch(/MsgId/);
    expect(err.message).not.toContain("secret family details");
  });

  test("a MsgId that is not digits is malformed", () => {
    rejected({ ...head, MsgType: "text", Content: "x", MsgId: "12a" }, "bad_xml");
    rejected({ ...head, MsgType: "text", Content: "x", MsgId: "123456789012345678901" }, "bad_xml");
  });

  test("a CreateTime that is not digits is malformed", () => {
    rejected({ ...head, CreateTime: "yesterday", MsgType: "text", Content: "x", MsgId: "1" }, "bad_xml");
  });

  test("a nested record or array where a string is expected is malformed", () => {
    rejected({ ...head, MsgType: "text", Content: { b: "x" }, MsgId: "1" }, "bad_xml");
    rejected({ ...head, MsgType: "text", Content: ["a", "b"], MsgId: "1" }, "bad_xml");
    rejected({ ...head, MsgType: ["text", "image"], Content: "a", MsgId: "1" }, "bad_xml");
  });

  test("an empty FromUserName is malformed", () => {
    rejected({ ...head, FromUserName: "", MsgType: "text", Content: "x", MsgId: "1" }, "bad_xml");
  });

  test("an event without Event is malformed", () => {
    expect(rejected({ ...head, MsgType: "event" }, "bad_xml").message).toMatch(/Event/);
  });

  test("a CLICK without EventKey and a template report without Status are malformed", () => {
    rejected({ ...head, MsgType: "event", Event: "CLICK" }, "bad_xml");
    rejected({ ...head, MsgType: "event", Event: "TEMPLATESENDJOBFINISH", MsgID: "1" }, "bad_xml");
  });

  test("a well-formed push of a type we do not handle is unsupported, not malformed", () => {
    expect(rejected({ ...head, MsgType: "miniprogrampage", MsgId: "1" }, "unsupported").message).toMatch(
      /miniprogrampage/,
    );
    expect(rejected({ ...head, MsgType: "event", Event: "LOCATION" }, "unsupported").message).toMatch(/LOCATION/);
    rejected({ ...head, MsgType: "event", Event: "subscribe_msg_popup_event" }, "unsupported");
  });

  test("a type name that is not printable is not echoed", () => {
    expect(rejected({ ...head, MsgType: "<script>" }, "unsupported").message).not.toContain("<script>");
  });

  test("MsgType names inherited from Object are not mistaken for schemas", () => {
    rejected({ ...head, MsgType: "constructor" }, "unsupported");
    rejected({ ...head, MsgType: "event", Event: "toString" }, "unsupported");
  });
});

describe("dedupe keys", () => {
  test("a user message is keyed by sender and MsgId", () => {
    const msg = fromXml({ ...head, MsgType: "text", Content: "x", MsgId: "6054768590064713728" });
    expect(dedupeKey(msg)).toBe("oUser|6054768590064713728");
  });

  test("the same MsgId from two users gives two keys", () => {
    const a = fromXml({ ...head, MsgType: "voice", MediaId: "m", Format: "amr", MsgId: "7" });
    const b = fromXml({ ...head, FromUserName: "oOther", MsgType: "voice", MediaId: "m", Format: "amr", MsgId: "7" });
    expect(dedupeKey(a)).not.toBe(dedupeKey(b));
  });

  test("an event is keyed by sender, time, event and key", () => {
    const msg = fromXml({ ...head, MsgType: "event", Event: "CLICK", EventKey: "STATUS" });
    expect(dedupeKey(msg)).toBe("oUser|1714037059|CLICK|STATUS");
    expect(dedupeKey(fromXml({ ...head, MsgType: "event", Event: "unsubscribe" }))).toBe(
      "oUser|1714037059|unsubscribe|",
    );
  });

  test("two different events in the same second get different keys", () => {
    const a = fromXml({ ...head, MsgType: "event", Event: "subscribe" });
    const b = fromXml({ ...head, MsgType: "event", Event: "CLICK", EventKey: "A" });
    const c = fromXml({ ...head, MsgType: "event", Event: "CLICK", EventKey: "B" });
    expect(new Set([dedupeKey(a), dedupeKey(b), dedupeKey(c)]).size).toBe(3);
  });

  test("two template reports in the same second are told apart by MsgID", () => {
    const report = (id: string) =>
      fromXml({ ...head, MsgType: "event", Event: "TEMPLATESENDJOBFINISH", MsgID: id, Status: "success" });
    expect(dedupeKey(report("1"))).toBe("oUser|1714037059|TEMPLATESENDJOBFINISH|1");
    expect(dedupeKey(report("1"))).not.toBe(dedupeKey(report("2")));
  });

  test("a redelivered push gives the same key", () => {
    const fields = { ...head, MsgType: "text", Content: "x", MsgId: "42" };
    expect(dedupeKey(fromXml(fields))).toBe(dedupeKey(fromXml(fields)));
  });
});
