import { beforeAll, describe, expect, it } from "vitest";
import type { LateOutcome, LateOutcomes } from "../../../../core/channels/port.js";
import { linkSent, parseStatus, recordTemplateResult } from "../../../../core/channels/wechat/template-results.js";
import { notificationOutcomes } from "../../../../core/notifications/outcomes.js";
import * as records from "../../../../core/notifications/records.js";
import { queuedNotification } from "../../../support/notifications.js";
import { createTenant } from "../../../support/stack.js";

let tenant: string;
const eventId = "evt_0000000000000001";

async function claimed(student: string) {
  const n = queuedNotification(tenant, eventId, student);
  expect(await records.createMany([n])).toHaveLength(1);
  const c = await records.claim(tenant, eventId, n.id);
  if (!c.ok) throw new Error("claim failed");
  return c.notification;
}

beforeAll(async () => {
  tenant = (await createTenant()).id;
});

describe("TEMPLATESENDJOBFINISH results", () => {
  it("maps WeChat's Status values", () => {
    expect(parseStatus("success")).toEqual({ result: "delivered" });
    expect(parseStatus("failed:user block")).toEqual({ result: "failed", reason: "wechat_user_block" });
    expect(parseStatus("failed: system failed")).toEqual({ result: "failed", reason: "wechat_system_failed" });
  });

  it("turns sent into delivered when the result arrives after the send was recorded", async () => {
    const n = await claimed("stu_aaaaaaaaaaaaaaaa");
    expect(await linkSent(tenant, eventId, n.id, "9001")).toBeUndefined();
    expect(await records.finish(n, "sent", { msgid: "9001" })).toBe(true);
    expect(await recordTemplateResult(notificationOutcomes, tenant, "9001", "success")).toBe(true);
    expect((await records.get(tenant, eventId, n.id))?.status).toBe("delivered");
  });

  it("keeps a result that arrives before the worker links the send, and hands it to the link", async () => {
    const n = await claimed("stu_bbbbbbbbbbbbbbbb");
    expect(await recordTemplateResult(notificationOutcomes, tenant, "9002", "failed:user block")).toBe(false);
    expect(await linkSent(tenant, eventId, n.id, "9002")).toBe("failed");
  });

  it("reports a linked result only through the LateOutcomes it is given, once per push", async () => {
    const n = await claimed("stu_cccccccccccccccc");
    await linkSent(tenant, eventId, n.id, "9003");
    const told: LateOutcome[] = [];
    const sink: LateOutcomes = { settle: async (_t, o) => (told.push(o), true) };
    expect(await recordTemplateResult(sink, tenant, "9003", "failed: system failed")).toBe(true);
    expect(told).toEqual([
      { eventId, notificationId: n.id, status: "failed", ref: "9003", reason: "wechat_system_failed" },
    ]);
    // The sink was a stand-in: the notification itself is untouched.
    expect((await records.get(tenant, eventId, n.id))?.status).toBe("sending");
  });

  it("does not move a notice that has already ended", async () => {
    const n = await claimed("stu_dddddddddddddddd");
    expect(await records.finish(n, "failed", { reason: "wechat_43004" })).toBe(true);
    expect(
      await notificationOutcomes.settle(tenant, { eventId, notificationId: n.id, status: "delivered", ref: "9004" }),
    ).toBe(false);
    expect((await records.get(tenant, eventId, n.id))?.status).toBe("failed");
  });
});
