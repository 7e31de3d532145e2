/**
 * Release held (quiet-hours) and scheduled notifications across tenants. Deployed as the `ReleaseHeld` cron of
 * sst.config.ts, every 5 minutes; `npm run dev` calls it every minute.
 */
import { releaseDue } from "../../core/notifications/index.js";

export const handler = async () => releaseDue();
