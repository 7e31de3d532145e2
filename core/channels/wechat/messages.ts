/**
 * Typed inbound WeChat pushes. Field names are WeChat's own (ToUserName, MsgId, MsgID …) so the
 * types read like the protocol documentation. Every value is a string, exactly as parsed.
 *
 * toInbound() accepts the record produced by parseWechatXml() and either returns an InboundMessage
 * or throws WechatProtocolError:
 *   - `bad_xml`      the push is malformed (missing/invalid fields) — safe to reject;
 *   - `unsupported`  a well-formed push of a type we do not handle (LOCATION events, mass-send
 *                    reports …) — the webhook should simply answer "success".
 */
import { z } from "zod";
import { WechatProtocolError } from "./crypto.js";
import type { XmlRecord } from "./xml.js";

const text = z.string();
const id = z.string().min(1).max(128);
const digits = (max: number) => z.string().regex(new RegExp(`^\\d{1,${max}}$`));

const envelope = {
  ToUserName: id,
  FromUserName: id,
  /** Unix seconds. */
  CreateTime: digits(12),
};
/** 64-bit unsigned integer, kept as a string. */
const msgId = digits(20);

export const TextMessage = z.object({ ...envelope, MsgType: z.literal("text"), Content: text, MsgId: msgId });
export const ImageMessage = z.object({
  ...envelope,
  MsgType: z.literal("image"),
  PicUrl: text,
  MediaId: text,
  MsgId: msgId,
});
export const VoiceMessage = z.object({
  ...envelope,
  MsgType: z.literal("voice"),
  MediaId: text,
  Format: text,
  /** Present only when speech recognition is enabled, and may be empty (e.g. speex). */
  Recognition: text.optional(),
  /** 16 kHz copy of the audio; reported by several SDKs, not guaranteed. */
  MediaId16K: text.optional(),
  MsgId: msgId,
});
export const VideoMessage = z.object({
  ...envelope,
  MsgType: z.literal("video"),
  MediaId: text,
  ThumbMediaId: text,
  MsgId: msgId,
});
export const ShortVideoMessage = z.object({
  ...envelope,
  MsgType: z.literal("shortvideo"),
  MediaId: text,
  ThumbMediaId: text,
  MsgId: msgId,
});
export const LocationMessage = z.object({
  ...envelope,
  MsgType: z.literal("location"),
  Location_X: text,
  Location_Y: text,
  Scale: text,
  Label: text,
  MsgId: msgId,
});
export const LinkMessage = z.object({
  ...envelope,
  MsgType: z.literal("link"),
  Title: text,
  Description: text,
  Url: text,
  MsgId: msgId,
});

const event = { ...envelope, MsgType: z.literal("event") };

export const SubscribeEvent = z.object({
  ...event,
  Event: z.literal("subscribe"),
  /** `qrscene_<scene>` when the follow came from a parametric QR code. */
  EventKey: text.optional(),
  Ticket: text.optional(),
});
export const UnsubscribeEvent = z.object({ ...event, Event: z.literal("unsubscribe"), EventKey: text.optional() });
export const ClickEvent = z.object({ ...event, Event: z.literal("CLICK"), EventKey: text });
export const ViewEvent = z.object({ ...event, Event: z.literal("VIEW"), EventKey: text, MenuID: text.optional() });
export const ScanEvent = z.object({ ...event, Event: z.literal("SCAN"), EventKey: text, Ticket: text.optional() });
export const TemplateSendJobFinishEvent = z.object({
  ...event,
  Event: z.literal("TEMPLATESENDJOBFINISH"),
  /** Capital D: the msgid returned by template/send. */
  MsgID: digits(20),
  /** `success`, `failed:user block`, `failed: system failed`, `failed:freq limit` … */
  Status: text,
});

export const InboundEvent = z.discriminatedUnion("Event", [
  SubscribeEvent,
  UnsubscribeEvent,
  ClickEvent,
  ViewEvent,
  ScanEvent,
  TemplateSendJobFinishEvent,
]);

export const InboundMessage = z.discriminatedUnion("MsgType", [
  TextMessage,
  ImageMessage,
  VoiceMessage,
  VideoMessage,
  ShortVideoMessage,
  LocationMessage,
  LinkMessage,
  InboundEvent,
]);

