// Schema validation of YAML: the YAML → data conversion (merges, aliases, budgets), mapping ajv's errors
// back to the exact key or value, and compose/schema's suggestions, fixes and tolerance of interpolation.
// The rule is called directly, so these tests do not depend on its registration.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { isMap, parseDocument } from 'yaml';
import { resolveSettings } from '../../server/src/core/analyze';
import { prepareCompose } from '../../server/src/core/compose/model';
import { composeSchema } from '../../server/src/core/compose/rules/schema';
import { applyChanges, LineIndex } from '../../server/src/core/text';
import { NO_FILE_ACCESS, Fix, Report } from '../../server/src/core/types';
import { fixesNow } from '../../server/src/core/collect';
import { YamlView } from '../../server/src/core/yaml/nav';
import { locate, pathSegments, schemaReports, uniqueClose, yamlToJs } from '../../server/src/core/yaml/schema';
import { REPO } from './harness';

/** A report with its fixes computed. */
type Checked = Report & { fixes: Fix[] };

function check(text: string, path = '/srv/app/docker-stack.yml'): Checked[] {
  const { ctx } = prepareCompose({ text, path, settings: resolveSettings(), files: NO_FILE_ACCESS }, {});
  const out: Checked[] = [];
  composeSchema.check(ctx, (r) => out.push({ ...r, fixes: fixesNow(r.fixes) }));
  return out;
}

const at = (text: string, r: Report) => text.slice(r.span.start, r.span.end);
const lineOf = (text: string, r: Report) => new LineIndex(text).lineAt(r.span.start);
const fixed = (text: string, r: Checked) => applyChanges(text, r.fixes![0].changes);

function convert(text: string, maxNodes = 1_000_000, maxDepth = 200) {
  const doc = parseDocument(text, { merge: true, uniqueKeys: true });
  return yamlToJs(new YamlView(doc, text), doc.contents, { maxNodes, maxDepth });
}

describe('yamlToJs', () => {
  it('applies merges as the tools do: own keys win, then earlier merges over later ones', () => {
    const r = convert('a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  y: 3\n');
    assert.ok(r.ok);
    assert.deepEqual({ ...(r.value as any).c }, { y: 3, x: 1, z: 2 });
  });

  it('keeps scalar types, nulls and keys such as __proto__ as plain data', () => {
    const r = convert('n: 3\nf: 1.5\nb: true\ns: "3"\ne:\n__proto__: {polluted: true}\n1: one\n');
    assert.ok(r.ok);
    const v = r.value as Record<string, unknown>;
    assert.equal(v.n, 3);
    assert.equal(v.f, 1.5);
    assert.equal(v.b, true);
    assert.equal(v.s, '3');
    assert.equal(v.e, null);
    assert.equal(v['1'], 'one');
    assert.deepEqual({ ...(v['__proto__'] as object) }, { polluted: true });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('converts an anchored node once and shares it between its aliases', () => {
    const r = convert('x: &x {a: [1, 2]}\ny: *x\nz: *x\n');
    assert.ok(r.ok);
    const v = r.value as Record<string, unknown>;
    assert.equal(v.y, v.x);
    assert.equal(v.z, v.x);
  });

  it('stops an alias bomb at the budget instead of expanding it', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    // Expanding this fully would take billions of steps: finishing at all shows the budget is checked
    // while converting, not after.
    const r = convert(levels.join('\n') + '\n', 100_000);
    assert.deepEqual(r, { ok: false, problem: 'aliases' });
  });

  it('detects an anchor that contains an alias to itself', () => {
    assert.deepEqual(convert('a: &a\n  b: *a\n'), { ok: false, problem: 'cycle' });
    assert.deepEqual(convert('a: &a [1, *a]\n'), { ok: false, problem: 'cycle' });
  });

  it('leaves complex keys (a list as a key) out, as they have no text', () => {
    const doc = parseDocument('? [a, b]\n: 1\nplain: 2\n');
    assert.ok(isMap(doc.contents));
    const r = yamlToJs(new YamlView(doc, ''), doc.contents, { maxNodes: 100, maxDepth: 10 });
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.value as object), ['plain']);
  });

  it('gives up on nesting deeper than its limit without overflowing the stack', () => {
    const deep = 'x: ' + '['.repeat(300) + ']'.repeat(300) + '\n';
    assert.deepEqual(convert(deep, 1_000_000, 200), { ok: false, problem: 'depth' });
    assert.ok(convert(deep, 1_000_000, 400).ok);
  });
});

