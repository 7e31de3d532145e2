import { beforeAll, describe, expect, it } from "vitest";
import { hit, RateRules, subjectHash } from "../../../core/abuse/ratelimit.js";
import { getItem } from "../../../core/db/client.js";
import { keys } from "../../../core/db/keys.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;
const rule = { name: "test-rule", max: 3, windowSeconds: 60 };

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("the fixed-window rate counter", () => {
  it("lets max requests through in a window, refuses the next with the seconds to the window's end, and opens again in the next window", async () => {
    const t0 = 1_800_000_000 - (1_800_000_000 % 60) + 15; // 15 s into a window
    for (let i = 1; i <= 3; i++) expect(await hit(tenant, rule, "1.2.3.4", t0 + i)).toEqual({ ok: true, used: i });
    expect(await hit(tenant, rule, "1.2.3.4", t0 + 5)).toEqual({ ok: false, retryAfterSeconds: 40 });
    expect(await hit(tenant, rule, "5.6.7.8", t0 + 5)).toEqual({ ok: true, used: 1 });
    expect(await hit(tenant, rule, "1.2.3.4", t0 + 45)).toEqual({ ok: true, used: 1 });
  });

  it("never lets parallel requests past the limit", async () => {
    const now = 1_900_000_000;
    const results = await Promise.all(Array.from({ length: 12 }, () => hit(tenant, rule, "burst", now)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
  });

  it("keys the counter by a hash of the subject, never the address itself, and lets the item expire after its window", async () => {
    const now = 2_000_000_000 - (2_000_000_000 % 60);
    await hit(tenant, rule, "198.51.100.23", now);
    const key = keys.rateWindow(tenant, rule.name, subjectHash("198.51.100.23"), now);
    expect(key.pk).not.toContain("198.51.100.23");
    const item = await getItem<Record<string, unknown>>(key);
    expect(item?.expiresAt).toBe(now + 60 + 60);
  });

  it("has the documented limits", () => {
    expect(RateRules).toEqual({
      chatPerClient: { name: "chat-ip", max: 120, windowSeconds: 60 },
      chatPerSession: { name: "chat-ses", max: 20, windowSeconds: 60 },
      inboxPerSession: { name: "chat-inbox", max: 12, windowSeconds: 60 },
      sessionsPerClient: { name: "ses-ip", max: 30, windowSeconds: 3600 },
      staffPerToken: { name: "staff", max: 600, windowSeconds: 60 },
    });
  });
});
