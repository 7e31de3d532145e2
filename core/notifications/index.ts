/**
 * Notifications: a staff action (公示 list, payment batch, school broadcast) becomes an event, fan-out turns it into
 * one notification per (student, bound guardian), delivery sends each once. See the module files for each step.
 */
export { publishList, closeList, PublishListInput, type ListView, type Refusal } from "./lists.js";
export { importPayments, previewPayments, type PaymentResult, type PaymentPreview } from "./payments.js";
export { createBroadcast, BroadcastInput, type BroadcastView } from "./broadcasts.js";
export { deliveries, type DeliveryReport } from "./report.js";
export { fanout, FanoutJob, FANOUT_PAGE_SIZE } from "./fanout.js";
export { deliver, DeliveryJob } from "./delivery.js";
export { releaseDue, type ReleaseReport } from "./release.js";
export { recordTemplateResult } from "./template-results.js";
export { quietUntil, localDate } from "./clock.js";
export { getEvent, type EventInfo } from "./events.js";
export { NotificationInfo, NotificationStatus } from "./records.js";
export * as inbox from "./inbox.js";
