/**
 * `npm run bench -- parsers`: hostile inputs to the WeChat XML parser and the reply splitter, timed here instead of in
 * the tests (which keep only what must happen: refused, never expanded, split to the caps). Each input is run 5 times
 * and the median printed beside a reference: the same size of plain input, so the ratio shows whether the hostile
 * shape costs more than its length.
 */
import { performance } from "node:perf_hooks";
import { MAX_XML_BYTES, parseWechatXml } from "../../core/channels/wechat/xml.js";
import { splitForWechat, stripMarkdown } from "../../core/channels/wechat/split.js";

interface ParserFigure {
  name: string;
  ms: number;
  referenceMs: number;
  /** What the tests used to assert as a wall-clock limit, for comparison. */
  formerLimitMs: number;
}

function median(run: () => void, times = 5): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    try {
      run();
    } catch {
      // refused: what these inputs must get
    }
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

const plainXml = (size: number) => `<xml><Content>${"a".repeat(Math.max(0, size - 40))}</Content></xml>`;

export function benchParsers(): ParserFigure[] {
  const laughs = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ""};`.repeat(10)}">`);
  const billion = `<?xml version="1.0"?><!DOCTYPE lolz [${laughs.join("")}]><xml><Content>&lol9;</Content></xml>`;
  const entity = `<!ENTITY a "${"&b;".repeat(1000)}">`;
  let padded = '<?xml version="1.0"?><!DOCTYPE xml [';
  while (padded.length + entity.length < MAX_XML_BYTES - 100) padded += entity;
  padded += "]><xml><A>&a;</A></xml>";
  const markup = [
    "<".repeat(60_000),
    `<xml>${"<a>".repeat(15_000)}</xml>`,
    `<xml><A>${"&amp;".repeat(12_000)}</A></xml>`,
    `<xml>${"<A>1</A>".repeat(8_000)}</xml>`,
    "<![CDATA[".repeat(6_000),
  ];
  const figures: ParserFigure[] = [
    {
      name: "XML: billion laughs (refused)",
      ms: median(() => parseWechatXml(billion)),
      referenceMs: median(() => parseWechatXml(plainXml(billion.length))),
      formerLimitMs: 100,
    },
    {
      name: "XML: entities padded to the size cap (refused)",
      ms: median(() => parseWechatXml(padded)),
      referenceMs: median(() => parseWechatXml(plainXml(padded.length))),
      formerLimitMs: 100,
    },
    ...markup.map((doc, i) => ({
      name: `XML: 60 KB of hostile markup #${i + 1}`,
      ms: median(() => parseWechatXml(doc)),
      referenceMs: median(() => parseWechatXml(plainXml(doc.length))),
      formerLimitMs: 250,
    })),
    {
      name: "split: 200,000 characters, no punctuation",
      ms: median(() => splitForWechat("资助政策说明".repeat(34_000))),
      referenceMs: median(() => splitForWechat("资助政策说明。".repeat(29_000))),
      formerLimitMs: 3000,
    },
    ...["**a ".repeat(5000), "[".repeat(20000), "![".repeat(10000), "*a".repeat(10000)].map((line, i) => ({
      name: `markdown: hostile line #${i + 1} (${line.length} chars)`,
      ms: median(() => stripMarkdown(line)),
      referenceMs: median(() => stripMarkdown("a".repeat(line.length))),
      formerLimitMs: 1500,
    })),
  ];
  return figures;
}

export function printParsers(figures: ParserFigure[], load: string) {
  console.log(`\n## Parsers on hostile input (median of 5; ${load})`);
  console.log(
    `${"input".padEnd(48)} ${"ms".padStart(8)} ${"plain ms".padStart(9)} ${"ratio".padStart(6)}  former test limit`,
  );
  for (const f of figures)
    console.log(
      `${f.name.padEnd(48)} ${f.ms.toFixed(2).padStart(8)} ${f.referenceMs.toFixed(2).padStart(9)} ${(f.ms / Math.max(f.referenceMs, 0.01)).toFixed(1).padStart(6)}  < ${f.formerLimitMs} ms`,
    );
}
