import { describe, expect, it } from "vitest";
import { currentOrigin, withOrigin } from "../../../core/abuse/origin.js";

describe("request origin", () => {
  it("is empty outside a request", () => {
    expect(currentOrigin()).toEqual({});
  });

  it("is the client of the request being handled, across awaits", async () => {
    const seen = await withOrigin({ client: "203.0.113.7" }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentOrigin().client;
    });
    expect(seen).toBe("203.0.113.7");
    expect(currentOrigin()).toEqual({});
  });

  it("keeps two concurrent requests apart", async () => {
    const run = (client: string, wait: number) =>
      withOrigin({ client }, async () => {
        await new Promise((resolve) => setTimeout(resolve, wait));
        return currentOrigin().client;
      });
    expect(await Promise.all([run("198.51.100.1", 5), run("198.51.100.2", 1)])).toEqual([
      "198.51.100.1",
      "198.51.100.2",
    ]);
  });

  it("lets an inner request (a WeChat message, no client) hide the outer client", async () => {
    const inner = await withOrigin({ client: "198.51.100.9" }, () => withOrigin({}, async () => currentOrigin()));
    expect(inner.client).toBeUndefined();
  });
});
