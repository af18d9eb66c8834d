// Every registered rule has a documentation page (the diagnostics link to it) and a README row.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allRuleMetas } from '../../server/src/core/analyze';
import { docsPath } from '../../server/src/core/catalog';
import { REPO } from './harness';

describe('rule documentation', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  for (const meta of allRuleMetas()) {
    it(`${meta.id} has ${docsPath(meta.id)} with its id, why, and how to suppress`, () => {
      const file = path.join(REPO, docsPath(meta.id));
      assert.ok(fs.existsSync(file), `missing ${file}`);
      const page = fs.readFileSync(file, 'utf8');
      assert.ok(page.startsWith(`# ${meta.id}`), 'page starts with the rule id as its title');
      assert.match(page, /production/i, 'page explains the production reasoning');
      assert.ok(page.includes(`prodready-disable-next-line ${meta.id}`), 'page shows how to suppress it');
    });
    it(`${meta.id} is listed in the README with a link to its page`, () => {
      assert.ok(readme.includes(`](${docsPath(meta.id)})`), `README has no link to ${docsPath(meta.id)}`);
    });
  }

  it('rule ids are unique and well-formed', () => {
    const ids = allRuleMetas().map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
