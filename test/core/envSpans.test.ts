// The virtual text an environment's files share, the way back from its spans to each file, and
// reading and editing the merged document with the core's own YamlView and YamlEditor.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { buildComposeEnvironment } from '../../server/src/core/env/compose';
import { buildHelmEnvironment } from '../../server/src/core/env/helm';
import { isSynthetic } from '../../server/src/core/env/merge';
import { Environment } from '../../server/src/core/env/model';
import { pathAt, placeIn } from '../../server/src/core/env/provenance';
import { layoutFiles } from '../../server/src/core/env/virtual';
import { applyChanges } from '../../server/src/core/text';
import { FileAccess } from '../../server/src/core/types';
import { scalarText, spanOf } from '../../server/src/core/yaml/nav';

function filesWith(contents: Record<string, string>): FileAccess {
  return { readFile: (p) => contents[p], exists: (p) => p in contents };
}

const CHART = '/repo/charts/shop';
const BASE = `${CHART}/values.yaml`;
const PROD = `${CHART}/values-production.yaml`;

const BASE_TEXT = `replicaCount: 1
image:
  repository: shop/web
  tag: "1.0"
resources: {}
`;
const PROD_TEXT = `replicaCount: 3
image:
  tag: "1.1"
`;

function helm(files: Record<string, string>, values = [BASE, PROD]): Environment {
  return buildHelmEnvironment({ name: 'production', chartDir: CHART, values, access: filesWith({ [`${CHART}/Chart.yaml`]: 'name: shop\nversion: 1.0.0\n', ...files }) });
}

/** The file, and the text in it, a node of the merged document comes from. */
function origin(env: Environment, node: unknown): { path: string; text: string } {
  const span = spanOf(node as never);
  const mapped = env.spans.toFile(span);
  assert.ok(mapped, `span ${span.start}-${span.end} maps to a file`);
  return { path: mapped.file.path, text: mapped.file.text.slice(mapped.span.start, mapped.span.end) };
}

describe('environment virtual text', () => {
  it('puts each file in its own range, apart from the next by a line break', () => {
    const { files, text } = layoutFiles([
      { path: '/a.yml', text: 'a: 1\n', role: 'base' },
      { path: '/b.yml', text: 'b: 2', role: 'overlay' },
      { path: '/c.yml', text: 'c: 3\n', role: 'overlay' },
    ]);
    assert.equal(text, 'a: 1\n\nb: 2\n\nc: 3\n\n');
    assert.deepEqual(
      files.map((f) => [f.start, f.length]),
      [
        [0, 5],
        [6, 5],
        [12, 5],
      ],
    );
    for (const f of files) assert.equal(text.slice(f.start, f.start + f.text.length), f.text);
  });

  it('moves each file\'s nodes into its range', () => {
    const { files, text } = layoutFiles([
      { path: '/a.yml', text: 'a: 1\n', role: 'base' },
      { path: '/b.yml', text: 'b: two\n', role: 'overlay' },
    ]);
    const b = files[1].view.get(files[1].root, 'b')!;
    assert.equal(text.slice(b.value!.range![0], b.value!.range![1]), 'two');
  });

  it('maps every span of a file to the virtual text and back', () => {
    const { spans, files } = layoutFiles([
      { path: '/a.yml', text: 'a: 1\nb: 2\n', role: 'base' },
      { path: '/b.yml', text: 'x: [1, 2]', role: 'overlay' },
    ]);
    for (const f of files) {
      for (let start = 0; start <= f.text.length; start++) {
        for (let end = start; end <= f.text.length; end++) {
          const v = spans.toVirtual(f.path, { start, end })!;
          assert.deepEqual(spans.toFile(v), { file: f, span: { start, end } });
        }
      }
    }
    assert.equal(spans.toFile({ start: 3, end: 13 }), undefined, 'a span over two files belongs to neither');
  });

  it('keeps parsed files in the cache and moves them when they move', () => {
    const cache = {};
    const first = layoutFiles([{ path: '/a.yml', text: 'a: 1\n', role: 'base' }], cache);
    const node = first.files[0].root;
    const second = layoutFiles(
      [
        { path: '/z.yml', text: 'zzz: 0\n', role: 'base' },
        { path: '/a.yml', text: 'a: 1\n', role: 'overlay' },
      ],
      cache,
    );
    assert.equal(second.files[1].root, node, 'the unchanged file is not parsed again');
    const a = second.files[1].view.get(node, 'a')!;
    assert.equal(second.text.slice(a.value!.range![0], a.value!.range![1]), '1');
  });
});

