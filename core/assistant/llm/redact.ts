/**
 * Personal numbers never leave for the model provider: the user's message, the remembered exchanges and every
 * tool result are redacted before they are sent — mobile phones, ID numbers, 学籍号 and bank cards, also typed with
 * spaces or dashes ("138 0000 1234", "6222-0212-3456-7890-123"). Each value becomes a placeholder (〔学籍号1〕), the
 * same value the same placeholder within a turn, so the model can still hand it to a tool (start_binding) and
 * `restore` puts the real value back on our side before the tool runs. Landlines (0833-7654321) and four-digit
 * tails (尾号1234) are left alone: they are the offices' numbers and masked accounts the answers are made of.
 */

type Kind = "学籍号" | "身份证号" | "银行卡号" | "手机号";

// Full-width digits and letters count too (a phone keyboard in full-width mode); the text itself is not rewritten.
const SEP = "[\\s\\-－—_·.]?";
const D = "[0-9０-９]";
const X = "[XxＸｘ]";
const AN = "A-Za-z0-9０-９Ａ-Ｚａ-ｚ";
const PATTERNS: { kind: Kind; re: RegExp }[] = [
  {
    kind: "学籍号",
    re: new RegExp(`(?<![${AN}])[GJLgjlＧＪＬｇｊｌ]${SEP}${D}(?:${SEP}${D}){7,20}(?:${SEP}${X})?(?![${AN}])`, "g"),
  },
  { kind: "身份证号", re: new RegExp(`(?<![${AN}])${D}(?:${SEP}${D}){16}${SEP}(?:${D}|${X})(?![${AN}])`, "g") },
  { kind: "银行卡号", re: new RegExp(`(?<![${AN}])${D}(?:${SEP}${D}){15,18}(?![${AN}])`, "g") },
  {
    kind: "手机号",
    re: new RegExp(`(?<![${AN}])(?:[+＋]?(?:86|８６)${SEP})?[1１]${SEP}[3-9３-９](?:${SEP}${D}){9}(?![${AN}])`, "g"),
  },
];

export const PLACEHOLDER = /〔(学籍号|身份证号|银行卡号|手机号)\d+〕/g;

export interface Redactor {
  /** The text with every personal number replaced by its placeholder. */
  redact(text: string): string;
  /** Placeholders back to the values they stand for (for tool arguments, on our side only). */
  restore(text: string): string;
}

export function createRedactor(): Redactor {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counts = new Map<Kind, number>();
  const placeholderFor = (kind: Kind, raw: string) => {
    const value = raw
      .normalize("NFKC")
      .replace(/[\s\-－—_·.]/g, "")
      .toUpperCase();
    let p = byValue.get(value);
    if (!p) {
      const n = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, n);
      p = `〔${kind}${n}〕`;
      byValue.set(value, p);
      byPlaceholder.set(p, value);
    }
    return p;
  };
  return {
    redact(text) {
      let out = text;
      for (const { kind, re } of PATTERNS) out = out.replace(re, (m) => placeholderFor(kind, m));
      return out;
    },
    restore(text) {
      return text.replace(PLACEHOLDER, (p) => byPlaceholder.get(p) ?? p);
    },
  };
}
