/**
 * Uploaded files as text. Files saved by Excel on Chinese Windows are often GB18030 rather than UTF-8: decode as
 * UTF-8 strictly first and fall back to GB18030, so a bureau's export is read as it is instead of refused. The
 * CSV itself is read by core/staff/csv.ts.
 */
export function decodeUpload(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("gb18030").decode(bytes);
  }
  return text.replace(/^\uFEFF/, "");
}
