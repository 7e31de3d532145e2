import { describe, expect, test } from "vitest";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_CHUNKS,
  prepareWechatText,
  splitForWechat,
  splitSentences,
  stripMarkdown,
  TRUNCATION_NOTICE,
  utf8Bytes,
} from "../../../../core/channels/wechat/split.js";

const sentence = (i: number) => `第${i}句：小学寄宿生每年补助一千二百五十元，以本县通知为准。`;
const manySentences = (n: number) => Array.from({ length: n }, (_, i) => sentence(i)).join("");
const stripWs = (s: string) => s.replace(/\s+/g, "");

function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

describe("stripping markdown", () => {
  test("headings lose their hashes", () => {
    expect(stripMarkdown("# 两免一补\n## 谁能领 ##\n正文")).toBe("两免一补\n谁能领\n正文");
  });

  test("bold, italic, strikethrough and inline code keep only their words", () => {
    expect(stripMarkdown("**寄宿生** 和 __走读生__，*注意* ~~旧标准~~ 用 `1250` 元")).toBe(
      "寄宿生 和 走读生，注意 旧标准 用 1250 元",
    );
  });

  test("arithmetic asterisks are left alone", () => {
    expect(stripMarkdown("2*3*4 = 24")).toBe("2*3*4 = 24");
  });

  test("links become their text and images their alt text", () => {
    expect(stripMarkdown("详见[教育局通知](https://example.gov.cn/a)。![流程图](http://x/y.png)")).toBe(
      "详见教育局通知。流程图",
    );
    expect(stripMarkdown("网址 <https://example.gov.cn/b>")).toBe("网址 https://example.gov.cn/b");
  });

  test("bullets of any marker and depth become middle-dot lines, numbered lists stay", () => {
    expect(stripMarkdown("- 户口本\n* 学籍证明\n  + 复印件\n1. 第一步\n   2. 第二步")).toBe(
      "· 户口本\n· 学籍证明\n· 复印件\n1. 第一步\n2. 第二步",
    );
  });

  test("code fences are removed and their content kept verbatim", () => {
    expect(stripMarkdown("看这里：\n```text\n代码 **不变**\n- 也不变\n```\n结束")).toBe(
      "看这里：\n代码 **不变**\n- 也不变\n结束",
    );
  });

  test("an unclosed code fence still loses its opening line", () => {
    expect(stripMarkdown("前\n```\n内容")).toBe("前\n内容");
  });

  test("quotes, rules and tables are flattened", () => {
    expect(stripMarkdown("> 以本县通知为准。\n\n---\n\n| 学段 | 金额 |\n|:---|---:|\n| 小学 | 1250 |")).toBe(
      "以本县通知为准。\n\n学段  金额\n小学  1250",
    );
  });

  test("runs of blank lines collapse and the result is trimmed", () => {
    expect(stripMarkdown("\n\n甲\r\n\r\n\r\n\r\n乙  \n\n")).toBe("甲\n\n乙");
  });
});

describe("splitting into sentences", () => {
  test("Chinese and English terminators end sentences, keeping closing quotes and repeated marks", () => {
    expect(splitSentences("他说：“好。”然后走了！真的吗？？是的……\n\nHello world. Next one! Last")).toEqual([
      "他说：“好。”",
      "然后走了！",
      "真的吗？？",
      "是的……\n\n",
      "Hello world.",
      " Next one!",
      " Last",
    ]);
  });

  test("a decimal point or a URL dot does not end a sentence", () => {
    expect(splitSentences("每年 1250.5 元，见 www.example.gov.cn 网站；谢谢")).toEqual([
      "每年 1250.5 元，见 www.example.gov.cn 网站；",
      "谢谢",
    ]);
  });

  test("joining the sentences gives the text back", () => {
    const text = "一。二！三？四；五\n六!七?八;九. 十";
    expect(splitSentences(text).join("")).toBe(text);
  });
});