describe('environment virtual text: anchors of a cached file', () => {
  it('resolves aliases right after the file moved, with the index built before the move', () => {
    const cache = {};
    const text = 'a: &x one\nb: *x\nc: &x two\nd: *x\n';
    const resolveAll = (files: ReturnType<typeof layoutFiles>['files'], i: number) =>
      ['b', 'd'].map((k) => scalarText(files[i].view.get(files[i].root, k)!.value));
    assert.deepEqual(resolveAll(layoutFiles([{ path: '/a.yml', text, role: 'base' }], cache).files, 0), ['one', 'two']);
    const moved = layoutFiles(
      [
        { path: '/z.yml', text: 'z: 0\n'.repeat(50), role: 'base' },
        { path: '/a.yml', text, role: 'overlay' },
      ],
      cache,
    );
    assert.deepEqual(resolveAll(moved.files, 1), ['one', 'two']);
  });
});

describe('environment spans back to files', () => {
  it('finds the overlay\'s node where it overrides, the base\'s elsewhere', () => {
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: PROD_TEXT });
    const v = env.view;
    assert.deepEqual(origin(env, v.at(env.root, 'replicaCount')!.value), { path: PROD, text: '3' });
    assert.deepEqual(origin(env, v.at(env.root, 'image', 'tag')!.value), { path: PROD, text: '"1.1"' });
    assert.deepEqual(origin(env, v.at(env.root, 'image', 'repository')!.value), { path: BASE, text: 'shop/web' });
    assert.deepEqual(origin(env, v.at(env.root, 'resources')!.keyNode), { path: BASE, text: 'resources' });
  });

  it('turns a fix\'s changes into changes of the one file they touch', () => {
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: PROD_TEXT });
    const value = env.view.at(env.root, 'image', 'repository')!.value!;
    const mapped = env.spans.mapToOneFile([{ start: value.range![0], end: value.range![1], newText: 'shop/web-hardened' }]);
    assert.ok(mapped.ok);
    assert.equal(mapped.file.path, BASE);
    assert.equal(applyChanges(BASE_TEXT, mapped.file.changes), BASE_TEXT.replace('shop/web', 'shop/web-hardened'));
  });

  it('refuses a change that runs from one file into the next', () => {
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: PROD_TEXT });
    const base = env.spans.fileOf(BASE)!;
    const prod = env.spans.fileOf(PROD)!;
    const mapped = env.spans.mapChanges([{ start: base.start + 2, end: prod.start + 2, newText: '' }]);
    assert.equal(mapped.ok, false);
    const both = env.spans.mapToOneFile([
      { start: base.start, end: base.start, newText: '# a\n' },
      { start: prod.start, end: prod.start, newText: '# b\n' },
    ]);
    assert.equal(both.ok, false, 'a fix for one document may not touch two files');
    const split = env.spans.mapChanges([
      { start: base.start, end: base.start, newText: '# a\n' },
      { start: prod.start, end: prod.start, newText: '# b\n' },
    ]);
    assert.ok(split.ok && split.files.length === 2, 'as a workspace edit, one change per file');
  });

  it('edits the merged document with YamlEditor: a key added to a merged map lands in the overlay', () => {
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: PROD_TEXT });
    const image = env.view.map(env.view.at(env.root, 'image')!.value)!;
    const change = env.edit.addEntry(image, 'pullPolicy', 'IfNotPresent')!;
    const mapped = env.spans.mapToOneFile([change]);
    assert.ok(mapped.ok);
    assert.equal(mapped.file.path, PROD);
    assert.equal(applyChanges(PROD_TEXT, mapped.file.changes), 'replicaCount: 3\nimage:\n  tag: "1.1"\n  pullPolicy: IfNotPresent\n');
  });

  it('appends after the last line of a file that has no final line break', () => {
    const prodNoEol = 'replicaCount: 3\nimage:\n  tag: "1.1"';
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: prodNoEol });
    const image = env.view.map(env.view.at(env.root, 'image')!.value)!;
    const mapped = env.spans.mapToOneFile([env.edit.addEntry(image, 'pullPolicy', 'Always')!]);
    assert.ok(mapped.ok);
    assert.equal(applyChanges(prodNoEol, mapped.file.changes), 'replicaCount: 3\nimage:\n  tag: "1.1"\n  pullPolicy: Always\n');
  });

  it('writes the target file\'s own line breaks', () => {
    const crlf = PROD_TEXT.replace(/\n/g, '\r\n');
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: crlf });
    const image = env.view.map(env.view.at(env.root, 'image')!.value)!;
    const prod = env.spans.fileOf(PROD)!;
    const change = prod.edit.addEntry(prod.view.map(prod.view.get(prod.root, 'image')!.value)!, 'pullPolicy', 'Always')!;
    const mapped = env.spans.mapToOneFile([{ ...change, newText: change.newText.replace(/\r\n/g, '\n') }]);
    assert.ok(mapped.ok && image);
    assert.equal(applyChanges(crlf, mapped.file.changes), 'replicaCount: 3\r\nimage:\r\n  tag: "1.1"\r\n  pullPolicy: Always\r\n');
  });

  it('gives the key path of a reported span, and the nearest key the overlay has for it', () => {
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: PROD_TEXT });
    const repo = env.view.at(env.root, 'image', 'repository')!;
    assert.deepEqual(pathAt(env, spanOf(repo.value)), ['image', 'repository']);
    const prod = env.spans.fileOf(PROD)!;
    const place = placeIn(prod, ['image', 'repository']);
    assert.equal(place.entry?.key, 'image');
    assert.deepEqual(place.missing, ['repository']);
    const inProd = env.spans.toFile(place.span)!;
    assert.equal(inProd.file.path, PROD);
    assert.equal(PROD_TEXT.slice(inProd.span.start, inProd.span.end), 'image');
    const nowhere = placeIn(prod, ['resources', 'limits']);
    assert.equal(nowhere.entry, undefined);
    assert.deepEqual(env.spans.toFile(nowhere.span)!.span, { start: 0, end: 'replicaCount: 3'.length }, 'the first line');
    // The fix creating the missing keys is built on the overlay's own editor.
    const fix = prod.edit.ensurePath(prod.root!, ['resources', 'limits'], { memory: '512Mi' })!;
    const mapped = env.spans.mapToOneFile([fix]);
    assert.ok(mapped.ok);
    assert.equal(applyChanges(PROD_TEXT, mapped.file.changes), `${PROD_TEXT}resources:\n  limits:\n    memory: 512Mi\n`);
  });
});

