// The scan's result store and its dependency index: which files depend on a changed path.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisResult } from '../../server/src/core/types';
import { ResultStore } from '../../server/src/server/workspace/store';

function stored(key: string, dependencies?: string[]) {
  const result: AnalysisResult = { kind: undefined, skipped: 'not-a-config', findings: [], passed: [], ...(dependencies ? { dependencies } : {}) };
  return { uri: `file://${key}`, result, ranges: [] };
}

describe('result store', () => {
  it('finds the files that read or looked for a path, or anything under a created or deleted folder', () => {
    const store = new ResultStore();
    store.set('/w/chart/values.yaml', stored('/w/chart/values.yaml', ['/w/chart/Chart.yaml', '/w/chart/values.schema.json']));
    store.set('/w/chart/values-prod.yaml', stored('/w/chart/values-prod.yaml', ['/w/chart/Chart.yaml', '/w/chart/values.yaml']));
    store.set('/w/nginx/nginx.conf', stored('/w/nginx/nginx.conf', ['/w/nginx/snippets/tls.conf']));
    store.set('/w/other.yml', stored('/w/other.yml'));
    const sorted = (s: Set<string>) => [...s].sort();
    assert.deepEqual(sorted(store.dependentsOf(['/w/chart/Chart.yaml'])), ['/w/chart/values-prod.yaml', '/w/chart/values.yaml']);
    assert.deepEqual(sorted(store.dependentsOf(['/w/chart/values.yaml'])), ['/w/chart/values-prod.yaml']);
    assert.deepEqual(sorted(store.dependentsOf(['/w/nginx/snippets'])), [], 'a changed path is a file');
    assert.deepEqual(sorted(store.dependentsOf([], ['/w/nginx/snippets'])), ['/w/nginx/nginx.conf'], 'a created or deleted one may be a folder');
    assert.deepEqual(sorted(store.dependentsOf([], ['/w'])), ['/w/chart/values-prod.yaml', '/w/chart/values.yaml', '/w/nginx/nginx.conf']);
  });

  it('forgets what a file depended on when its result is replaced or removed, and tells listeners', () => {
    const store = new ResultStore();
    const heard: [string, boolean, boolean][] = [];
    store.onDidChange((key, before, after) => heard.push([key, !!before, !!after]));
    store.set('/w/a.yml', stored('/w/a.yml', ['/w/Chart.yaml']));
    store.set('/w/a.yml', stored('/w/a.yml', ['/w/other.json']));
    assert.deepEqual([...store.dependentsOf(['/w/Chart.yaml'])], []);
    assert.deepEqual([...store.dependentsOf(['/w/other.json'])], ['/w/a.yml']);
    store.set('/w/a.yml', undefined);
    store.set('/w/a.yml', undefined);
    assert.deepEqual([...store.dependentsOf(['/w/other.json'])], []);
    assert.equal(store.size, 0);
    assert.deepEqual(heard, [
      ['/w/a.yml', false, true],
      ['/w/a.yml', true, true],
      ['/w/a.yml', true, false],
    ]);
  });
});
