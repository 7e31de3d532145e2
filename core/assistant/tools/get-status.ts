/**
 * get_status: the application / payment status of the children the current chat user has bound, as the family
 * port composes it (names masked, accounts as the last four digits). It takes no arguments on purpose: the model
 * can never name a student, a user or a tenant — whose status this is comes from the turn, not from the model,
 * and a call with any argument is refused.
 */
import { z } from "zod";
import { defineTool } from "./tool.js";

export const getStatus = defineTool({
  name: "get_status",
  description:
    "查正在和你聊天的这位用户自己绑定的孩子的申请进度和发放情况（审核到哪一步、钱发了没有、发到尾号几的账户）。用户问自家孩子的补助批了没、钱到了没时调用。不要传任何参数：它只会返回这位用户自己绑定的孩子，查不了别人家。没绑定孩子时，返回怎么绑定。",
  parameters: z.strictObject({}),
  maxCalls: 1,
  async run(_args, ctx) {
    // The user's own message narrows the answer to the child it names (and refuses one that is not theirs).
    const lines = await ctx.family.status(ctx.chat, ctx.text);
    ctx.evidence.facts.push(...lines);
    return { status: lines };
  },
});