describe('environment merged document and shared values', () => {
  const files = (base: string, prod: string) => filesWith({ '/app/docker-compose.yml': base, '/app/docker-compose.prod.yml': prod });
  const compose = (base: string, prod: string) => buildComposeEnvironment({ name: 'prod', files: ['/app/docker-compose.yml', '/app/docker-compose.prod.yml'], access: files(base, prod) });

  it('resolves each alias among the anchors of the file that wrote it', () => {
    const env = compose(
      'x-img: &img nginx:1.25\nservices:\n  web:\n    image: *img\n',
      'x-img: &img nginx:1.27\nservices:\n  api:\n    image: *img\n',
    );
    const services = env.view.map(env.view.at(env.root, 'services')!.value)!;
    assert.equal(scalarText(env.view.at(services, 'web', 'image')!.value), 'nginx:1.25');
    assert.equal(scalarText(env.view.at(services, 'api', 'image')!.value), 'nginx:1.27');
  });

  it('keeps values a file merges in with `<<` shared, so no fix edits the anchor', () => {
    const env = compose(
      'x-defaults: &defaults\n  restart: always\n  deploy:\n    replicas: 1\nservices:\n  web:\n    <<: *defaults\n    image: web\n',
      'services:\n  web:\n    image: web:2\n',
    );
    const web = env.view.map(env.view.at(env.root, 'services', 'web')!.value)!;
    assert.equal(env.view.get(web, 'image')!.inherited, false);
    const restart = env.view.get(web, 'restart')!;
    assert.equal(restart.inherited, true);
    assert.equal(origin(env, restart.value).path, '/app/docker-compose.yml');
    assert.equal(env.edit.ensurePath(web, ['deploy', 'resources'], { limits: { memory: '1g' } }), undefined, 'the edit would land in the anchor');
    assert.ok(web.items.some((p) => isSynthetic(p.key)), 'shared values sit under a synthetic merge key');
  });

  it('deep-merges into a value the base shares, keeping the shared part shared', () => {
    const env = compose(
      'x-defaults: &defaults\n  deploy:\n    replicas: 1\n    restart_policy: {condition: any}\nservices:\n  web:\n    <<: *defaults\n',
      'services:\n  web:\n    deploy:\n      replicas: 3\n',
    );
    const deploy = env.view.map(env.view.at(env.root, 'services', 'web', 'deploy')!.value)!;
    assert.equal(scalarText(env.view.get(deploy, 'replicas')!.value), '3');
    assert.equal(env.view.get(deploy, 'replicas')!.inherited, false);
    assert.equal(env.view.get(deploy, 'restart_policy')!.inherited, true);
  });

  it('is read by the core\'s parse-free helpers like any document (a map at the top)', () => {
    const env = helm({ [BASE]: BASE_TEXT, [PROD]: PROD_TEXT });
    assert.ok(isMap(env.doc.contents));
    assert.ok(isScalar(env.view.at(env.root, 'replicaCount')!.value));
    // Sanity: the virtual text of a file parses to the same values on its own.
    const prod = env.spans.fileOf(PROD)!;
    assert.deepEqual(parseAllDocuments(env.text.slice(prod.start, prod.start + prod.text.length))[0]?.toJS?.(), { replicaCount: 3, image: { tag: '1.1' } });
  });
});
