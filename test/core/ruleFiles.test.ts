// Where a rule lives (docs/CONTRIBUTING.md, "Adding a rule"): rule `<namespace>/<name>` is the one rule
// of server/src/core/<namespace>/rules/<name>.ts, so a diagnostic code leads to its file without a search.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allRuleMetas } from '../../server/src/core/catalog';
import { REPO } from './harness';

const CORE = path.join(REPO, 'server/src/core');

/** The rule ids a file declares (`id: 'compose/http-only'` in a rule's meta). */
function declaredIds(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/^\s*id: '([a-z]+\/[a-z0-9-]+)',$/gm)].map((m) => m[1]);
}

describe('rule files', () => {
  for (const meta of allRuleMetas()) {
    const [namespace, name] = meta.id.split('/');
    it(`${meta.id} is declared in server/src/core/${namespace}/rules/${name}.ts`, () => {
      const file = path.join(CORE, namespace, 'rules', `${name}.ts`);
      assert.ok(fs.existsSync(file), `missing ${path.relative(REPO, file)}`);
      assert.deepEqual(declaredIds(file), [meta.id]);
    });
  }

  it('holds one registered rule per file in every rules folder, named for its id', () => {
    const registered = new Set(allRuleMetas().map((m) => m.id));
    for (const namespace of fs.readdirSync(CORE)) {
      const dir = path.join(CORE, namespace, 'rules');
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir)) {
        const id = `${namespace}/${name.replace(/\.ts$/, '')}`;
        assert.ok(registered.has(id), `${path.relative(REPO, path.join(dir, name))} is not the file of a registered rule`);
      }
    }
  });
});
