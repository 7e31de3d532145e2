import { describe, expect, it } from "vitest";
import { channelFor, channelNames } from "../../../core/channels/registry.js";

describe("the channel registry", () => {
  it("registers WeChat and the web chat under the prefix of the user keys they serve", () => {
    expect(channelNames().sort()).toEqual(["web", "wechat"]);
    expect(channelFor("wechat:oAbc123").name).toBe("wechat");
    expect(channelFor("web:u1").name).toBe("web");
  });

  it("leaves a key of no registered channel its notices in an inbox, as before the port", () => {
    expect(channelFor("cli:local").name).toBe("web");
    expect(channelFor("u1").name).toBe("web");
    // A prefix is matched whole, never by a lookalike.
    expect(channelFor("wechatx:o1").name).toBe("web");
  });
});
