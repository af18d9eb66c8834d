// Every real-world HAProxy file in ../shared/corpus/haproxy (read as bytes, decoded as UTF-8 or else
// Latin-1): it is analysed with the kind forced without throwing, stalling or a rule failing; it has
// syntax findings exactly where MANIFEST.tsv says the file is broken or an unrendered template; the
// edge cases the manifest describes are handled; and the per-rule counts are printed for review.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { parseHaproxy } from '../../server/src/core/haproxy/parse';
import { AnalysisResult } from '../../server/src/core/types';
import { corpusSkip, corpusFiles, manifest, printCounts, readCorpusFile } from './corpus';

/** Generous for a shared, noisy machine: the 24,000-line file takes well under a second on a quiet one. */
const TIME_LIMIT_MS = 10_000;

/** The manifest marks files HAProxy cannot read as they stand: "BAD" ones and unrendered templates (not `server-template`). */
function markedBroken(note: string): boolean {
  return /\bBAD\b|Go-template|not valid haproxy/i.test(note);
}

/** Edge cases the manifest describes, and what must (not) be reported for them. */
/** `none`/`some`: findings at warning or above; `notes`: rules expected to report at information level. */
const EDGE_CASES: Record<string, { none?: string[]; some?: string[]; notes?: string[] }> = {
  // A hardened configuration meant to pass audits: the false-positive baseline.
  'HillviewCap__hapr__examples__secure.cfg': { none: ['*'] },
  // `bind … crt` without `ssl`: not ssl-without-certificate.
  'haproxytech__dataplaneapi__e2e__tests__storage_ssl_certificates__data__haproxy.cfg': { none: ['haproxy/ssl-without-certificate'] },
  // crt-store + ssl-f-use: the bind line has no crt and needs none.
  'haproxytech__dataplaneapi__e2e__tests__runtime_acme__data__haproxy.cfg': { none: ['haproxy/ssl-without-certificate'] },
  'haproxytech__dataplaneapi__e2e__tests__runtime_ssl_crt_lists__data__haproxy.cfg': { none: ['haproxy/ssl-without-certificate'] },
  // SNI routing in TCP mode is TLS passthrough; servers get `check` from default-server.
  'haproxytech__kubernetes-ingress__documentation__tcp-cr-full-example__haproxy.cfg': { none: ['haproxy/tcp-plaintext', 'haproxy/no-health-check'] },
  // Dynamic use_backend %[…], frontends without binds, `from <defaults>`.
  'haproxytech__kubernetes-ingress__fs__usr__local__etc__haproxy__haproxy.cfg': { none: ['haproxy/unknown-backend', 'haproxy/http-only', 'haproxy/missing-timeouts'] },
  // Backends defined in another file.
  'percona__percona-xtradb-cluster-operator__build__haproxy-global.cfg': { none: ['haproxy/unknown-backend'] },
  // Backends filled at run time: no servers, so nothing to count or check.
  'percona__percona-xtradb-cluster-operator__build__haproxy.cfg': { none: ['haproxy/single-server', 'haproxy/missing-timeouts'] },
  'kubernetes-sigs__kind__images__haproxy__haproxy.cfg': { none: ['haproxy/single-server'] },
  // Environment-variable binds and a UNIX-socket server.
  'Tecnativa__docker-socket-proxy__haproxy.cfg': { none: ['haproxy/http-only', 'haproxy/single-server', 'haproxy/no-health-check'] },
  // Named defaults with everything set.
  'haproxytech__dataplaneapi__e2e__fixtures__haproxy.cfg': { none: ['*'] },
  // Plain MQTT, check-send-proxy without check; no-sslv3-only TLS binds are a note (refused anyway since HAProxy 2.2).
  'emqx__emqx__.ci__docker-compose-file__haproxy__haproxy.cfg': { some: ['haproxy/tcp-plaintext', 'haproxy/no-health-check'], notes: ['haproxy/weak-tls'] },
  'zalando__patroni__haproxy.cfg': { some: ['haproxy/stats-without-auth'], none: ['haproxy/no-health-check', 'haproxy/single-server'] },
};

describe('corpus: haproxy', { skip: corpusSkip() }, () => {
  const notes = new Map(manifest().filter((e) => e.kind === 'haproxy').map((e) => [path.basename(e.file), e.note]));
  const files = corpusFiles('haproxy');
  const counts = new Map<string, number>();
  const results = new Map<string, { text: string; result: AnalysisResult }>();

  function analysed(name: string): { text: string; result: AnalysisResult } {
    let hit = results.get(name);
    if (!hit) {
      const file = files.find((f) => path.basename(f) === name)!;
      const text = readCorpusFile(file);
      hit = { text, result: analyze({ text, path: file.split(path.sep).join('/'), kind: 'haproxy' }) };
      results.set(name, hit);
    }
    return hit;
  }

  it('holds files to check', () => assert.ok(files.length > 10, `only ${files.length} files`));

  for (const file of files) {
    const name = path.basename(file);
    it(`${name}: analysed without error; syntax problems only where the manifest says it is broken`, () => {
      assert.doesNotThrow(() => parseHaproxy(readCorpusFile(file)));
      const started = performance.now();
      const { text, result } = analysed(name);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < TIME_LIMIT_MS, `took ${Math.round(elapsed)} ms`);
      assert.equal(result.kind, 'haproxy');
      const internal = result.findings.filter((f) => f.message.startsWith('prodready internal error'));
      assert.deepEqual(internal.map((f) => f.message), [], 'no rule crashed');
      for (const f of result.findings) {
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${f.ruleId} span in range`);
        counts.set(`${f.ruleId} (${f.severity})`, (counts.get(`${f.ruleId} (${f.severity})`) ?? 0) + 1);
      }
      const syntax = result.findings.filter((f) => f.ruleId === 'haproxy/syntax');
      if (markedBroken(notes.get(name) ?? '')) assert.ok(syntax.length > 0, 'the manifest marks this file as broken, but no syntax problem was found');
      else assert.deepEqual(syntax.map((f) => f.message), [], 'unexpected syntax findings');
    });
  }

  for (const [name, expect] of Object.entries(EDGE_CASES)) {
    it(`${name}: handles the edge cases the manifest describes`, { skip: files.some((f) => path.basename(f) === name) ? false : 'file not in corpus' }, () => {
      const serious = analysed(name).result.findings.filter((f) => f.severity !== 'information' && f.severity !== 'hint');
      for (const rule of expect.none ?? []) {
        const hits = serious.filter((f) => rule === '*' || f.ruleId === rule);
        assert.deepEqual(
          hits.map((f) => `${f.ruleId}: ${f.message}`),
          [],
          `no ${rule} findings expected`,
        );
      }
      for (const rule of expect.some ?? []) assert.ok(serious.some((f) => f.ruleId === rule), `${rule} findings expected`);
      const notes = analysed(name).result.findings.filter((f) => f.severity === 'information');
      for (const rule of expect.notes ?? []) assert.ok(notes.some((f) => f.ruleId === rule), `${rule} information expected`);
    });
  }

  it('prints the findings per rule', () => {
    printCounts(`haproxy corpus: ${files.length} files`, counts);
    for (const file of files) {
      const per = new Map<string, number>();
      for (const f of analysed(path.basename(file)).result.findings) per.set(f.ruleId, (per.get(f.ruleId) ?? 0) + 1);
      console.log(`  ${path.basename(file)}: ${[...per].map(([k, v]) => `${k} ×${v}`).join(', ') || 'no findings'}`);
    }
  });
});
