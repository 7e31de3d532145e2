/**
 * Local time in a tenant's time zone, and quiet hours. Pure functions (no storage), so they are unit-tested with
 * fixed instants. Intl gives the wall-clock parts; no time-zone library is needed for "what minute is it there".
 */
import { config } from "../config.js";

export interface QuietWindow {
  startMinute: number;
  endMinute: number;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(at: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The calendar date there, YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/**
 * When `at` falls inside the quiet window (tenant time zone), the instant the window ends; otherwise undefined.
 * The window may wrap midnight (21:00–07:00). A window with equal ends is empty.
 */
export function quietUntil(
  at: Date,
  timeZone: string,
  window: QuietWindow | null = config().quietHours,
): Date | undefined {
  if (!window || window.startMinute === window.endMinute) return undefined;
  const p = localParts(at, timeZone);
  const minute = p.hour * 60 + p.minute;
  const { startMinute: start, endMinute: end } = window;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return undefined;
  const minutesLeft = (end - minute + 1440) % 1440;
  // Whole minutes from the start of the current local minute; a DST jump inside the window shifts this by its size.
  const startOfMinute = at.getTime() - p.second * 1000 - at.getUTCMilliseconds();
  return new Date(startOfMinute + minutesLeft * 60_000);
}
