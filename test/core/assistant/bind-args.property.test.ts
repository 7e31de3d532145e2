/**
 * Property-based tests (fast-check) of the binding parser (parseBindArgs in core/assistant/route.ts): whatever a
 * parent — or an attacker — types after 绑定, it never throws, a 学籍号 it finds has the shape schools import, a
 * code is exactly 12 digits, the phone part is exactly four digits, and a whole mobile number never reaches the
 * arguments (only its last four are used).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBindArgs } from "../../../core/assistant/route.js";
import { StudentNo } from "../../../core/students/index.js";

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
const mobile = fc
  .tuple(fc.constantFrom("3", "4", "5", "6", "7", "8", "9"), digits(9, 9))
  .map(([d, rest]) => `1${d}${rest}`);
const studentNo = fc.oneof(
  fc
    .tuple(fc.constantFrom("G", "J", "L", "g", ""), digits(17, 17), fc.constantFrom("X", "x", "0", "7"))
    .map((p) => p.join("")),
  fc.tuple(fc.constantFrom("G", "L"), digits(8, 20)).map((p) => p.join("")),
  digits(19, 20),
);
const code = fc
  .tuple(digits(4, 4), digits(4, 4), digits(4, 4), fc.constantFrom("", " ", "-"))
  .map(([a, b, c, sep]) => [a, b, c].join(sep));
/** ASCII digits as a phone keyboard may send them: full-width (NFKC folds them back). */
const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** Pieces of binding lines: labels, names, numbers of every kind, separators, and any text at all. */
const piece = fc.oneof(
  fc.constantFrom(
    "绑定",
    "绑定孩子",
    "学籍号",
    "学籍号：",
    "手机尾号",
    "后四位",
    "手机",
    "电话",
    "绑定码",
    "码是",
    "娃叫",
    "孩子名字是",
    "张小明",
    "李四",
    "欧阳小雨",
    " ",
    "　",
    "：",
    ":",
    "-",
    "，",
    "\n",
  ),
  studentNo,
  mobile,
  code,
  digits(1, 24),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
const line = fc.tuple(fc.array(piece, { maxLength: 10 }), fc.boolean()).map(([parts, wide]) => {
  const s = `绑定 ${parts.join(" ")}`;
  return wide ? fullWidth(s) : s;
});

function checkShapes(raw: string) {
  const args = parseBindArgs(raw);
  if (args.studentNo !== undefined) expect(StudentNo.parse(args.studentNo)).toBe(args.studentNo);
  if (args.code !== undefined) expect(args.code).toMatch(/^\d{12}$/);
  if (args.phoneLast4 !== undefined) expect(args.phoneLast4).toMatch(/^\d{4}$/);
  if (args.name !== undefined) expect(args.name).toMatch(/^\p{Script=Han}{2,4}$/u);
  return args;
}

describe("parseBindArgs, property-based", () => {
  it("never throws on any text, and every argument it finds has its shape", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 40 }), line),
        (raw) => {
          checkShapes(raw);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keeps only the last four of a whole mobile number typed anywhere in the line", () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }),
        mobile,
        fc.array(piece, { maxLength: 6 }),
        fc.boolean(),
        (before, m, after, wide) => {
          // The mobile stands apart from other digits and letters (inside a longer number it is not a phone).
          const s = `绑定 ${before.join(" ")} ，${m}， ${after.join(" ")}`;
          const args = checkShapes(wide ? fullWidth(s) : s);
          const kept = Object.values(args)
            .filter((v) => typeof v === "string")
            .join("|");
          expect(kept).not.toContain(m);
          expect(kept).not.toContain(m.slice(0, 7));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("reads a 学籍号, a name and a whole mobile number: the 学籍号 upper-cased, the mobile's last four", () => {
    fc.assert(
      fc.property(studentNo, mobile, fc.constantFrom("张小明", "李四", "欧阳小雨"), (no, m, name) => {
        const args = checkShapes(`绑定 ${name} ${no} ${m}`);
        expect(args).toEqual({ name, studentNo: no.toUpperCase(), phoneLast4: m.slice(-4) });
      }),
      { numRuns: 500 },
    );
  });

  it("reads a 12-digit code however it is grouped, and nothing else from it", () => {
    fc.assert(
      fc.property(code, (c) => {
        expect(checkShapes(`绑定 ${c}`)).toEqual({ code: c.replace(/[ -]/g, "") });
      }),
      { numRuns: 500 },
    );
  });
});
