import { describe, expect, it } from "vitest";
import { Programme, ProgrammeNames, Programmes, ProgrammeShortNames } from "../../../core/applications/index.js";
import { TEMPLATE_FIELD_MAX } from "../../../core/notifications/render.js";

describe("programmes", () => {
  it("gives every programme a short name that fits one WeChat template field", () => {
    for (const [id, names] of Object.entries(ProgrammeNames)) {
      expect([...names.short].length, id).toBeLessThanOrEqual(TEMPLATE_FIELD_MAX);
      expect(names.short.length, id).toBeGreaterThan(0);
    }
  });

  it("reads official and short names from the one table", () => {
    expect(Programmes.compulsory_living).toBe("义务教育家庭经济困难学生生活补助");
    expect(ProgrammeShortNames.compulsory_living).toBe("义务教育生活补助");
    expect(Object.keys(Programmes)).toEqual(Object.keys(ProgrammeNames));
    expect(Object.keys(ProgrammeShortNames)).toEqual(Object.keys(ProgrammeNames));
  });

  it("accepts exactly the table's programmes at the boundary", () => {
    for (const id of Object.keys(ProgrammeNames)) expect(Programme.safeParse(id).success, id).toBe(true);
    expect(Programme.safeParse("bursary").success).toBe(false);
  });
});
