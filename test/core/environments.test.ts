// Environments in analyze(): what a file's findings become when it is part of a production
// environment (issue 9). The layouts are test/fixtures/env (see its README).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';

describe('the Compose merge tags in a single file', () => {
  it('reads !reset and !override as valid YAML: no yaml/syntax finding', () => {
    const text = 'services:\n  web:\n    image: web:1.2.3\n    ports: !reset []\n    volumes: !reset null\n    command: !override ["serve"]\n    deploy: !override\n      replicas: 2\n';
    const result = analyze({ text, path: '/repo/docker-compose.prod.yml', kind: 'compose' });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'yaml/syntax'), []);
  });
});
