// Inputs the fuzzer found, reduced to their shape: each crashed, overflowed the stack or took minutes in
// the core before it was fixed. They run with the fuzz suite (npm run test:fuzz).

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { AnalysisInput } from '../../server/src/core/types';
import { checkInput } from './check';

const CHECK = { boundMs: 10_000, maxRepairs: 5 };

function assertRefusedAsTooDeep(input: AnalysisInput): void {
  const outcome = checkInput(input, CHECK);
  assert.deepEqual(outcome.problems, []);
  const syntax = analyze(input).findings.filter((f) => f.ruleId === 'yaml/syntax');
  assert.match(syntax[0]?.message ?? '', /^nested too deeply: \d+ levels/);
}

function assertRefusedAsTooManyMarks(input: AnalysisInput): void {
  const outcome = checkInput(input, CHECK);
  assert.deepEqual(outcome.problems, []);
  const syntax = analyze(input).findings.filter((f) => f.ruleId === 'yaml/syntax');
  assert.match(syntax[0]?.message ?? '', /^too many anchors, aliases, tags and flow brackets: [\d,]+, more than the/);
}

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    command: -H unix:///var/run/docker.sock\n';

describe('fuzz regressions', () => {
  it('NGINX-like `a {` / `}` lines in a YAML file, a syntax error on every line (over 120 s before the marks budget)', () => {
    assertRefusedAsTooManyMarks({ text: `${COMPOSE}${'a {\n'.repeat(120_000)}${'}\n'.repeat(120_000)}`, path: '/srv/app/docker-compose.yml', kind: 'compose' });
  });

  it('an 800 KB line of `&a ` (73 s before)', () => {
    assertRefusedAsTooManyMarks({ text: `${COMPOSE}${'&a '.repeat(266_000)}\n    ports:\n      - "9000:9000"\n`, path: '/srv/app/docker-compose.yml', kind: 'compose' });
  });

  it('a line of `k: v, k: v, …` (each key after the first opens a block map in the parser)', () => {
    assertRefusedAsTooDeep({ text: `image:\n  tls: []${'k: v, '.repeat(3000)}\n`, path: '/repo/values.yaml', kind: 'helm-values' });
  });

  it('a compact `- - - …` chain at column 0 after a JSON document the scan still thought open', () => {
    assertRefusedAsTooDeep({ text: `{\n  "a": {\n    "b": "c",\nk:\n${'- '.repeat(5000)}x\n`, path: '/repo/values.schema.json', kind: 'helm-values' });
  });

  it('a `${VAR` opening a plain scalar, followed by a chain of keys (a brace in a plain scalar opens no flow map)', () => {
    const text = `services:\n  web:\n    image: nginx:1.27\n    environment:\n      CERT: \${CERT${'x: '.repeat(3000)}T}\n`;
    assertRefusedAsTooDeep({ text, path: '/srv/app/docker-compose.yml', kind: 'compose' });
  });

  it('a chain of keys at column 0 inside a JSON document (the parser leaves a flow map indented too little)', () => {
    assertRefusedAsTooDeep({ text: `{\n  "a": {\n    "b": 1,\n${'x: '.repeat(3000)}\n    "c": 2\n  }\n}\n`, path: '/repo/values.schema.json', kind: 'helm-values' });
  });

  it('a chain of keys inside a flow map, `{a: x: x: …}` (each key after the first in one entry nests the parser a level deeper)', () => {
    assertRefusedAsTooDeep({ text: `controller:\n  readinessProbe: {a: ${'x: '.repeat(90_000)}enabled: true}\n`, path: '/repo/values.yaml', kind: 'helm-values' });
  });

  it('still reads real keys with `${VAR}` values and short key chains as before', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27\n    environment:\n      URL: ${BASE}/x: y\n      A: b: c\n';
    const result = analyze({ text, path: '/srv/app/docker-compose.yml', kind: 'compose' });
    assert.ok(!result.findings.some((f) => /nested too deeply/.test(f.message)));
  });

  it('two byte-order marks: a fix adding a top-level key writes it at column 0 (it took the second mark for indentation)', () => {
    const text = '\uFEFF\uFEFFservices:\n  web:\n    image: nginx:1.27\n    volumes:\n      - "/etc/pihole/:/etc/pihole/"\n';
    const input: AnalysisInput = { text, path: '/srv/app/docker-compose.yml', kind: 'compose' };
    const fix = analyze(input).findings.flatMap((f) => f.fixes).find((x) => /named volume/.test(x.title));
    assert.ok(fix, 'the named-volume repair is offered');
    const outcome = checkInput(input, { ...CHECK, maxRepairs: 100 });
    assert.deepEqual(outcome.problems, []);
    assert.equal(outcome.repairsBreakingSyntax, 0, outcome.breakingRepairs.join('\n'));
  });

  it('an escaped CR (\\r) in a quoted bind-mount path: the config the fix declares quotes the path (written plain, the CR broke the line)', () => {
    const text = 'services:\n  web:\n    image: portainer/portainer-ce:2.21\n    volumes:\n      - "/va\\r/run/docker.sock:/var/run/docker.sock"\n      - "data:/data"\nvolumes:\n  data:\n';
    const input: AnalysisInput = { text, path: '/srv/app/compose.yaml', kind: 'compose' };
    const fix = analyze(input).findings.flatMap((f) => f.fixes).find((x) => /^Ship /.test(x.title));
    assert.ok(fix, 'the config repair is offered');
    const outcome = checkInput(input, { ...CHECK, maxRepairs: 100 });
    assert.deepEqual(outcome.problems, []);
    assert.equal(outcome.repairsBreakingSyntax, 0, outcome.breakingRepairs.join('\n'));
  });

  it('a map whose first key follows an anchor on its line: an added entry starts at the anchor, not at the key', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27.3\n    deploy:\n     &d  replicas: 2\n  api:\n    image: myorg/api:1.0.0\n';
    const input: AnalysisInput = { text, path: '/srv/app/docker-stack.yml', kind: 'swarm-stack' };
    const web = analyze(input).findings.filter((f) => f.span.start < text.indexOf('  api:'));
    const fix = web.flatMap((f) => f.fixes).find((x) => /^Add placement constraint/.test(x.title));
    assert.ok(fix, 'the placement repair is offered for web');
    const outcome = checkInput(input, { ...CHECK, maxRepairs: 100 });
    assert.deepEqual(outcome.problems, []);
    assert.equal(outcome.repairsBreakingSyntax, 0, outcome.breakingRepairs.join('\n'));
  });

  it('an explicit key (`? `) starting a map: no fix adds a plain entry beside it (written at its column, it broke the file)', () => {
    for (const text of [
      'services:\n  web:\n   ?  image: alpine\n    build: .\n',
      'services:\n  web:\n    image: myorg/web:1.0.0\n    deploy:\n      ? replicas: 3\n',
    ]) {
      const input = { text, path: '/srv/app/docker-stack.yml' };
      const outcome = checkInput(input, { ...CHECK, maxRepairs: 50 });
      assert.deepEqual(outcome.problems, []);
      assert.deepEqual(outcome.breakingRepairs, [], text);
    }
  });

  it('haproxy/weak-tls on a section of 200,000 directives (it spread every directive into push(...))', () => {
    const text = `global\n${'    tune.ssl.default-dh-param 2048\n'.repeat(200_000)}`;
    assert.deepEqual(checkInput({ text, path: '/etc/haproxy/haproxy.cfg', kind: 'haproxy' }, CHECK).problems, []);
  });
});
