/** Scheduled every minute: release held (quiet-hours) and scheduled notifications across tenants. */
import { releaseDue } from "../../core/notifications/index.js";

export const handler = async () => releaseDue();
