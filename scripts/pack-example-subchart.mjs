// Packs scripts/example-subchart/postgresql into examples/environments/shop/charts/postgresql-12.1.0.tgz,
// as `helm package` would lay it out, byte for byte the same on every run (fixed times, owners and
// modes; sorted entries) so the checked-in archive only changes when its files do.
//
//   node scripts/pack-example-subchart.mjs

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'scripts/example-subchart/postgresql');
const TARGET = path.join(ROOT, 'examples/environments/shop/charts/postgresql-12.1.0.tgz');

/** One ustar header block: name, mode 0644, owner 0, size, mtime 0, regular file. */
function header(name, size) {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write('0', 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

const blocks = [];
for (const name of fs.readdirSync(SOURCE).sort()) {
  const data = fs.readFileSync(path.join(SOURCE, name));
  blocks.push(header(`postgresql/${name}`, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
}
blocks.push(Buffer.alloc(1024));
// gzip with no name and mtime 0 in its header (zlib writes both so): the same bytes on every run.
fs.writeFileSync(TARGET, zlib.gzipSync(Buffer.concat(blocks), { level: 9 }));
console.log(`wrote ${path.relative(ROOT, TARGET)}`);
