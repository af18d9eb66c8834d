// Which YAML files are compose files when their name says nothing: fragments that only extend
// services of another file, or only include other compose files, are compose files too.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { sniffCompose } from '../../server/src/core/compose/model';

describe('compose detection', () => {
  it('recognises a fragment whose services are only extended from another file', () => {
    const text = 'services:\n  api:\n    extends:\n      file: ../base/services.yml\n      service: api\n';
    assert.ok(sniffCompose(text, '/srv/shop/api.yml'));
    assert.equal(analyze({ text, path: '/srv/shop/api.yml' }).kind, 'compose');
  });

  it('recognises a file that only includes other compose files', () => {
    for (const text of [
      'include:\n  - ./db/compose.yaml\n  - ./cache/compose.yaml\n',
      'include:\n  - path: ../commons/database.yml\n    env_file: ../commons/.env\n',
      "include: ['./db/compose.yaml']\n",
      'include:   # the parts of the stack\n  - "./web/app.yml"   # front end\n',
    ]) {
      assert.ok(sniffCompose(text, '/srv/shop/all.yml'), text);
      assert.equal(analyze({ text, path: '/srv/shop/all.yml' }).kind, 'compose', text);
    }
  });

  it('leaves other YAML alone: an include of non-YAML files, a services map without service keys', () => {
    assert.ok(!sniffCompose('include:\n  - "*.md"\n  - docs/\n', '/x/mkdocs.yml'));
    assert.ok(!sniffCompose('services:\n  api:\n    port: 8080\n', '/x/values.yml'));
    assert.ok(!sniffCompose('include:\n  - ./db/compose.yaml\n', '/x/notes.txt'));
  });
});
