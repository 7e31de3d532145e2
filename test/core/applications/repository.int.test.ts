import { beforeAll, describe, expect, it } from "vitest";
import * as applications from "../../../core/applications/index.js";
import * as audit from "../../../core/audit/index.js";
import * as schools from "../../../core/schools/index.js";
import * as students from "../../../core/students/index.js";
import { createTenant } from "../../support/stack.js";

const system = { id: "system", role: "system" } as const;
let tenant: string;
let studentId: string;

beforeAll(async () => {
  tenant = (await createTenant()).id;
  await schools.create(tenant, { id: "xx-primary", name: "向阳小学", kind: "primary", township: "城关镇" });
  const { student } = await students.upsert(tenant, {
    studentNo: "G510000201501011234",
    name: "张小明",
    schoolId: "xx-primary",
    grade: "3",
    class: "2",
    guardians: [{ name: "张大山", relation: "父亲", phone: "13800001234" }],
  });
  studentId = student.id;
});

describe("applications in DynamoDB Local", () => {
  it("walks an application through every stage and audits each move", async () => {
    const app = await applications.create(
      tenant,
      { studentId, schoolId: "xx-primary", programme: "compulsory_living", term: "2025-autumn", amountFen: 62500 },
      system,
    );
    const path = [
      "school_approved",
      "township_approved",
      "county_approved",
      "publicizing",
      "approved",
      "paid",
    ] as const;
    let current = app;
    for (const to of path) {
      current = await applications.transition(tenant, app.id, {
        to,
        actor: { id: "tok_test", role: "bureau" },
        level: "bureau",
        payment:
          to === "paid" ? { batchId: "b1", paidDate: "2025-11-20", amountFen: 62500, accountLast4: "1234" } : undefined,
      });
      expect(current.stage).toBe(to);
    }
    const trail = await audit.trail(tenant, app.id);
    expect(trail.map((r) => r.to)).toEqual(["submitted", ...path]);
    expect(trail.slice(1).map((r) => r.from)).toEqual(["submitted", ...path.slice(0, -1)]);
    expect(trail.every((r) => r.actor.id && r.at)).toBe(true);
  });

  it("refuses a skipped level and writes no audit record for it", async () => {
    const app = await applications.create(
      tenant,
      { studentId, schoolId: "xx-primary", programme: "senior_grant", term: "2026-spring", amountFen: 115000 },
      system,
    );
    await expect(applications.transition(tenant, app.id, { to: "paid", actor: system })).rejects.toThrow(
      "申请不能从「已提交申请」(submitted) 改为「已发放」(paid)；下一步只能是：「学校审核通过」(school_approved)、「未通过」(rejected)",
    );
    expect((await applications.fromId(tenant, app.id))?.stage).toBe("submitted");
    expect(await audit.trail(tenant, app.id)).toHaveLength(1);
  });

  it("lets only one of two concurrent moves from the same stage win", async () => {
    const app = await applications.create(
      tenant,
      { studentId, schoolId: "xx-primary", programme: "yulu", term: "2026-spring", amountFen: 150000 },
      system,
    );
    const results = await Promise.allSettled([
      applications.transition(tenant, app.id, { to: "school_approved", actor: system, current: app }),
      applications.transition(tenant, app.id, { to: "rejected", reason: "材料不全", actor: system, current: app }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await audit.trail(tenant, app.id)).toHaveLength(2);
  });

  it("finds applications by student and by programme, term and stage", async () => {
    const mine = await applications.ofStudent(tenant, studentId);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    const paid = await applications.byProgramme(tenant, "compulsory_living", "2025-autumn", "paid");
    expect(paid.map((a) => a.studentId)).toContain(studentId);
    expect(await applications.byProgramme(tenant, "compulsory_living", "2025-autumn", "submitted")).toHaveLength(0);
  });

  it("upserts a student by 学籍号 idempotently and lists by school, grade and class", async () => {
    const again = await students.upsert(tenant, {
      studentNo: "g510000201501011234",
      name: "张小明",
      schoolId: "xx-primary",
      grade: "3",
      class: "2",
      guardians: [{ name: "张大山", relation: "父亲", phone: "138 0000 1234" }],
    });
    expect(again.outcome).toBe("unchanged");
    expect((await students.fromStudentNo(tenant, "G510000201501011234"))?.id).toBe(studentId);
    expect((await students.bySchool(tenant, "xx-primary", { grade: "3", class: "2" })).items).toHaveLength(1);
    expect((await students.bySchool(tenant, "xx-primary", { grade: "4" })).items).toHaveLength(0);
  });
});
