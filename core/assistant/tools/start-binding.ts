/**
 * start_binding: binds a child to the current chat user through the family port (which checks the details against
 * the school's records, limits attempts per user and per student, and keeps a step-by-step flow when pieces are
 * missing). The model may only pass what the user typed in this message: a value that is not in the message is
 * refused, so a model cannot guess or reuse details to bind someone else's child.
 */
import { z } from "zod";
import { toolText } from "../../../prompts/llm.js";
import { defineTool } from "./tool.js";

/** Compare loosely: full-width digits, spaces and letter case do not matter. */
const loose = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toUpperCase();

export const startBinding = defineTool({
  name: "start_binding",
  description:
    "帮用户把自己的孩子绑定到资助通（绑定后才能查孩子的进度和发放）。用户在这条消息里发来孩子姓名、学籍号、学校登记的监护人手机后四位，或者学校给的12位绑定码时调用。只填用户这条消息里写了的，没写的不填；缺什么它会告诉你该问什么。返回的 result 照意思告诉用户，不要重复学籍号。",
  parameters: z.strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[\p{Script=Han}·]{2,8}$/u, "姓名是 2 到 8 个汉字")
      .optional()
      .describe("孩子的姓名（汉字），用户写了才填"),
    studentNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z]?\d[\dA-Za-z]{7,23}$/, "学籍号是字母 G/L/J 开头或全数字的编号")
      .optional()
      .describe("孩子的学籍号，照用户写的原样填"),
    phoneLast4: z
      .string()
      .trim()
      .regex(/^\d{4}$/, "手机后四位是 4 个数字")
      .optional()
      .describe("学校登记的监护人手机号的后四位，4 个数字"),
    code: z
      .string()
      .trim()
      .regex(/^\d{4}[ -]?\d{4}[ -]?\d{4}$/, "绑定码是 12 个数字")
      .optional()
      .describe("学校发给家长的 12 位绑定码"),
  }),
  maxCalls: 1,
  async run(args, ctx) {
    const message = loose(ctx.text);
    const given = Object.entries(args).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "");
    const invented = given.filter(([, v]) => !message.includes(loose(v))).map(([k]) => k);
    if (invented.length > 0) return { error: toolText.notFromUser(invented.join("、")) };
    const result = await ctx.family.bind(ctx.chat, Object.fromEntries(given));
    ctx.evidence.facts.push(result);
    return { result };
  },
});
