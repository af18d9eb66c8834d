// Where the installed product lives (package.json, docs/, schemas/ beside dist/), for the language
// server and the CLI alike.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder holding package.json (and docs/, schemas/): dist/.. when bundled, the repository in out/. */
export function productRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'docs'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..');
}

/** The product's version from its package.json ('0.0.0' when it cannot be read). */
export function productVersion(root = productRoot()): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
