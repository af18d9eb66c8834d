// `npm run generate`: rewrites the parts of README.md, the rule pages and package.json that are rendered
// from the rule metadata (scripts/generated.ts says which). Options:
//   --check      write nothing; list the stale files and exit 1 when there are any
//   --root DIR   work on another copy of the repository (the test checks a stale temporary copy)

import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstDifference, generatedFiles } from './generated';

const USAGE = 'usage: node out/scripts/generate.js [--check] [--root DIR]';

function main(args: string[]): number {
  let check = false;
  let root = path.resolve(__dirname, '../..');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--check') check = true;
    else if (args[i] === '--root' && i + 1 < args.length) root = path.resolve(args[++i]);
    else {
      console.error(USAGE);
      return 2;
    }
  }

  const stale: string[] = [];
  const failed: string[] = [];
  for (const file of generatedFiles()) {
    const full = path.join(root, file.path);
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    let expected: string;
    try {
      expected = file.render(current);
    } catch (e) {
      failed.push(`${file.path}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (expected === current) continue;
    if (check) {
      stale.push(`${file.path} (${firstDifference(current, expected)})`);
    } else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, expected);
      stale.push(file.path);
    }
  }

  for (const f of failed) console.error(`cannot generate ${f}`);
  const list = stale.map((s) => `\n  ${s}`).join('');
  if (!stale.length && !failed.length) console.log('every generated file is up to date');
  else if (stale.length) console.log(check ? `stale, run \`npm run generate\`:${list}` : `wrote:${list}`);
  return failed.length || (check && stale.length) ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
