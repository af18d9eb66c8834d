// Adding a file kind touches neither the server nor the client: a toy kind registered here (`*.toy`
// files, one rule with a fix, a `.toyrc` beside them that the rule reads) is detected by analyze(),
// found and analysed by the workspace scan, kept current when its `.toyrc` changes, watched, and shown
// in the readiness report with its own label and icon — all through code that has never heard of it.
// The scan runs in-process over a temporary folder, without an LSP connection.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../server/src/core/analyze';
import { docsPath, isScanCandidate } from '../../server/src/core/catalog';
import { BaseContext, KindModule } from '../../server/src/core/kind';
import { dirname, joinPath } from '../../server/src/core/paths';
import { kindNames, registerKind } from '../../server/src/core/registry';
import { Rule } from '../../server/src/core/types';
import { diskFileAccess } from '../../server/src/host/files';
import { ReadinessProjection } from '../../server/src/server/readiness';
import { keyOf } from '../../server/src/server/uris';
import { watchedGlobs } from '../../server/src/server/workspace';
import { WorkspaceScanner } from '../../server/src/server/workspace/scanner';
import { ResultStore } from '../../server/src/server/workspace/store';

interface ToyContext extends BaseContext {
  /** Words the folder's `.toyrc` allows. */
  allowed: Set<string>;
}

const todo: Rule<ToyContext> = {
  meta: { id: 'toy/todo', description: 'No TODO is left in a toy file.', defaultSeverity: 'warning', category: 'operability', fixable: true },
  check(ctx, report) {
    if (ctx.allowed.has('TODO')) return;
    for (let at = ctx.text.indexOf('TODO'); at !== -1; at = ctx.text.indexOf('TODO', at + 1)) {
      report({
        span: { start: at, end: at + 4 },
        message: 'A TODO is left. Unfinished toys break in production.',
        fixes: [{ title: 'Mark it done', changes: [{ start: at, end: at + 4, newText: 'DONE' }], preferred: true }],
      });
    }
  },
};

const quiet: Rule<ToyContext> = {
  meta: { id: 'toy/quiet', description: 'A toy file does not shout.', defaultSeverity: 'information', category: 'correctness', fixable: false },
  check(ctx, report) {
    if (/!!!/.test(ctx.text)) report({ span: { start: ctx.text.indexOf('!!!'), end: ctx.text.indexOf('!!!') + 3 }, message: 'Shouting.' });
  },
};

const toyModule: KindModule<ToyContext> = {
  kind: 'toy',
  label: 'Toy file',
  plural: 'Toy files',
  icon: 'beaker',
  scanGlobs: ['**/*.toy'],
  dependencyGlobs: ['**/.toyrc'],
  matchesName: (p) => p.endsWith('.toy'),
  sniff: () => false,
  prepare: (base) => {
    const rc = base.files.readFile(joinPath(dirname(base.path), '.toyrc')) ?? '';
    return { ctx: { ...base, allowed: new Set(rc.split(/\s+/).filter(Boolean)) }, syntax: [] };
  },
  rules: [todo, quiet],
  syntaxRules: [],
};

