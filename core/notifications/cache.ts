/**
 * A small time-bounded memo for what every delivery in a batch needs and rarely changes (tenant settings, the
 * event, a school's name): a warm Lambda or dev worker reads each once a minute instead of once per message.
 */
import * as schools from "../schools/index.js";
import * as tenants from "../tenants/index.js";
import { getEvent, type EventInfo } from "./events.js";

const TTL_MS = 60_000;
const MAX_ENTRIES = 500;
const entries = new Map<string, { at: number; value: Promise<unknown> }>();

function memo<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const value = load();
  entries.set(key, { at: now, value });
  value.catch(() => entries.delete(key));
  return value;
}

export const cachedTenant = (tenant: string): Promise<tenants.TenantInfo | undefined> =>
  memo(`t|${tenant}`, () => tenants.fromId(tenant));
export const cachedEvent = (tenant: string, id: string): Promise<EventInfo | undefined> =>
  memo(`e|${tenant}|${id}`, () => getEvent(tenant, id));
export const cachedSchool = (tenant: string, id: string): Promise<schools.SchoolInfo | undefined> =>
  memo(`s|${tenant}|${id}`, () => schools.fromId(tenant, id));

/** Tests change tenant settings between cases. */
export function clearCache(): void {
  entries.clear();
}