describe("splitting for WeChat", () => {
  test("a short answer is one unchanged chunk", () => {
    expect(splitForWechat("您好！两免一补每学期申请一次。")).toEqual(["您好！两免一补每学期申请一次。"]);
  });

  test("blank text gives no chunks", () => {
    expect(splitForWechat("  \n ")).toEqual([]);
    expect(prepareWechatText("---\n\n")).toEqual([]);
  });

  test("every chunk of a long answer is at most 1800 UTF-8 bytes and ends at a sentence boundary", () => {
    const text = manySentences(80); // ≈ 7 KB
    const chunks = splitForWechat(text, { maxChunks: 100 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(utf8Bytes(c)).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
      expect(c.endsWith("。")).toBe(true);
      expect(c.startsWith("第")).toBe(true);
    }
    expect(chunks.join("")).toBe(text);
  });

  test("chunks are filled greedily rather than one sentence each", () => {
    const chunks = splitForWechat(manySentences(80), { maxChunks: 100 });
    const sentenceBytes = utf8Bytes(sentence(10));
    for (const c of chunks.slice(0, -1)) expect(utf8Bytes(c)).toBeGreaterThan(DEFAULT_MAX_BYTES - 2 * sentenceBytes);
  });

  test("newlines are sentence boundaries too", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `· 第${i}项材料需要复印两份并签字确认无误后交给班主任老师`).join(
      "\n",
    );
    const chunks = splitForWechat(lines, { maxBytes: 400, maxChunks: 100 });
    for (const c of chunks) {
      expect(utf8Bytes(c)).toBeLessThanOrEqual(400);
      for (const line of c.split("\n")) expect(line.startsWith("· 第")).toBe(true);
    }
    expect(stripWs(chunks.join(""))).toBe(stripWs(lines));
  });

  test("a single over-long sentence is hard-split on character boundaries", () => {
    const long = "资".repeat(1500); // 4500 bytes, no punctuation
    const chunks = splitForWechat(long);
    expect(chunks).toHaveLength(3);
    for (const c of chunks) expect(utf8Bytes(c)).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
    expect(chunks.join("")).toBe(long);
  });

  test("hard splitting never breaks an emoji or a surrogate pair", () => {
    const long = "👨‍👩‍👧😀a".repeat(200);
    const chunks = splitForWechat(long, { maxBytes: 333, maxChunks: 100 });
    for (const c of chunks) {
      expect(utf8Bytes(c)).toBeLessThanOrEqual(333);
      expect(hasLoneSurrogate(c)).toBe(false);
      expect(c.startsWith("👨‍👩‍👧")).toBe(true);
    }
    expect(chunks.join("")).toBe(long);
  });

  test("hard splitting prefers a comma when one is near the end of the chunk", () => {
    const long = `${"甲".repeat(500)}，${"乙".repeat(500)}`;
    const chunks = splitForWechat(long, { maxBytes: 1800 });
    expect(chunks[0]).toBe(`${"甲".repeat(500)}，`);
  });

  test("at most five chunks are produced and the last one says the answer was shortened", () => {
    const chunks = splitForWechat(manySentences(300)); // ≈ 25 KB
    expect(chunks).toHaveLength(DEFAULT_MAX_CHUNKS);
    const last = chunks[DEFAULT_MAX_CHUNKS - 1] ?? "";
    expect(last.endsWith(TRUNCATION_NOTICE)).toBe(true);
    for (const c of chunks) expect(utf8Bytes(c)).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
    // The kept text before the notice still ends at a sentence boundary.
    expect(last.slice(0, -TRUNCATION_NOTICE.length).trimEnd().endsWith("。")).toBe(true);
  });

  test("text that fits exactly in the maximum number of chunks gets no notice", () => {
    const text = manySentences(300);
    const all = splitForWechat(text, { maxChunks: 1000 });
    const fitting = splitForWechat(all.slice(0, 3).join(""), { maxChunks: 3 });
    expect(fitting).toHaveLength(3);
    expect(fitting.some((c) => c.includes(TRUNCATION_NOTICE))).toBe(false);
  });

  test("a one-chunk limit still carries the notice within the byte limit", () => {
    const chunks = splitForWechat("资".repeat(3000), { maxChunks: 1, maxBytes: 600 });
    expect(chunks).toHaveLength(1);
    expect(utf8Bytes(chunks[0] ?? "")).toBeLessThanOrEqual(600);
    expect(chunks[0]?.endsWith(TRUNCATION_NOTICE)).toBe(true);
  });

  test("the notice can be replaced", () => {
    const chunks = splitForWechat(manySentences(300), { maxChunks: 2, notice: "(略)" });
    expect(chunks[1]?.endsWith("(略)")).toBe(true);
  });

  test("limits too small for the notice are refused", () => {
    expect(() => splitForWechat("x", { maxBytes: 10 })).toThrow(RangeError);
    expect(() => splitForWechat("x", { maxChunks: 0 })).toThrow(RangeError);
  });

  test("markdown is stripped before splitting", () => {
    const chunks = prepareWechatText("## 材料\n\n- **户口本**\n- [学籍证明](https://x.cn)\n");
    expect(chunks).toEqual(["材料\n\n· 户口本\n· 学籍证明"]);
  });
});

describe("splitting very long input", () => {
  // How long these take is measured by `npm run bench -- parsers`, not asserted here (no wall-clock limits in tests).
  test("a 200 000-character answer without punctuation is split to the caps", () => {
    const chunks = splitForWechat("资助政策说明".repeat(34_000));
    expect(chunks).toHaveLength(DEFAULT_MAX_CHUNKS);
    for (const c of chunks) expect(utf8Bytes(c)).toBeLessThanOrEqual(DEFAULT_MAX_BYTES);
  });

  test("hostile markdown lines are stripped to no more than they were, the letters kept", () => {
    for (const line of ["**a ".repeat(5000), "[".repeat(20000), "![".repeat(10000), "*a".repeat(10000)]) {
      const out = stripMarkdown(line);
      expect(out.length).toBeLessThanOrEqual(line.length);
      expect(out.split("a").length).toBe(line.split("a").length);
    }
  });

  test("a NUL character in the input cannot collide with the code-block placeholders", () => {
    expect(stripMarkdown("a\u00000\u0000b\n```\ncode\n```")).toBe("a0b\ncode");
  });

  test("a hard split across the segmentation window keeps emoji sequences whole", () => {
    const long = "a👨‍👩‍👧".repeat(3000); // clusters straddle every internal window edge
    const chunks = splitForWechat(long, { maxChunks: 1000 });
    expect(chunks.join("")).toBe(long);
    for (const c of chunks) expect(c.startsWith("a") || c.startsWith("👨‍👩‍👧")).toBe(true);
    for (const c of chunks) expect(c.endsWith("👧") || c.endsWith("a")).toBe(true);
  });
});
