/**
 * Tenant lookup for the channels: every push and chat message needs to know the tenant exists (404 otherwise)
 * and its display name. A warm instance reads each tenant once a minute; unknown ids are remembered briefly so
 * a flood of bogus tenants does not become a flood of reads.
 *
 * Storage that does not answer (issue 10): the read is bounded. When this process has seen the tenant before, it
 * waits a quarter of the webhook's hard deadline (4.6 s → 1.15 s) and then goes on with the last known tenant,
 * marked `stale` (the channels then answer from the storage-free assistant at once). A tenant never seen cannot
 * be answered: after at most the webhook's deadline less its margin, 503 "系统繁忙，请稍后再试" — never a 500.
 * A failed read is remembered for FAULT_MS, so the pushes that follow do not each wait again; a read that was only
 * slow still lands and refreshes the cache.
 */
import { config } from "../config.js";
import { AppError, isStorageFault } from "../errors.js";
import { log } from "../log.js";
import * as tenants from "../tenants/index.js";
import { channelText } from "../../prompts/channels.js";
import { withDeadline } from "./offline.js";

const HIT_MS = 60_000;
const MISS_MS = 5_000;
const FAULT_MS = 5_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  until: number;
  read: Promise<tenants.TenantInfo | undefined>;
}
const entries = new Map<string, Entry>();
/** The tenants read successfully, kept past their minute for use while storage is down. */
const lastKnown = new Map<string, tenants.TenantInfo>();

/** With a last known tenant to fall back on: a quarter of the webhook's hard deadline. */
const fallbackMs = () => Math.floor(config().wechat.hardDeadlineMs / 4);
/** With none: as long as the webhook can wait and still answer before WeChat's 5 s. */
const neverSeenMs = () => config().wechat.hardDeadlineMs - 400;

function remember(id: string, t: tenants.TenantInfo): void {
  if (lastKnown.size >= MAX_ENTRIES && !lastKnown.has(id)) lastKnown.clear();
  lastKnown.set(id, t);
}

function failedEntry(e: unknown): Entry {
  const read = Promise.reject(e);
  read.catch(() => undefined);
  return { until: Date.now() + FAULT_MS, read };
}

function start(id: string): Entry {
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const read = tenants.fromId(id);
  const entry: Entry = { until: Date.now() + HIT_MS, read };
  entries.set(id, entry);
  read.then(
    (t) => {
      if (t) remember(id, t);
      const current = entries.get(id);
      if (current === entry) {
        if (!t) entry.until = Date.now() + MISS_MS;
      } else if (current !== undefined && current.until > Date.now() && current.read !== read) {
        // The read was given up as a fault, but it landed: the next message uses what it found.
        entries.set(id, { until: Date.now() + (t ? HIT_MS : MISS_MS), read });
      }
    },
    (e: unknown) => {
      if (entries.get(id) !== entry) return;
      if (isStorageFault(e)) entries.set(id, failedEntry(e));
      else entries.delete(id);
    },
  );
  return entry;
}

export interface LookedUp {
  tenant: tenants.TenantInfo | undefined;
  /** Storage did not answer: `tenant` is the last known one. */
  stale: boolean;
}

/**
 * The tenant of a message, bounded as described above (and by `deadlineAt`, ms since the epoch, when sooner).
 * Throws 503 storage_unavailable (Chinese) when storage fails and the tenant was never seen.
 */
export async function lookupTenant(id: string, opts: { deadlineAt?: number } = {}): Promise<LookedUp> {
  const hit = entries.get(id);
  const entry = hit && hit.until > Date.now() ? hit : start(id);
  const known = lastKnown.get(id);
  let wait = known ? fallbackMs() : neverSeenMs();
  if (opts.deadlineAt !== undefined) wait = Math.min(wait, opts.deadlineAt - Date.now());
  try {
    return { tenant: await withDeadline(entry.read, wait), stale: false };
  } catch (e) {
    if (!isStorageFault(e)) throw e;
    if (entries.get(id) === entry && entry.until > Date.now() + FAULT_MS) entries.set(id, failedEntry(e));
    if (known) {
      log.warn("storage did not answer the tenant lookup; using the last known tenant", { tenant: id });
      return { tenant: known, stale: true };
    }
    throw AppError.unavailable("storage_unavailable", channelText.busy(), 10, e);
  }
}

/** The tenant (see lookupTenant), fresh or last known. */
export async function channelTenant(id: string): Promise<tenants.TenantInfo | undefined> {
  return (await lookupTenant(id)).tenant;
}

/** Whether this process has read the tenant successfully (so may answer for it while storage is down). */
export function knownTenant(id: string): boolean {
  return lastKnown.has(id);
}

/** As if the cache's minute had passed (tests; a bureau's change): every tenant is read again, the last known stay. */
export function expireChannelTenants(): void {
  entries.clear();
}