describe('locate', () => {
  it('walks an instancePath through merges and sequences to the key and value nodes', () => {
    const text = 'x: &d\n  ports: [80, {target: 443}]\nservices:\n  web:\n    <<: *d\n';
    const doc = parseDocument(text, { merge: true });
    const view = new YamlView(doc, text);
    const loc = locate(view, doc.contents!, pathSegments('/services/web/ports/1/target'));
    assert.ok(loc.complete);
    assert.ok(loc.inherited, 'ports came from the merge');
    assert.equal(text.slice(loc.key!.range![0], loc.key!.range![1]), 'target');
    assert.equal(text.slice(loc.value!.range![0], loc.value!.range![1]), '443');
    assert.equal(locate(view, doc.contents!, pathSegments('/services/api')).complete, false);
  });

  it('decodes JSON-pointer escapes in keys', () => {
    assert.deepEqual(pathSegments('/labels/a~1b~0c'), ['labels', 'a/b~c']);
    assert.deepEqual(pathSegments(''), []);
  });
});

describe('schemaReports (ajv errors → findings)', () => {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  const validate = ajv.compile({
    type: 'object',
    properties: {
      x: {
        oneOf: [
          { type: 'string', enum: ['a', 'b'] },
          { type: 'object', properties: { t: { type: 'integer' } }, additionalProperties: false },
        ],
      },
      y: { anyOf: [{ $ref: '#/definitions/d' }, { type: 'integer' }] },
    },
    definitions: { d: { type: 'object', required: ['q'] } },
  });

  function reports(text: string): Report[] {
    const doc = parseDocument(text);
    const view = new YamlView(doc, text);
    const r = yamlToJs(view, doc.contents, { maxNodes: 1e6, maxDepth: 100 });
    assert.ok(r.ok);
    validate(r.value);
    return schemaReports(validate.errors, { view, root: doc.contents!, consequence: 'It matters.' });
  }

  it('turns a failed oneOf where nothing fits into one "must be X or Y" at the value', () => {
    const text = 'x: [1, 2]\n';
    const r = reports(text);
    assert.equal(r.length, 1);
    assert.equal(at(text, r[0]), '[1, 2]');
    assert.match(r[0].message, /^x must be text or a mapping, not a list\. It matters\.$/);
  });

  it('reports the errors of the alternative that has the right shape, and only those', () => {
    const text = 'x:\n  t: no\n  u: 1\n';
    const r = reports(text);
    assert.deepEqual(r.map((x) => at(text, x)).sort(), ['no', 'u']);
    assert.ok(!r.some((x) => /must be one of/.test(x.message)), 'the string alternative enum is noise here');
  });

  it('keeps an enum error when the value has that alternative type', () => {
    const text = 'x: c\n';
    const r = reports(text);
    assert.equal(r.length, 1);
    assert.match(r[0].message, /must be one of "a", "b"/);
  });

  it('takes an empty value inside an alternative as satisfied, not as an error', () => {
    assert.deepEqual(reports('x:\n  t:\n'), []);
  });

  it('follows alternatives reached through $ref', () => {
    const text = 'y:\n  z: 1\n';
    const r = reports(text);
    assert.equal(r.length, 1);
    assert.equal(at(text, r[0]), 'y');
    assert.match(r[0].message, /missing the required key "q"/);
  });

  it('suggests only when exactly one candidate is close enough', () => {
    assert.equal(uniqueClose('replica', ['replicas', 'mode']), 'replicas');
    assert.equal(uniqueClose('cpu_percnt', ['cpu_percent', 'cpu_period']), undefined);
    assert.equal(uniqueClose('zzz', ['replicas']), undefined);
  });
});

