/**
 * The registration point of the channel port (port.ts): one line per channel, keyed by the user-key prefix it
 * serves. Delivery (core/notifications/delivery.ts) asks `channelFor(userKey)` and calls `send`.
 *
 * Adding a channel, e.g. SMS: a folder core/channels/sms/ whose channel.ts exports a ChatChannel named "sms"
 * (and, if families write back, its own inbound route and callback handling, reporting late outcomes through
 * LateOutcomes), then one line here: `sms: smsChannel`.
 */
import type { ChatChannel } from "./port.js";
import { webChannel } from "./web/channel.js";
import { wechatChannel } from "./wechat/channel.js";

const channels: Readonly<Record<string, ChatChannel>> = {
  wechat: wechatChannel,
  web: webChannel,
};

/** A key of no registered channel (the command line, `cli:…`) has no push either: its notices wait in an inbox. */
const FALLBACK = webChannel;

/** The channel that serves this user key (`<channel>:<id>`). */
export function channelFor(userKey: string): ChatChannel {
  const prefix = userKey.slice(0, Math.max(0, userKey.indexOf(":")));
  return (Object.hasOwn(channels, prefix) ? channels[prefix] : undefined) ?? FALLBACK;
}

/** The registered channel names (for tests and docs). */
export const channelNames = (): string[] => Object.keys(channels);
