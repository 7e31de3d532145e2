import { describe, expect, test } from "vitest";
import { composeAnswer, planFor } from "../../../../core/channels/wechat/answer.js";
import { menuAction } from "../../../../core/channels/wechat/menu.js";
import { toInbound } from "../../../../core/channels/wechat/messages.js";
import type { ReplyFn } from "../../../../core/channels/reply.js";
import { channelText } from "../../../../prompts/channels.js";

const env = { ToUserName: "gh_1", FromUserName: "o_1", CreateTime: "1714037059" };
const settings = { name: "某某县学生资助管理中心" };

describe("planFor", () => {
  test("a text message is a question for the assistant", () => {
    expect(planFor(toInbound({ ...env, MsgType: "text", Content: "高中助学金多少", MsgId: "1" }), settings)).toEqual({
      kind: "ask",
      ask: { text: "高中助学金多少" },
    });
  });

  test("a blank text asks the user to type a question", () => {
    expect(planFor(toInbound({ ...env, MsgType: "text", Content: "  ", MsgId: "1" }), settings)).toEqual({
      kind: "say",
      text: channelText.pleaseType(),
    });
  });

  test("a voice message with Recognition is asked with the transcription marked as heard", () => {
    const msg = toInbound({
      ...env,
      MsgType: "voice",
      MediaId: "m",
      Format: "amr",
      Recognition: " 助学贷款怎么办 ",
      MsgId: "1",
    });
    expect(planFor(msg, settings)).toEqual({ kind: "ask", ask: { text: "助学贷款怎么办", heard: true } });
  });

  test("subscribe welcomes and follows; unsubscribe unfollows silently", () => {
    const sub = planFor(toInbound({ ...env, MsgType: "event", Event: "subscribe" }), settings);
    expect(sub).toMatchObject({ kind: "say", follow: true });
    expect(sub.kind === "say" && sub.text).toContain(settings.name);
    expect(planFor(toInbound({ ...env, MsgType: "event", Event: "unsubscribe" }), settings)).toEqual({
      kind: "ack",
      follow: false,
    });
  });

  test("TEMPLATESENDJOBFINISH carries the msgid and status to record", () => {
    const msg = toInbound({
      ...env,
      MsgType: "event",
      Event: "TEMPLATESENDJOBFINISH",
      MsgID: "200163836",
      Status: "failed: system failed",
    });
    expect(planFor(msg, settings)).toEqual({
      kind: "templateResult",
      msgid: "200163836",
      status: "failed: system failed",
    });
  });

  test("VIEW and SCAN need no answer", () => {
    expect(
      planFor(toInbound({ ...env, MsgType: "event", Event: "VIEW", EventKey: "https://example.org" }), settings),
    ).toEqual({ kind: "ack" });
    expect(planFor(toInbound({ ...env, MsgType: "event", Event: "SCAN", EventKey: "123" }), settings)).toEqual({
      kind: "ack",
    });
  });
});

describe("menu keys", () => {
  test("map to what a user could have typed, case-insensitively", () => {
    expect(menuAction("STATUS")).toEqual({ kind: "ask", text: "查进度" });
    expect(menuAction("bind")).toEqual({ kind: "ask", text: "绑定" });
    expect(menuAction("HUMAN")).toEqual({ kind: "ask", text: "人工" });
    expect(menuAction("POLICY")).toEqual({ kind: "policyGuide" });
    expect(menuAction("__proto__")).toEqual({ kind: "unknown" });
  });
});

describe("composeAnswer", () => {
  const reply: ReplyFn = async (input) => ({
    intent: "policy",
    replies: [{ text: `**${input.text}**：每年 1250 元。` }, { text: "来源：两免一补" }],
  });

  test("strips markdown, joins the replies and keys the user by channel", async () => {
    let seen = "";
    const spy: ReplyFn = async (input) => {
      seen = input.userKey;
      return reply(input);
    };
    expect(await composeAnswer(spy, "demo", "o_9", { text: "住校补多少" })).toEqual([
      "住校补多少：每年 1250 元。\n\n来源：两免一补",
    ]);
    expect(seen).toBe("wechat:o_9");
  });

  test("says what was heard before answering a voice message", async () => {
    const [first] = await composeAnswer(reply, "demo", "o_9", { text: "住校补多少", heard: true });
    expect(first).toMatch(/^我听到的是：“住校补多少”\n住校补多少：/);
  });
});
