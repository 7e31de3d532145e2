/**
 * Notifications: an event (written by a staff action, core/actions) → fan-out turns it into one notification per
 * (student, bound guardian) → delivery sends each once through the channel port (core/channels/registry.ts) →
 * release lets held ones go → the report says how it went. See the module files for each step.
 */
export { deliveries, type DeliveryReport } from "./report.js";
export { fanout, FanoutJob, FANOUT_PAGE_SIZE } from "./fanout.js";
export { deliver, DeliveryJob } from "./delivery.js";
export { releaseDue, type ReleaseReport } from "./release.js";
export { notificationOutcomes } from "./outcomes.js";
export { quietUntil, localDate } from "./clock.js";
export { getEvent, type EventInfo } from "./events.js";
export { NotificationInfo, NotificationStatus } from "./records.js";
