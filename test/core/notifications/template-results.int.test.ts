import { beforeAll, describe, expect, it } from "vitest";
import { newId, stableId } from "../../../core/ids.js";
import { SEGMENTS } from "../../../core/notifications/fanout.js";
import * as records from "../../../core/notifications/records.js";
import { parseStatus, recordSent, recordTemplateResult } from "../../../core/notifications/template-results.js";
import { createTenant } from "../../support/stack.js";

let tenant: string;
const eventId = "evt_0000000000000001";

async function claimed(student: string) {
  const now = new Date().toISOString();
  const n: records.NotificationInfo = {
    id: records.notificationId(tenant, eventId, student, "wechat:o1"),
    tenant,
    eventId,
    kind: "payment",
    studentId: student,
    schoolId: "s1",
    grade: "1",
    class: "1",
    child: "张*明",
    userKey: "wechat:o1",
    status: "queued",
    createdAt: now,
    updatedAt: now,
    attempts: 0,
  };
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
    expect(await recordSent(n, "9001")).toBe("sent");
    expect(await recordTemplateResult(tenant, "9001", "success")).toBe(true);
    expect((await records.get(tenant, eventId, n.id))?.status).toBe("delivered");
  });

  it("keeps a result that arrives before the worker records the send", async () => {
    const n = await claimed("stu_bbbbbbbbbbbbbbbb");
    expect(await recordTemplateResult(tenant, "9002", "failed:user block")).toBe(false);
    expect(await recordSent(n, "9002")).toBe("failed");
    const after = await records.get(tenant, eventId, n.id);
    expect(after).toMatchObject({ status: "failed", msgid: "9002" });
  });

  it("does not let a second claim through while the first is live, but takes over a stale one", async () => {
    const n = await claimed("stu_cccccccccccccccc");
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
