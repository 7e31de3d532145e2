/**
 * One spelling per grade and class, so that a notice to 五年级 2班 reaches the pupils a school imported as `5` / `2`
 * or `五年级` / `(2)班`. Students are stored under the canonical form (it is part of the class index key), and every
 * audience or filter is read through the same functions before it is compared.
 *
 * Canonical forms: 小班 / 中班 / 大班 (and 托班) in kindergartens; 一年级 … 九年级 for the nine compulsory years
 * (初一 = 七年级, as the national 学籍 system writes it); 高一 / 高二 / 高三 at a 普通高中; classes as `2班`.
 * Anything not recognised (火箭班, 实验班, 幼小衔接) is kept as the school wrote it, trimmed.
 */

const NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"] as const;

/** School kinds as core/schools declares them (kept as a string union here so students need not import schools). */
export type SchoolKindForGrade =
  | "kindergarten"
  | "primary"
  | "junior"
  | "senior"
  | "vocational"
  | "nine_year"
  | "special";

/** "2", "02", "二", "十二" → 2; undefined when it is not a plain number. */
function numberOf(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (/^十[一二三四五六七八九]?$/.test(text))
    return 10 + (text.length === 2 ? NUMERALS.indexOf(text[1] as never) + 1 : 0);
  const at = NUMERALS.indexOf(text as never);
  return at >= 0 ? at + 1 : undefined;
}

function zh(n: number): string {
  if (n <= 10) return NUMERALS[n - 1]!;
  return n < 20 ? `十${NUMERALS[n - 11]}` : String(n);
}

const compulsory = (year: number) => `${zh(year)}年级`;
const senior = (year: number) => `高${zh(year)}`;

/** Spaces (half and full width) and brackets around a number go; full-width digits become ASCII. */
function tidy(raw: string): string {
  return raw
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/[()（）]/g, "");
}

/**
 * The canonical grade. `kind` (the school's kind) decides what a bare number means: `1` is 七年级 at an 初中, 高一 at a
 * 普通高中, 一年级 elsewhere. Without a kind, a bare number is read as the year of the compulsory grades.
 */
export function canonicalGrade(raw: string, kind?: SchoolKindForGrade): string {
  const g = tidy(raw);
  if (/^(托|小|中|大)班$/.test(g)) return g;
  let m = /^(小学|小)(.{1,2}?)(年级)?$/.exec(g);
  if (m && numberOf(m[2]!) !== undefined && numberOf(m[2]!)! <= 6) return compulsory(numberOf(m[2]!)!);
  m = /^(初中|初)(.{1,2}?)(年级)?$/.exec(g);
  if (m && numberOf(m[2]!) !== undefined && numberOf(m[2]!)! <= 3) return compulsory(numberOf(m[2]!)! + 6);
  m = /^(高中|高)(.{1,2}?)(年级)?$/.exec(g);
  if (m && numberOf(m[2]!) !== undefined && numberOf(m[2]!)! <= 3) return senior(numberOf(m[2]!)!);
  m = /^(.{1,2}?)(年级|级)?$/.exec(g);
  const n = m ? numberOf(m[1]!) : undefined;
  if (n === undefined || n < 1) return g || raw.trim();
  if (kind === "junior" && n <= 3 && !m![2]) return compulsory(n + 6);
  if (kind === "senior" && n <= 3) return senior(n);
  if (kind === "senior" && n >= 10 && n <= 12) return senior(n - 9);
  if (n <= 9) return compulsory(n);
  return g;
}

/** The canonical class: `2`, `02`, `(2)班`, `二班`, `2 班` → `2班`; a named class stays as written. */
export function canonicalClass(raw: string): string {
  const c = tidy(raw);
  const m = /^(.{1,3}?)班?$/.exec(c);
  const n = m ? numberOf(m[1]!) : undefined;
  return n !== undefined && n >= 1 ? `${n}班` : c || raw.trim();
}

/** Sort rank of a canonical (or raw) grade: kindergarten first, then the years in order, then anything else. */
export function gradeRank(grade: string): number {
  const g = canonicalGrade(grade);
  const kinder = ["托班", "小班", "中班", "大班"].indexOf(g);
  if (kinder >= 0) return kinder - 4;
  let m = /^(.{1,2})年级$/.exec(g);
  if (m && numberOf(m[1]!) !== undefined) return numberOf(m[1]!)!;
  m = /^高(.)$/.exec(g);
  if (m && numberOf(m[1]!) !== undefined) return 9 + numberOf(m[1]!)!;
  return 1000;
}

/** Sort rank of a class: its number, named classes after. */
export function classRank(klass: string): number {
  const m = /^(\d+)班$/.exec(canonicalClass(klass));
  return m ? Number(m[1]) : 1000;
}
