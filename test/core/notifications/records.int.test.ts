import { beforeAll, describe, expect, it } from "vitest";
import { newId, stableId } from "../../../core/ids.js";
import { SEGMENTS } from "../../../core/notifications/fanout.js";
import * as records from "../../../core/notifications/records.js";
import { queuedNotification } from "../../support/notifications.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;
const eventId = "evt_0000000000000002";

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("notification claims", () => {
  it("does not let a second claim through while the first is live, but takes over a stale one", async () => {
    const student = "stu_cccccccccccccccc";
    const n = queuedNotification(tenant, eventId, student);
    expect(await records.createMany([n])).toHaveLength(1);
    expect((await records.claim(tenant, eventId, n.id)).ok).toBe(true);
    expect((await records.claim(tenant, eventId, n.id)).ok).toBe(false);
    const later = Date.now() + records.STALE_CLAIM_MS + 1000;
    const takeover = await records.claim(tenant, eventId, n.id, later);
    expect(takeover.ok).toBe(true);
    if (takeover.ok) expect(takeover.notification.attempts).toBe(2);
  });
});

describe("fan-out segments", () => {
  it("cover every character our ids can start with", () => {
    for (let i = 0; i < 2000; i++) {
      expect(SEGMENTS).toContain(stableId("stu", String(i)).charAt(4));
      expect(SEGMENTS).toContain(newId("stu").charAt(4));
    }
  });
});
