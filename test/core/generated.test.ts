// The README's rule tables, the rule pages' headers and the rule settings in package.json are generated
// from the rule metadata: a rule whose metadata changed, or a hand edit of a generated part, fails here.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { firstDifference, generatedFiles } from '../../scripts/generated';
import { REPO } from './harness';

const GENERATE = path.join(REPO, 'out/scripts/generate.js');

function read(root: string, file: string): string | undefined {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
}

describe('generated files', () => {
  for (const file of generatedFiles()) {
    it(`${file.path} is what the rule metadata generates`, () => {
      const current = read(REPO, file.path);
      const expected = file.render(current);
      assert.ok(current === expected, `${file.path} is stale: run \`npm run generate\` (${firstDifference(current, expected)})`);
    });
  }

  it('--check exits 1 on a stale copy, names the stale file and writes nothing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-generate-'));
    try {
      // A copy as the generator would write it, so this test is about --check, not about the repository.
      for (const file of generatedFiles()) {
        fs.mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
        fs.writeFileSync(path.join(root, file.path), file.render(read(REPO, file.path)));
      }
      const fresh = spawnSync(process.execPath, [GENERATE, '--check', '--root', root], { encoding: 'utf8' });
      assert.equal(fresh.status, 0, fresh.stdout + fresh.stderr);

      const readme = path.join(root, 'README.md');
      const edited = fs.readFileSync(readme, 'utf8').replace('| warning | yes |', '| error | yes |');
      fs.writeFileSync(readme, edited);
      const stale = spawnSync(process.execPath, [GENERATE, '--check', '--root', root], { encoding: 'utf8' });
      assert.equal(stale.status, 1, stale.stdout + stale.stderr);
      assert.match(stale.stdout, /README\.md/);
      assert.match(stale.stdout, /npm run generate/);
      assert.equal(fs.readFileSync(readme, 'utf8'), edited, '--check does not write');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
