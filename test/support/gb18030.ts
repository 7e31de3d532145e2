/** GB18030 (two-byte part) encoding for test files, built from Node's own decoder: no extra dependency. */
let table: Map<string, number[]> | undefined;

function build(): Map<string, number[]> {
  const map = new Map<string, number[]>();
  const dec = new TextDecoder("gb18030");
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([a, b]));
      if (ch.length === 1 && ch !== "\uFFFD" && !map.has(ch)) map.set(ch, [a, b]);
    }
  }
  return map;
}

export function encodeGb18030(text: string): Uint8Array {
  table ??= build();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no two-byte GB18030 code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
