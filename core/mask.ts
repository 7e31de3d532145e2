/**
 * Masking for anything shown to families or staff lists. Full values never
 * leave the records layer in a reply.
 */

/** 张小明 → 张*明, 李四 → 李*, 欧阳娜娜 → 欧**娜 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Keep the last four: 13800001234 → 尾号1234 style callers add the words; here ******1234. */
export function maskTail(value: string, keep = 4): string {
  const s = value.replace(/\s+/g, "");
  if (s.length <= keep) return "*".repeat(s.length);
  return "*".repeat(Math.min(6, s.length - keep)) + s.slice(-keep);
}

/** 学籍号 G510101200901011234 → G51**********1234 */
export function maskStudentNo(no: string): string {
  const s = no.trim();
  if (s.length <= 7) return "*".repeat(s.length);
  return s.slice(0, 3) + "*".repeat(s.length - 7) + s.slice(-4);
}

/** Last four digits of a phone number; never the rest. */
export function phoneLast4(phone: string): string {
  return phone.replace(/\D/g, "").slice(-4);
}

/** True when a text contains something shaped like an unmasked phone, ID number, 学籍号 or account. */
export function containsUnmaskedPersonalData(raw: string): boolean {
  // "138 0000 1234", "4101-0120-1501-0100": digits split by spaces or dashes are read as one number.
  const text = raw.replace(/(?<=\d)[ \u3000-]+(?=\d)/g, "");
  return (
    /(?<!\d)1[3-9]\d{9}(?!\d)/.test(text) ||
    /(?<!\d)\d{17}[\dXx](?!\d)/.test(text) ||
    /[GLJ]\d{17}[\dXx]/i.test(text) ||
    /(?<!\d)\d{16,19}(?!\d)/.test(text)
  );
}