describe('compose/schema', () => {
  it('points an unknown key at the key itself and renames just that key to the closest valid one', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27.0\n    deploy:\n      replica: 2  # two nodes\n';
    const [r, ...rest] = check(text);
    assert.equal(rest.length, 0);
    assert.equal(at(text, r), 'replica');
    assert.match(r.message, /Unknown key "replica" in services\.web\.deploy \(did you mean "replicas"\?\)/);
    assert.deepEqual(r.fixes![0].changes, [{ start: r.span.start, end: r.span.end, newText: 'replicas' }]);
    assert.equal(fixed(text, r), text.replace('replica:', 'replicas:'));
    assert.deepEqual(check(fixed(text, r)), []);
  });

  it('keeps the quotes of a quoted key when renaming it', () => {
    const text = 'services:\n  web:\n    "hostnme": web\n';
    const [r] = check(text);
    assert.equal(r.fixes![0].changes[0].newText, '"hostname"');
  });

  it('suggests without a fix when the suggested key is already in the map or another key is close too', () => {
    const taken = 'services:\n  web:\n    deploy:\n      replicas: 3\n      replica: 2\n';
    const [a] = check(taken);
    assert.match(a.message, /did you mean "replicas"/);
    assert.deepEqual(a.fixes, []);
    const ambiguous = 'services:\n  web:\n    cpu_percnt: 50\n';
    const [b] = check(ambiguous);
    assert.match(b.message, /did you mean "cpu_percent"/);
    assert.deepEqual(b.fixes, []);
  });

  it('says where a misplaced key belongs', () => {
    const text = 'services:\n  web:\n    image: web:1.0.0\n    replicas: 3\nimage: web:1.0.0\n';
    const r = check(text);
    assert.equal(r.length, 2);
    assert.match(r[0].message, /"replicas" belongs under deploy:/);
    assert.match(r[1].message, /Unknown key "image" at the top level \("image" is a service setting/);
  });

  it('points a wrong type at the value, and a missing required key at its parent key', () => {
    const text = 'services:\n  web:\n    image: web:1.0.0\n    extends: {file: common.yml}\n    deploy:\n      replicas: three\n    ports:\n      - published: 8080\n        protocol: tcp\n';
    const r = check(text);
    assert.deepEqual(r.map((x) => at(text, x)), ['extends', 'three', 'published: 8080']);
    assert.match(r[0].message, /services\.web\.extends is missing the required key "service"/);
    assert.match(r[1].message, /services\.web\.deploy\.replicas must be a whole number, not "three"/);
    assert.match(r[2].message, /services\.web\.ports\[0\] is missing the required key "target"/);
  });

  it('reports a mapping given where a list is expected on its key, not on the whole block', () => {
    const text = 'services:\n  web:\n    image: web:1.0.0\n    ports:\n      http: 80\n';
    const [r] = check(text);
    assert.equal(at(text, r), 'ports');
    assert.match(r.message, /must be a list, not a mapping/);
  });

  it('fixes a misspelt value when one allowed value is close', () => {
    const text = 'services:\n  web:\n    deploy:\n      mode: globl\n      restart_policy: {condition: "on_failure"}\n';
    const r = check(text);
    assert.deepEqual(r.map((x) => x.fixes![0].changes[0].newText), ['global', '"on-failure"']);
  });

  it('accepts variables and the strings compose casts, wherever numbers and booleans are expected', () => {
    const text = [
      'services:',
      '  web:',
      '    image: ${IMAGE:?}',
      '    read_only: "true"',
      '    init: "yes"',
      '    ports: [{target: "8080", published: "${PORT:-80}", mode: "${PORT_MODE}"}]',
      '    healthcheck: {interval: "${HC:-30s}", retries: "3"}',
      '    deploy: {replicas: "${REPLICAS:-2}", mode: $MODE, resources: {limits: {cpus: "0.5"}}}',
      '',
    ].join('\n');
    assert.deepEqual(check(text), []);
    assert.equal(check(text.replace('"3"', '"three"')).length, 1);
  });

  it('reads keys left empty as unset, as in a template', () => {
    assert.deepEqual(check('services:\n  web:\n    image:\n    command:\n    environment:\n  later:\nvolumes:\n  data:\nnetworks:\n'), []);
  });

  it('works on flow style: the rename touches only the key inside the braces', () => {
    const text = 'services: {web: {image: "nginx:1.27.0", deploy: {replica: 2}}}\n';
    const [r] = check(text);
    assert.equal(at(text, r), 'replica');
    assert.equal(fixed(text, r), 'services: {web: {image: "nginx:1.27.0", deploy: {replicas: 2}}}\n');
  });

  it('reports a mistake inside an anchor once, on the anchor, for every service that merges or aliases it', () => {
    const text = 'x-deploy: &deploy\n  replicas: 2\n  restart_polcy: {condition: any}\nservices:\n  a:\n    deploy:\n      <<: *deploy\n  b:\n    deploy: *deploy\n  c:\n    <<: {deploy: *deploy}\n';
    const r = check(text);
    assert.equal(r.length, 1);
    assert.equal(at(text, r[0]), 'restart_polcy');
    assert.match(r[0].message, /merged in from an anchor/);
    assert.equal(fixed(text, r[0]), text.replace('restart_polcy', 'restart_policy'));
  });

  it('checks each document of a multi-document file on its own', () => {
    const text = 'services:\n  a:\n    image: a:1.0.0\n    restat: always\n---\nservices:\n  b:\n    image: b:1.0.0\n    restat: always\n';
    const r = check(text);
    assert.deepEqual(r.map((x) => lineOf(text, x)), [3, 8]);
  });

  it('leaves documents with syntax errors to yaml/syntax', () => {
    assert.deepEqual(check('services:\n  web:\n    image: [a\n    replica: 2\n'), []);
  });

  it('turns an alias bomb into one warning (a full expansion would never finish)', { timeout: 60_000 }, () => {
    const lines = ['x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`x-${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    lines.push('services:', '  web:', '    image: web:1.0.0', '    command: *j');
    const text = lines.join('\n') + '\n';
    const r = check(text);
    assert.equal(r.length, 1);
    assert.equal(r[0].severity, 'warning');
    assert.match(r[0].message, /^Too many aliases/);
    assert.match(r[0].message, /check is skipped/);
    assert.equal(lineOf(text, r[0]), 0);
  });

  it('survives a deeply nested extension without a crash', () => {
    let text = 'services:\n  web:\n    image: web:1.0.0\nx-deep:\n';
    for (let i = 0; i < 400; i++) text += ' '.repeat(2 * i + 2) + `k${i}:\n`;
    const r = check(text);
    assert.ok(r.length <= 1);
    if (r.length) assert.match(r[0].message, /nested too deeply/);
  });

  it('caps the number of findings per document', () => {
    const keys = Array.from({ length: 120 }, (_, i) => `    unknown${i}: 1`).join('\n');
    const r = check(`services:\n  web:\n${keys}\n`);
    assert.equal(r.length, 51);
    assert.equal(r[50].severity, 'information');
    assert.match(r[50].message, /^70 more schema problems/);
  });

  it('accepts a file that uses the Compose format broadly', () => {
    const text = fs.readFileSync(path.join(REPO, 'test/fixtures/rules/compose/schema.kitchen-sink.yml'), 'utf8');
    assert.deepEqual(check(text).map((r) => `${lineOf(text, r) + 1}: ${r.message}`), []);
  });
});

describe('compose/schema unknown keys', () => {
  it('prefers the rename only for a one-keystroke slip or a case/dash/underscore variant', () => {
    for (const [typed, known] of [['hostnme', 'hostname'], ['restrat', 'restart'], ['cpuShares', 'cpu_shares'], ['stop-signal', 'stop_signal']]) {
      const text = `services:\n  web:\n    image: web:1.0.0\n    ${typed}: x\n`;
      const [r] = check(text);
      assert.equal(r.fixes![0].preferred, true, typed);
      assert.equal(r.fixes![0].changes[0].newText, known, typed);
      assert.doesNotMatch(r.message, /may be newer/, typed);
    }
  });

  it('offers a farther rename without preferring it, and says the key may be newer than the bundled schema', () => {
    const text = 'services:\n  web:\n    image: web:1.0.0\n    workin_dr: /srv\n';
    const [r] = check(text);
    assert.match(r.message, /did you mean "working_dir"/);
    assert.match(r.message, /may be newer than prodready's bundled Compose schema \(the Compose Specification as of \d{4}-\d{2}-\d{2}\)/);
    assert.equal(r.fixes![0].preferred, false);
    const [far] = check('services:\n  web:\n    image: web:1.0.0\n    post_launch_hooks: []\n');
    assert.match(far.message, /may be newer/);
    assert.deepEqual(far.fixes, []);
  });
});

describe('schemas/compose.schema.json', () => {
  it('records which Compose Specification it follows', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/compose.schema.json'), 'utf8'));
    assert.match(schema.$comment, /compose-spec\/compose-spec/);
    assert.match(schema.$comment, /Specification as of \d{4}-\d{2}-\d{2}/);
  });

  it('knows every key of the current Compose Specification\'s service and build definitions', () => {
    // The service keys of the Compose Specification (schema/compose-spec.json, and the specification
    // text for pre_start and build.no_cache_filter), as of the date the schema records.
    const serviceKeys = [
      'annotations', 'attach', 'blkio_config', 'build', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent', 'command', 'configs',
      'container_name', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_shares',
      'cpus', 'cpuset', 'credential_spec', 'depends_on', 'deploy', 'develop', 'device_cgroup_rules', 'devices', 'dns', 'dns_opt',
      'dns_search', 'domainname', 'entrypoint', 'env_file', 'environment', 'expose', 'extends', 'external_links', 'extra_hosts',
      'gpus', 'group_add', 'healthcheck', 'hostname', 'image', 'init', 'ipc', 'isolation', 'label_file', 'labels', 'links',
      'logging', 'mac_address', 'mem_limit', 'mem_reservation', 'mem_swappiness', 'memswap_limit', 'models', 'network_mode',
      'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'post_start', 'pre_start',
      'pre_stop', 'privileged', 'profiles', 'provider', 'pull_policy', 'pull_refresh_after', 'read_only', 'restart', 'runtime',
      'scale', 'secrets', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls',
      'tmpfs', 'tty', 'ulimits', 'use_api_socket', 'user', 'userns_mode', 'uts', 'volumes', 'volumes_from', 'working_dir',
    ];
    const buildKeys = [
      'additional_contexts', 'args', 'cache_from', 'cache_to', 'context', 'dockerfile', 'dockerfile_inline', 'entitlements',
      'extra_hosts', 'isolation', 'labels', 'network', 'no_cache', 'no_cache_filter', 'platforms', 'privileged', 'provenance',
      'pull', 'sbom', 'secrets', 'shm_size', 'ssh', 'tags', 'target', 'ulimits',
    ];
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/compose.schema.json'), 'utf8'));
    const known = (def: string) => new Set(Object.keys(schema.definitions[def].properties));
    assert.deepEqual(serviceKeys.filter((k) => !known('service').has(k)), []);
    assert.deepEqual(buildKeys.filter((k) => !known('build').has(k)), []);
  });

  it('is a valid draft-07 schema that compiles in ajv strict mode', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/compose.schema.json'), 'utf8'));
    const strict = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
    assert.ok(strict.validateSchema(schema), JSON.stringify(strict.errors));
    strict.compile(schema);
  });

  it('allows x- extensions on every object that forbids unknown keys', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/compose.schema.json'), 'utf8'));
    const missing: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${where}/${i}`));
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (o.additionalProperties === false && !(o.patternProperties as Record<string, unknown> | undefined)?.['^x-']) missing.push(where);
        for (const [k, v] of Object.entries(o)) visit(v, `${where}/${k}`);
      }
    };
    visit(schema, '#');
    // Where Docker itself allows no extensions.
    const exempt = ['#/definitions/service/properties/extends', '#/definitions/blkioConfig', '#/definitions/blkioDevice', '#/definitions/envFile/items'];
    assert.deepEqual(missing.filter((m) => !exempt.includes(m)), []);
  });
});
