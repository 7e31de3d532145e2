import { describe, expect, it } from "vitest";
import { MenuKey, menuAction } from "../../../../core/channels/wechat/menu.js";

describe("menuAction", () => {
  it("answers the policy button with the guide to asking by school stage", () => {
    expect(menuAction(MenuKey.policy)).toEqual({ kind: "policyGuide" });
  });

  it("turns the other buttons into what a user could have typed", () => {
    expect(menuAction(MenuKey.status)).toEqual({ kind: "ask", text: "查进度" });
    expect(menuAction(MenuKey.bind)).toEqual({ kind: "ask", text: "绑定" });
    expect(menuAction(MenuKey.human)).toEqual({ kind: "ask", text: "人工" });
  });

  it("accepts a key typed in lower case or with spaces around it in the WeChat console", () => {
    expect(menuAction(" status ")).toEqual({ kind: "ask", text: "查进度" });
    expect(menuAction("policy")).toEqual({ kind: "policyGuide" });
  });

  it("reports any other key as unknown, including names inherited from Object", () => {
    expect(menuAction("V1001_TODAY_MUSIC")).toEqual({ kind: "unknown" });
    expect(menuAction("")).toEqual({ kind: "unknown" });
    expect(menuAction("toString")).toEqual({ kind: "unknown" });
    expect(menuAction("constructor")).toEqual({ kind: "unknown" });
  });
});
