/**
 * Tenant lookup for the channels: every push and chat message needs to know the tenant exists (404 otherwise)
 * and its display name. A warm instance reads each tenant once a minute; unknown ids are remembered briefly so
 * a flood of bogus tenants does not become a flood of reads.
 */
import * as tenants from "../tenants/index.js";

const HIT_MS = 60_000;
const MISS_MS = 5_000;
const MAX_ENTRIES = 1_000;
const entries = new Map<string, { until: number; value: Promise<tenants.TenantInfo | undefined> }>();

export function channelTenant(id: string): Promise<tenants.TenantInfo | undefined> {
  const now = Date.now();
  const hit = entries.get(id);
  if (hit && hit.until > now) return hit.value;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const value = tenants.fromId(id);
  entries.set(id, { until: now + HIT_MS, value });
  value.then(
    (t) => {
      if (!t) entries.set(id, { until: Date.now() + MISS_MS, value });
    },
    () => entries.delete(id),
  );
  return value;
}