describe('a toy kind, registered from outside', () => {
  let unregister: () => void;
  let root: string;
  let store: ResultStore;
  let scanner: WorkspaceScanner;
  let readiness: ReadinessProjection;
  const logs: string[] = [];
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).toString();
  const report = () => readiness.report(true, scanner.scanning);
  const entry = (rel: string) => report().files.find((f) => f.uri === uri(rel));

  before(async () => {
    unregister = registerKind(toyModule);
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-toy-')));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('a.toy', 'build the rocket\nTODO paint it\n');
    write('shelf/b.toy', 'a finished toy\n');
    write('notes.txt', 'TODO not a toy\n');
    write('shelf/other.yml', 'name: not a deployment config\n');
    store = new ResultStore();
    readiness = new ReadinessProjection(store, (id) => `file:///product/${docsPath(id)}`, () => undefined);
    scanner = new WorkspaceScanner({
      store,
      analyse: async ({ key, text, settings }) => analyze({ text, path: key, settings, files: diskFileAccess }),
      settings: async () => ({ core: {}, server: { exclude: [], filesExclude: [], workspaceDiagnostics: false } }),
      log: (m) => logs.push(m),
    });
    await scanner.setFolders([pathToFileURL(root).toString()]);
  });

  after(() => {
    scanner?.shutdown();
    readiness?.dispose();
    unregister?.();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('is detected and analysed by the core', () => {
    assert.ok(kindNames().includes('toy'));
    const result = analyze({ text: 'TODO\n', path: '/anywhere/x.toy' });
    assert.deepEqual([result.kind, result.findings.map((f) => f.ruleId), result.passed], ['toy', ['toy/todo'], ['toy/quiet']]);
    assert.equal(analyze({ text: 'TODO\n', path: '/anywhere/x.txt' }).kind, undefined);
  });

  it('was scanned without a failure', () => {
    assert.deepEqual(logs.filter((m) => /fail/i.test(m)), []);
  });

  it('is found by the workspace scan and shown in the readiness report with its label and icon', () => {
    const files = report().files.map((f) => path.relative(root, new URL(f.uri).pathname));
    assert.deepEqual(files, ['a.toy', 'shelf/b.toy']);
    const a = entry('a.toy')!;
    assert.deepEqual(
      { kind: a.kind, label: a.label, icon: a.icon, score: a.score, open: a.open, passed: a.passed },
      { kind: 'toy', label: 'Toy file', icon: 'beaker', score: 50, open: false, passed: [{ ruleId: 'toy/quiet', description: 'A toy file does not shout.', category: 'correctness' }] },
    );
    assert.deepEqual(a.findings, [
      {
        ruleId: 'toy/todo',
        severity: 'warning',
        message: 'A TODO is left. Unfinished toys break in production.',
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } },
        category: 'operability',
        docsUrl: 'file:///product/docs/rules/toy/todo.md',
        fixable: true,
      },
    ]);
    assert.equal(entry('shelf/b.toy')?.score, 100);
    assert.deepEqual(report().counts, { error: 0, warning: 1, information: 0, hint: 0 });
    // Read, found to be no deployment config, and kept (with what it depended on) out of the report.
    assert.equal(store.get(keyOf(uri('shelf/other.yml')))?.result.skipped, 'not-a-config');
  });

  it('is analysed again when a file its analysis read changes, and only then', async () => {
    const shelf = store.get(keyOf(uri('shelf/b.toy')));
    fs.writeFileSync(path.join(root, '.toyrc'), 'TODO\n');
    scanner.filesChanged([{ uri: uri('.toyrc'), type: 'created' }]);
    await scanner.whenIdle();
    assert.deepEqual(entry('a.toy')?.findings, [], 'the .toyrc beside it allows TODO now');
    assert.equal(entry('a.toy')?.score, 100);
    assert.equal(store.get(keyOf(uri('shelf/b.toy'))), shelf, 'shelf/b.toy looked for shelf/.toyrc only: not analysed again');
  });

  it('is watched and scanned by its own globs', () => {
    for (const glob of ['**/*.toy', '**/.toyrc']) assert.ok(watchedGlobs().includes(glob), glob);
    assert.ok(isScanCandidate('/w/x.toy'));
  });

});

describe('the toy kind, unregistered', () => {
  it('is gone from detection, the kind names and the scan', () => {
    assert.ok(!kindNames().includes('toy'));
    assert.equal(analyze({ text: 'TODO\n', path: '/anywhere/x.toy' }).kind, undefined);
    assert.ok(!isScanCandidate('/w/x.toy'));
    assert.ok(!watchedGlobs().includes('**/*.toy'));
  });
});
