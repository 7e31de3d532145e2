import * as records from "../../core/notifications/records.js";

/** A queued WeChat payment notice for one student of event `eventId` (user wechat:o1), as fan-out would write it. */
export function queuedNotification(tenant: string, eventId: string, studentId: string): records.NotificationInfo {
  const now = new Date().toISOString();
  return {
    id: records.notificationId(tenant, eventId, studentId, "wechat:o1"),
    tenant,
    eventId,
    kind: "payment",
    studentId,
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
}
