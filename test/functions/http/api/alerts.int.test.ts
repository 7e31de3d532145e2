/** Staff see suspicious binding activity for their own schools' students. */
import { beforeAll, describe, expect, it } from "vitest";
import { createFamily } from "../../../../core/families/port.js";
import { call, county, studentRow } from "./support.js";

let c: Awaited<ReturnType<typeof county>>;
let studentId: string;

beforeAll(async () => {
  c = await county();
  const up = await call(c.tokens.bureau, "POST", "/api/students", {
    students: [studentRow("G510000201801010001", "周小雨", "a1")],
  });
  studentId = up.body.rows[0].studentId as string;
  const family = createFamily();
  for (let i = 0; i < 11; i++) {
    await family.bind(
      { tenant: c.tenant, userKey: `web:stranger-${i}`, channel: "web" },
      { name: "周小雨", studentNo: "G510000201801010001", phoneLast4: String(5000 + i) },
    );
  }
});

describe("GET /api/alerts", () => {
  it("shows the school and the bureau one alert for a student drawing many wrong guesses, with no personal data", async () => {
    for (const token of [c.tokens.bureau, c.tokens.a1, c.tokens.chengguan]) {
      const r = await call(token, "GET", "/api/alerts");
      expect(r.status).toBe(200);
      expect(r.body.items).toEqual([
        {
          id: expect.stringMatching(/^alr_/),
          kind: "binding_guessing",
          at: expect.any(String),
          studentId,
          schoolId: "a1",
          failures: 11,
        },
      ]);
      expect(JSON.stringify(r.body)).not.toMatch(/周小雨|G510000201801010001|13912345678/);
    }
  });

  it("shows other schools and townships nothing", async () => {
    for (const token of [c.tokens.b1, c.tokens.hekou])
      expect((await call(token, "GET", "/api/alerts")).body.items).toEqual([]);
  });
});
