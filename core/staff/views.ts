/**
 * What staff responses show. Staff in scope know their students by name, but 学籍号 and guardian phones are only
 * for matching: they leave the API masked, like everything in a list.
 */
import * as applications from "../applications/index.js";
import { maskStudentNo, maskTail } from "../mask.js";
import type { StudentInfo } from "../students/index.js";

export function studentView(s: StudentInfo, extra: { boundGuardians?: number } = {}) {
  return {
    id: s.id,
    name: s.name,
    studentNo: maskStudentNo(s.studentNo),
    schoolId: s.schoolId,
    grade: s.grade,
    class: s.class,
    ...(s.village ? { village: s.village } : {}),
    guardians: s.guardians.map((g) => ({ name: g.name, relation: g.relation, phone: maskTail(g.phone) })),
    ...extra,
    updatedAt: s.updatedAt,
  };
}

export function applicationView(a: applications.ApplicationInfo) {
  return {
    ...a,
    amountYuan: applications.yuan(a.amountFen),
    stageLabel: applications.StageLabel[a.stage],
    termLabel: applications.termLabel(a.term),
    programmeLabel: applications.Programmes[a.programme],
    ...(a.payment ? { payment: { ...a.payment, amountYuan: applications.yuan(a.payment.amountFen) } } : {}),
  };
}
