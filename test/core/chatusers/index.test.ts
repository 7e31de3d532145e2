/**
 * The storage-free half of chat users: reading a user key. Following and broadcast opt-out (storage) are covered
 * in test/core/families/binding.int.test.ts and test/functions/queues/publicity.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import { channelIdOf, channelOf } from "../../../core/chatusers/index.js";

describe("user keys", () => {
  it("name the channel before the first colon", () => {
    expect(channelOf("wechat:oParent123")).toBe("wechat");
    expect(channelOf("web:u_abc")).toBe("web");
  });

  it("count anything else as the command line, never as a channel that sends", () => {
    expect(channelOf("cli:tester")).toBe("cli");
    expect(channelOf("sms:13800001234")).toBe("cli");
    expect(channelOf("WECHAT:o1")).toBe("cli");
    expect(channelOf("nocolon")).toBe("cli");
  });

  it("give the channel's own id after the first colon, keeping later colons", () => {
    expect(channelIdOf("wechat:oParent123")).toBe("oParent123");
    expect(channelIdOf("web:a:b")).toBe("a:b");
  });
});
