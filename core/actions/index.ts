/**
 * Staff actions that go out to families: publishing (and closing) a 公示 list, importing a payment batch, sending a
 * school broadcast. Each checks the caller's scope (core/staff), moves applications (core/applications) and writes
 * an event that core/notifications fans out and delivers. This area sits above both: neither imports it back.
 * The composer, the list roster and the follow-up of unreached families are the same actions' staff-facing reads.
 */
export { publishList, closeList, PublishListInput, type ListView, type Refusal } from "./lists.js";
export { importPayments, previewPayments, type PaymentResult, type PaymentPreview } from "./payments.js";
export { createBroadcast, BroadcastInput, type BroadcastView } from "./broadcasts.js";
