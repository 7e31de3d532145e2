import { describe, expect, it } from "vitest";
import { dayLabel, momentLabel } from "../../../core/families/dates.js";

describe("dayLabel", () => {
  it("writes a plain date as is, without leading zeros", () => {
    expect(dayLabel("2025-03-05")).toBe("2025年3月5日");
    expect(dayLabel("2025-11-20")).toBe("2025年11月20日");
  });

  it("does not shift a plain date by the time zone", () => {
    expect(dayLabel("2025-01-01", "America/Los_Angeles")).toBe("2025年1月1日");
  });

  it("reads an ISO time in the tenant's time zone (Beijing by default)", () => {
    // 17:30 UTC on the 20th is already the 21st in Beijing.
    expect(dayLabel("2025-11-20T17:30:00.000Z")).toBe("2025年11月21日");
    expect(dayLabel("2025-11-20T17:30:00.000Z", "UTC")).toBe("2025年11月20日");
  });

  it("gives back text it cannot read as a date unchanged", () => {
    expect(dayLabel("下周一")).toBe("下周一");
  });
});

describe("momentLabel", () => {
  it("writes epoch seconds as month, day and 24-hour time in Beijing", () => {
    const t = Date.UTC(2025, 10, 21, 6, 30) / 1000; // 14:30 in Beijing
    expect(momentLabel(t)).toBe("11月21日 14:30");
  });

  it("pads hours and minutes and shows midnight as 00", () => {
    const t = Date.UTC(2025, 0, 1, 16, 5) / 1000; // 00:05 on 2 January in Beijing
    expect(momentLabel(t)).toBe("1月2日 00:05");
  });

  it("follows the time zone it is given", () => {
    const t = Date.UTC(2025, 10, 21, 6, 30) / 1000;
    expect(momentLabel(t, "UTC")).toBe("11月21日 06:30");
  });
});
