/**
 * The storage-free half of the student import: reading a CSV or sheet into rows (headers as schools write them,
 * guardians, ignored columns) and the JSON shapes. Validating against schools in scope and upserting are covered
 * through the HTTP API in test/functions/http/api/students.int.test.ts and console-routes.int.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  MAX_ROWS,
  phoneProblem,
  rowsFromCsv,
  rowsFromJson,
  rowsFromRecords,
} from "../../../core/staff/student-import.js";

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as { kind: string; code: string; message: string; details?: unknown[] };
  }
  throw new Error("expected a refusal");
};

describe("rowsFromCsv", () => {
  it("reads the template's Chinese headers into the row shape, with the line of each row", () => {
    const rows = rowsFromCsv(
      "姓名,学籍号,学校,年级,班级,村（社区）,监护人1姓名,监护人1关系,监护人1手机\n" +
        "张小明,G510101200901011234,s01,五年级,2班,河口村,张大山,父亲,13800001234\n",
    );
    expect(rows).toEqual([
      {
        line: 2,
        index: 0,
        value: {
          name: "张小明",
          studentNo: "G510101200901011234",
          school: "s01",
          grade: "五年级",
          class: "2班",
          village: "河口村",
          guardians: [{ name: "张大山", relation: "父亲", phone: "13800001234" }],
        },
      },
    ]);
  });

  it("reads a school's own export: other header names, one unnumbered guardian, spaces and case ignored", () => {
    const [row] = rowsFromCsv(
      "学生姓名,全国学籍号, 就读年级 ,班,家长姓名,与学生关系,联系电话\n李四,g5101,3,1,李父,父亲,139 1234 5678\n",
    );
    expect(row?.value).toMatchObject({
      name: "李四",
      studentNo: "g5101",
      grade: "3",
      class: "1",
      school: undefined,
      guardians: [{ name: "李父", relation: "父亲", phone: "139 1234 5678" }],
    });
  });

  it("reads English headers", () => {
    const [row] = rowsFromCsv("name,studentNo,school_id,grade,class\nWang,G123456789,s02,7,3\n");
    expect(row?.value).toMatchObject({ name: "Wang", studentNo: "G123456789", school: "s02", grade: "7", class: "3" });
  });

  it("leaves out an empty guardian block but keeps a half-filled one for the schema to refuse", () => {
    const rows = rowsFromCsv(
      "姓名,学籍号,年级,班级,监护人1姓名,监护人1手机,监护人2姓名,监护人2手机\n" +
        "甲,G00000001,1,1,,,,\n" +
        "乙,G00000002,1,1,,,王五,\n",
    );
    expect(rows.map((r) => (r.value as { guardians: unknown[] }).guardians)).toEqual([
      [],
      [{ name: "王五", relation: "", phone: "" }],
    ]);
  });

  it("marks a row with more cells than the header has, so validation can point at it", () => {
    const [row] = rowsFromCsv("姓名,学籍号,年级,班级\n甲,G00000001,1,1,多出来的\n");
    expect(row?.value).toMatchObject({ __extra: true });
  });

  it("names every missing required column, on line 1, in Chinese", () => {
    const e = refusal(() => rowsFromCsv("姓名,学校\n甲,s01\n"));
    expect(e).toMatchObject({ kind: "validation", code: "csv_header" });
    expect(e.message).toBe("第 1 行（表头）缺少 “学籍号”、“年级”、“班级” 列：请下载模板对照表头后再上传");
    expect(e.details).toEqual([
      { line: 1, field: "studentNo", message: "缺少“学籍号”列" },
      { line: 1, field: "grade", message: "缺少“年级”列" },
      { line: 1, field: "class", message: "缺少“班级”列" },
    ]);
  });

  it("refuses an empty file and a file with only its header", () => {
    expect(refusal(() => rowsFromCsv("")).code).toBe("csv_empty");
    expect(refusal(() => rowsFromCsv("姓名,学籍号,年级,班级\n")).message).toBe(
      "文件只有表头没有学生：请填好学生行后再上传",
    );
  });

  it("refuses more rows than one upload may hold", () => {
    const text = `姓名,学籍号,年级,班级\n${"甲,G00000001,1,1\n".repeat(MAX_ROWS + 1)}`;
    expect(refusal(() => rowsFromCsv(text))).toMatchObject({
      code: "too_many_rows",
      message: `文件有 ${MAX_ROWS + 1} 行学生，每次最多 ${MAX_ROWS} 行，未保存任何学生：请按学校或年级分成几个文件（每个不超过 ${MAX_ROWS} 行）分别上传`,
    });
  });
});

describe("rowsFromRecords", () => {
  it("reports unknown and repeated columns as ignored, taking the first of each kind", () => {
    const out = rowsFromRecords([
      { line: 1, fields: ["姓名", "学籍号", "年级", "班级", "电话", "备注", "电话", ""] },
      { line: 2, fields: ["甲", "G00000001", "1", "1", "13800001234", "x", "13900005678"] },
    ]);
    expect(out.ignoredColumns).toEqual(["备注", "电话"]);
    expect(out.rows[0]?.value).toMatchObject({ guardians: [{ phone: "13800001234" }] });
  });

  it("keeps the line numbers of the records it is given", () => {
    const out = rowsFromRecords([
      { line: 3, fields: ["姓名", "学籍号", "年级", "班级"] },
      { line: 7, fields: ["甲", "G00000001", "1", "1"] },
    ]);
    expect(out.rows.map((r) => r.line)).toEqual([7]);
  });
});

describe("rowsFromJson", () => {
  it("takes a list of students, bare or under `students`, numbering them from 0", () => {
    const a = { name: "甲" };
    const b = { name: "乙" };
    expect(rowsFromJson([a, b])).toEqual([
      { index: 0, value: a },
      { index: 1, value: b },
    ]);
    expect(rowsFromJson({ students: [a] })).toEqual([{ index: 0, value: a }]);
  });

  it("refuses an empty list and a list over the limit", () => {
    expect(() => rowsFromJson([])).toThrow();
    expect(() => rowsFromJson({ students: [] })).toThrow();
    expect(() => rowsFromJson(Array.from({ length: MAX_ROWS + 1 }, () => ({})))).toThrow();
  });
});

describe("what is wrong with a guardian's phone, said without showing it", () => {
  it("counts the digits of a number that is too short or too long", () => {
    expect(phoneProblem("1380000002")).toBe("手机号位数不对（填了 10 位，应为 11 位）");
    expect(phoneProblem("138 0000 00211")).toBe("手机号位数不对（填了 12 位，应为 11 位）");
  });
  it("names a wrong first or second digit and characters that are not digits", () => {
    expect(phoneProblem("23800000024")).toBe("手机号第 1 位不是 1：大陆手机号以 1 开头");
    expect(phoneProblem("12800000024")).toBe("手机号第 2 位不对：大陆手机号第 2 位是 3–9");
    expect(phoneProblem("+8613800000024")).toMatch(/^手机号里有数字以外的字符/);
    expect(phoneProblem("")).toBe("手机号没有填写");
  });
  it("finds nothing wrong with a mainland mobile number, spaces and dashes allowed", () => {
    expect(phoneProblem("138-0000-0024")).toBeUndefined();
    expect(phoneProblem(13800000024)).toBeUndefined();
  });
});

describe("a school's export with a title above the header", () => {
  it("finds the header below the title rows and keeps each student's Excel row number", () => {
    const { rows, ignoredColumns } = rowsFromRecords([
      { line: 1, fields: ["红旗小学2025年秋季学生名单"] },
      { line: 2, fields: ["制表：教务处"] },
      { line: 3, fields: ["序号", "姓名", "学籍号", "年级", "班级"] },
      { line: 4, fields: ["1", "周小一", "G510000201601040001", "3", "2"] },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 4, seq: "1", value: { name: "周小一", grade: "3", class: "2" } });
    expect(ignoredColumns).toEqual(["序号"]);
  });

  it("still names the first row as the header when no row names 姓名 and 学籍号", () => {
    expect(() =>
      rowsFromRecords([
        { line: 1, fields: ["名单"] },
        { line: 2, fields: ["周小一", "G510000201601040001"] },
      ]),
    ).toThrow(/第 1 行（表头）缺少/);
  });
});
