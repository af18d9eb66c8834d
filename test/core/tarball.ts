// Packaged charts for tests and benchmarks, written in memory (so no binary is checked in).

import * as zlib from 'node:zlib';

// A tar writer for test fixtures only (ustar headers, optional PAX long names), so no binary is checked in.
export function tar(entries: { path: string; text: string; type?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string) => {
    const h = Buffer.alloc(512);
    h.write(name.slice(0, 100), 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write(type, 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    h.fill(32, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    return h;
  };
  const body = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
  for (const e of entries) {
    const data = Buffer.from(e.text, 'utf8');
    if (e.path.length > 100) {
      const record = ` path=${e.path}\n`;
      const pax = Buffer.from(`${record.length + String(record.length + 2).length}${record}`);
      blocks.push(header('PaxHeader', pax.length, 'x'), body(pax));
    }
    blocks.push(header(e.path, data.length, e.type ?? '0'), body(data));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function tgz(entries: { path: string; text: string; type?: string }[]): Uint8Array {
  return zlib.gzipSync(tar(entries));
}