export type TextMessage = z.infer<typeof TextMessage>;
export type VoiceMessage = z.infer<typeof VoiceMessage>;
export type InboundEvent = z.infer<typeof InboundEvent>;
export type InboundMessage = z.infer<typeof InboundMessage>;
/** A user message (everything that carries a MsgId). */
export type InboundUserMessage = Exclude<InboundMessage, InboundEvent>;
export type InboundMsgType = InboundMessage["MsgType"];
export type InboundEventName = InboundEvent["Event"];

const MESSAGE_SCHEMAS: Record<Exclude<InboundMsgType, "event">, z.ZodType> = {
  text: TextMessage,
  image: ImageMessage,
  voice: VoiceMessage,
  video: VideoMessage,
  shortvideo: ShortVideoMessage,
  location: LocationMessage,
  link: LinkMessage,
};

const EVENT_SCHEMAS: Record<InboundEventName, z.ZodType> = {
  subscribe: SubscribeEvent,
  unsubscribe: UnsubscribeEvent,
  CLICK: ClickEvent,
  VIEW: ViewEvent,
  SCAN: ScanEvent,
  TEMPLATESENDJOBFINISH: TemplateSendJobFinishEvent,
};

/** Event names are matched case-insensitively and normalised to WeChat's documented spelling. */
const EVENT_BY_LOWER = new Map<string, InboundEventName>(
  (Object.keys(EVENT_SCHEMAS) as InboundEventName[]).map((e) => [e.toLowerCase(), e]),
);

/** A short, log-safe rendering of a type name taken from the payload. */
function label(v: string): string {
  return /^[A-Za-z0-9_]{1,40}$/.test(v) ? v : "(unprintable)";
}

function fieldSummary(error: z.ZodError): string {
  const fields = new Set<string>();
  for (const issue of error.issues) fields.add(issue.path.map(String).join(".") || "(record)");
  return [...fields].join(", ");
}

/**
 * Validates a parsed push and returns its typed form. Unknown fields are dropped.
 * Throws WechatProtocolError `bad_xml` (malformed) or `unsupported` (well-formed, not handled).
 */
export function toInbound(record: XmlRecord): InboundMessage {
  const msgType = record.MsgType;
  if (typeof msgType !== "string" || msgType === "") {
    throw new WechatProtocolError("bad_xml", "push has no MsgType");
  }
  let schema: z.ZodType | undefined;
  let what: string;
  let input: XmlRecord = record;
  if (msgType === "event") {
    const ev = record.Event;
    if (typeof ev !== "string" || ev === "") {
      throw new WechatProtocolError("bad_xml", "event push has no Event");
    }
    const canonical = EVENT_BY_LOWER.get(ev.toLowerCase());
    if (!canonical) throw new WechatProtocolError("unsupported", `unsupported event ${label(ev)}`);
    schema = EVENT_SCHEMAS[canonical];
    what = `${canonical} event`;
    if (canonical !== ev) input = { ...record, Event: canonical };
  } else {
    schema = Object.hasOwn(MESSAGE_SCHEMAS, msgType)
      ? MESSAGE_SCHEMAS[msgType as keyof typeof MESSAGE_SCHEMAS]
      : undefined;
    if (!schema) throw new WechatProtocolError("unsupported", `unsupported MsgType ${label(msgType)}`);
    what = `${msgType} message`;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new WechatProtocolError("bad_xml", `${what} has missing or invalid fields: ${fieldSummary(parsed.error)}`);
  }
  return parsed.data as InboundMessage;
}

export function isEvent(msg: InboundMessage): msg is InboundEvent {
  return msg.MsgType === "event";
}

/**
 * The idempotency key for a push. MsgId alone collides across users, and events of different
 * kinds can share a second, hence:
 *   messages → `FromUserName|MsgId`
 *   events   → `FromUserName|CreateTime|Event|EventKey` (for TEMPLATESENDJOBFINISH, which has no
 *              EventKey, the MsgID takes that slot so two finishes in one second stay distinct).
 */
export function dedupeKey(msg: InboundMessage): string {
  if (msg.MsgType !== "event") return `${msg.FromUserName}|${msg.MsgId}`;
  const key = msg.Event === "TEMPLATESENDJOBFINISH" ? msg.MsgID : (msg.EventKey ?? "");
  return `${msg.FromUserName}|${msg.CreateTime}|${msg.Event}|${key}`;
}
