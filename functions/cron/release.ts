/** Scheduled every minute: release held (quiet-hours) and scheduled notifications across tenants. */
// The module itself, not the notifications barrel: the staff verbs stay out of this bundle.
import { releaseDue } from "../../core/notifications/release.js";

export const handler = async () => releaseDue();
