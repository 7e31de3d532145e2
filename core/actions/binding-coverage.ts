/**
 * A school's binding coverage: how many of its students have at least one guardian linked (WeChat or web chat),
 * per class, so the officer sees which classes still need 绑定告知单 — what a school's dashboard shows instead of the
 * county's township chart. Read from the students of the school and each student's bindings (pattern 8), 16 at a
 * time; nothing is stored.
 */
import { z } from "zod";
import { mapLimit } from "../concurrency.js";
import { usersOf } from "../families/bindings.js";
import * as students from "../students/index.js";
import { classRank, gradeRank } from "../students/grades.js";
import { requireSchool, type Staff } from "../staff/index.js";

export const BindingCoverage = z.object({
  schoolId: z.string(),
  schoolName: z.string(),
  students: z.number().int().describe("学生人数"),
  linked: z.number().int().describe("至少一位家长已绑定（微信或网页）的学生人数"),
  classes: z.array(
    z.object({
      grade: z.string(),
      class: z.string(),
      students: z.number().int(),
      linked: z.number().int(),
    }),
  ),
});
export type BindingCoverage = z.infer<typeof BindingCoverage>;

export async function bindingCoverage(staff: Staff, schoolId: string): Promise<BindingCoverage> {
  const school = await requireSchool(staff, schoolId);
  const byClass = new Map<string, { grade: string; class: string; students: number; linked: number }>();
  let cursor: string | undefined;
  do {
    const page = await students.bySchool(staff.tenant, school.id, {}, cursor);
    cursor = page.cursor;
    const linked = await mapLimit(page.items, 16, async (s) => (await usersOf(staff.tenant, s.id)).length > 0);
    page.items.forEach((s, i) => {
      const key = `${s.grade}|${s.class}`;
      const row = byClass.get(key) ?? { grade: s.grade, class: s.class, students: 0, linked: 0 };
      row.students++;
      if (linked[i]) row.linked++;
      byClass.set(key, row);
    });
  } while (cursor);
  const classes = [...byClass.values()].sort(
    (a, b) => gradeRank(a.grade) - gradeRank(b.grade) || classRank(a.class) - classRank(b.class),
  );
  return {
    schoolId: school.id,
    schoolName: school.name,
    students: classes.reduce((n, c) => n + c.students, 0),
    linked: classes.reduce((n, c) => n + c.linked, 0),
    classes,
  };
}
