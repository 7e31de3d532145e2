import { describe, expect, it } from "vitest";
import { localDate, quietUntil } from "../../../core/notifications/clock.js";

const window = { startMinute: 21 * 60, endMinute: 7 * 60 };
const sh = "Asia/Shanghai";

describe("quiet hours in the tenant's time zone", () => {
  it("holds a notice at 22:30 Beijing time until 07:00 the next morning", () => {
    const at = new Date("2025-11-20T14:30:15.250Z"); // 22:30:15 in Shanghai
    expect(quietUntil(at, sh, window)?.toISOString()).toBe("2025-11-20T23:00:00.000Z");
  });

  it("holds a notice at 03:00 until 07:00 the same morning", () => {
    expect(quietUntil(new Date("2025-11-20T19:00:00Z"), sh, window)?.toISOString()).toBe("2025-11-20T23:00:00.000Z");
  });

  it("lets a notice go at 07:00 and at 20:59", () => {
    expect(quietUntil(new Date("2025-11-20T23:00:00Z"), sh, window)).toBeUndefined();
    expect(quietUntil(new Date("2025-11-20T12:59:00Z"), sh, window)).toBeUndefined();
  });

  it("handles a window that does not wrap midnight, and an empty one", () => {
    const lunch = { startMinute: 12 * 60, endMinute: 14 * 60 };
    expect(quietUntil(new Date("2025-11-20T04:30:00Z"), sh, lunch)?.toISOString()).toBe("2025-11-20T06:00:00.000Z");
    expect(quietUntil(new Date("2025-11-20T14:30:00Z"), sh, null)).toBeUndefined();
  });

  it("uses the tenant's own zone, not the server's", () => {
    // 22:30 UTC is 06:30 in Shanghai (quiet until 07:00 there) and 22:30 in UTC (quiet until 07:00 UTC).
    expect(quietUntil(new Date("2025-11-20T22:30:00Z"), sh, window)?.toISOString()).toBe("2025-11-20T23:00:00.000Z");
    expect(quietUntil(new Date("2025-11-20T22:30:00Z"), "UTC", window)?.toISOString()).toBe("2025-11-21T07:00:00.000Z");
  });

  it("names the local calendar date", () => {
    expect(localDate(new Date("2025-11-20T16:30:00Z"), sh)).toBe("2025-11-21");
    expect(localDate(new Date("2025-11-20T16:30:00Z"), "UTC")).toBe("2025-11-20");
  });
});
