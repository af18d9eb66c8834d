// Environments share parsed files between analyses: an overlay's edit re-uses the parsed base and
// subchart defaults, and a base's edit parses the base once for every overlay that includes it.
// Counted in parses (envParseCounter), not timed.

import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { envParseCounter } from '../../server/src/core/env/virtual';
import { AnalysisCache, FileAccess } from '../../server/src/core/types';

// A chart no other test uses (the counter is process-wide, the cache keyed by path).
const files: Record<string, string> = {
  '/parse-count/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n',
  '/parse-count/charts/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.0.0\n',
  '/parse-count/charts/redis/values.yaml': 'architecture: standalone\n',
  '/parse-count/values.yaml': 'replicaCount: 1\nimage:\n  tag: latest\n',
  '/parse-count/values-prod.yaml': 'replicaCount: 3\n',
  '/parse-count/values-live.yaml': 'replicaCount: 4\n',
};
const access: FileAccess = { readFile: (p) => files[p], exists: (p) => p in files };

/** Parses environments made while analysing `path` (its text as given), with its own per-document cache. */
function parsesFor(path: string, cache?: AnalysisCache): number {
  const before = envParseCounter.parses;
  const result = analyze({ text: files[path], path, files: access, cache });
  assert.ok(result.environments?.length, `${path} is judged in an environment`);
  return envParseCounter.parses - before;
}

describe('parsed environment files, shared between analyses', () => {
  it("an overlay's edits re-parse the overlay only", () => {
    const cache: AnalysisCache = {};
    parsesFor('/parse-count/values-prod.yaml', cache);
    for (const n of [5, 6, 7]) {
      files['/parse-count/values-prod.yaml'] = `replicaCount: ${n}\n`;
      assert.equal(parsesFor('/parse-count/values-prod.yaml', cache), 1, 'the base and the subchart are not parsed again');
    }
  });

  it("a base's edit parses it once, for itself and for every overlay that includes it", () => {
    parsesFor('/parse-count/values-live.yaml');
    files['/parse-count/values.yaml'] = 'replicaCount: 2\nimage:\n  tag: "1.0.0"\n';
    // The base is judged in both production environments: parsed once for both.
    assert.equal(parsesFor('/parse-count/values.yaml'), 1);
    // Re-published overlays (no per-document cache: closed files) parse nothing.
    assert.equal(parsesFor('/parse-count/values-prod.yaml'), 0);
    assert.equal(parsesFor('/parse-count/values-live.yaml'), 0);
  });
});
