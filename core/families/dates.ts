/** Dates as families read them, in the tenant's time zone: 2025年11月20日, 11月21日 14:30. */

function parts(d: Date, timeZone: string): Record<string, string> {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
}

/** An ISO time or a plain date (2025-11-20, taken as is) → 2025年11月20日. */
export function dayLabel(value: string, timeZone = "Asia/Shanghai"): string {
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (plain) return `${plain[1]}年${Number(plain[2])}月${Number(plain[3])}日`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const p = parts(d, timeZone);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** Epoch seconds → 11月21日 14:30 (when a lock ends). */
export function momentLabel(epochSeconds: number, timeZone = "Asia/Shanghai"): string {
  const p = parts(new Date(epochSeconds * 1000), timeZone);
  return `${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}
