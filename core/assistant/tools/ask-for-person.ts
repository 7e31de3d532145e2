/**
 * ask_for_person: hands the conversation to staff through the family port (a handoff record the school or the
 * bureau sees; the port keeps personal numbers out of it) and returns what to tell the user.
 */
import { z } from "zod";
import { defineTool } from "./tool.js";

export const askForPerson = defineTool({
  name: "ask_for_person",
  description:
    "请工作人员来帮用户。用户要找人工、问题你答不了、知识库里没有依据、用户很着急或不满意、或者用户说想不开、孩子有危险时调用。返回的 result 是要告诉用户的话（怎么联系、什么时候有人回）。",
  parameters: z.strictObject({
    text: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe("用一两句话说清用户要办什么事，给工作人员看。不要写身份证号、手机号、学籍号、银行卡号。"),
  }),
  maxCalls: 1,
  async run({ text }, ctx) {
    const result = await ctx.family.handoff(ctx.chat, text);
    ctx.evidence.facts.push(result);
    ctx.evidence.handedOff = true;
    return { result };
  },
});
