import { describe, expect, it } from "vitest";
import type { ApplicationInfo } from "../../../core/applications/index.js";
import { containsUnmaskedPersonalData } from "../../../core/mask.js";
import { applicationView, studentView } from "../../../core/staff/views.js";
import type { StudentInfo } from "../../../core/students/index.js";

const student: StudentInfo = {
  id: "stu_1",
  tenant: "demo",
  studentNo: "G510101200901011234",
  name: "张小明",
  schoolId: "s01",
  grade: "五年级",
  class: "2班",
  guardians: [
    { name: "张大山", relation: "父亲", phone: "13800001234" },
    { name: "李秀英", relation: "母亲", phone: "13912345678" },
  ],
  createdAt: "2025-09-01T00:00:00.000Z",
  updatedAt: "2025-09-02T00:00:00.000Z",
};

const application: ApplicationInfo = {
  id: "app_1",
  tenant: "demo",
  studentId: "stu_1",
  schoolId: "s01",
  programme: "compulsory_living",
  term: "2025-autumn",
  amountFen: 62_550,
  stage: "submitted",
  stageChangedAt: "2025-09-03T00:00:00.000Z",
  createdAt: "2025-09-03T00:00:00.000Z",
};

describe("studentView", () => {
  it("masks the 学籍号 and every guardian phone, keeping the name staff know", () => {
    const v = studentView(student);
    expect(v.name).toBe("张小明");
    expect(v.studentNo).toBe("G51************1234");
    expect(v.guardians).toEqual([
      { name: "张大山", relation: "父亲", phone: "******1234" },
      { name: "李秀英", relation: "母亲", phone: "******5678" },
    ]);
    expect(containsUnmaskedPersonalData(JSON.stringify(v))).toBe(false);
  });

  it("leaves out the tenant, the creation time and an empty village", () => {
    const v = studentView(student);
    expect(v).not.toHaveProperty("tenant");
    expect(v).not.toHaveProperty("createdAt");
    expect(v).not.toHaveProperty("village");
    expect(studentView({ ...student, village: "河口村" }).village).toBe("河口村");
  });

  it("adds what the caller counted, such as bound guardians", () => {
    expect(studentView(student, { boundGuardians: 2 }).boundGuardians).toBe(2);
  });
});

describe("applicationView", () => {
  it("adds the Chinese labels of the stage, term and programme and the amount in yuan", () => {
    const v = applicationView(application);
    expect(v.amountYuan).toBe("625.50");
    expect(v.termLabel).toBe("2025年秋季学期");
    expect(v.programmeLabel).toBe("义务教育家庭经济困难学生生活补助");
    expect(v.stageLabel).toBe("已提交申请");
    expect(v.amountFen).toBe(62_550);
  });

  it("shows the paid amount in yuan and only the last four digits of the account", () => {
    const v = applicationView({
      ...application,
      stage: "paid",
      payment: { batchId: "b1", paidDate: "2025-12-01", amountFen: 100_000, accountLast4: "6789" },
    });
    expect(v.payment).toEqual({
      batchId: "b1",
      paidDate: "2025-12-01",
      amountFen: 100_000,
      amountYuan: "1000",
      accountLast4: "6789",
    });
    expect(applicationView(application)).not.toHaveProperty("payment");
  });
});
