import { describe, expect, it } from "vitest";
import { app } from "../../../functions/http/app.js";

describe("GET /health", () => {
  it("reports the table and every queue reachable", async () => {
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      status: "ok",
      table: "ok",
      queues: { inbound: "ok", fanout: "ok", delivery: "ok", imports: "ok" },
    });
  });

  it("answers unknown routes with a JSON 404", async () => {
    const res = await app.request("/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
