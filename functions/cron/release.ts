/**
 * Release held (quiet-hours) and scheduled notifications across tenants. Deployed as the `ReleaseHeld` cron of
 * sst.config.ts, every 5 minutes; `npm run dev` calls it every minute.
 */
// The module itself, not the notifications barrel: the staff verbs stay out of this bundle.
import { releaseDue } from "../../core/notifications/release.js";

export const handler = async () => releaseDue();
