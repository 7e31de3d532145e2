/**
 * search_policy: the knowledge base, through the same retrieval the offline answerer uses. The passages it
 * returns are all the model may answer policy questions from; they are remembered (evidence) so the answer's
 * numbers can be checked against them and its citations taken from them.
 */
import { z } from "zod";
import { defaultComposeOptions } from "../answer-policy.js";
import { toolText } from "../../../prompts/llm.js";
import { defineTool } from "./tool.js";

/** Passages returned per search: enough for a question that spans two topics, short enough for the context. */
const MAX_PASSAGES = 4;
/** Passages scoring below this share of the best one are noise for the model. */
const MIN_SHARE = 0.35;

export const searchPolicy = defineTool({
  name: "search_policy",
  description:
    "查本县学生资助政策知识库（各学段的补助、助学金、免学费、助学贷款、怎么申请、什么时候发、找谁）。回答任何政策问题之前都要先调用它，只能根据它返回的段落回答。返回最相关的几段：id、标题 title、小标题 heading、正文 text、variesLocally（各地不同，要说“以本县通知为准”）。",
  parameters: z.strictObject({
    query: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe("要查的问题，用用户的原话或几个关键词，例如“小学住校一年补多少”“助学贷款在哪办”。一次只查一件事。"),
  }),
  maxCalls: 3,
  async run({ query }, ctx) {
    const result = ctx.search(query);
    const best = result.hits[0];
    const o = defaultComposeOptions;
    if (!best || result.confidence < o.threshold) return { passages: [], note: toolText.nothingFound() };
    const hits = result.hits.filter((h) => h.score >= best.score * MIN_SHARE).slice(0, MAX_PASSAGES);
    const passages = hits.map((h) => {
      const id = `${h.entry.id}#${h.index}`;
      if (!ctx.evidence.passages.has(id)) ctx.evidence.passages.set(id, { id, entry: h.entry, passage: h.passage });
      return {
        id,
        title: h.entry.title,
        heading: h.passage.heading,
        text: h.passage.text,
        variesLocally: h.entry.varies_locally,
      };
    });
    // As offline: a question that turns on something the knowledge base does not know gets "the closest we have".
    const partial = result.confidence < o.hedgeBelow && result.unknown > o.unknownShare;
    return partial ? { passages, note: toolText.closest() } : { passages };
  },
});
