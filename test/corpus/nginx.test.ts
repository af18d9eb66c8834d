// Real-world NGINX configs from ../shared/corpus/nginx (see MANIFEST.tsv there): each one parses and
// analyses without throwing, has syntax findings only when the manifest says it is broken or a template,
// and every offered fix passes the round-trip property. Also checks the EMQX guide's NGINX config
// straight from the guide text. Prints how often each rule fired, to review by hand.
//
// Files are analysed under their original repository path (`/corpus/<repo>/<path>`), with a file
// access that maps those paths back to the corpus, so context detection sees e.g. `conf.d/` and
// includes between files of the same repository resolve as they would in a checkout.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { FileAccess } from '../../server/src/core/types';
import { assertFixRoundTrip, Fixture, REPO } from '../core/harness';

import { CORPUS, corpusSkip } from './corpus';
const GUIDES = path.resolve(REPO, '../shared/guides');

/** Broken or templated according to the manifest's note: syntax findings are allowed there. */
const MAY_HAVE_SYNTAX_ERRORS = /\bBAD\b|\binvalid\b|not valid|template/i;
/** The manifest says NGINX would reject it: it must have syntax findings. */
const MUST_HAVE_SYNTAX_ERRORS = /\binvalid\b/i;

/**
 * Files whose syntax errors are real although the manifest does not say so.
 * cleanConf.src.conf: the ingress-nginx test fixture ends before its `http {` block is closed
 * (`nginx -t` reports "unexpected end of file, expecting }").
 */
const KNOWN_BROKEN = new Set(['nginx/kubernetes__ingress-nginx__test__data__cleanConf.src.conf']);

interface Entry {
  file: string;
  repoPath: string;
  note: string;
}

function manifest(): Entry[] {
  const rows = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return rows
    .map((r) => r.split('\t'))
    .filter((c) => c[0] === 'nginx')
    .map((c) => ({ file: c[1], repoPath: `/corpus/${c[2]}/${c[3]}`, note: c[6] ?? '' }));
}

const skip = corpusSkip();
if (skip) {
  describe('nginx corpus', { skip }, () => undefined);
} else {
  const entries = manifest();
  const byRepoPath = new Map(entries.map((e) => [e.repoPath, path.join(CORPUS, e.file)]));
  const files: FileAccess = {
    readFile: (p) => (byRepoPath.has(p) ? fs.readFileSync(byRepoPath.get(p)!, 'utf8') : undefined),
    exists: (p) => byRepoPath.has(p),
  };
  const counts = new Map<string, number>();

  describe('nginx corpus', () => {
    it('lists every file of the nginx folder in the manifest', () => {
      const listed = new Set(entries.map((e) => e.file));
      for (const name of fs.readdirSync(path.join(CORPUS, 'nginx'))) assert.ok(listed.has(`nginx/${name}`), `nginx/${name} is not in MANIFEST.tsv`);
    });

    for (const entry of entries) {
      const name = path.basename(entry.file);
      describe(name, () => {
        const text = fs.readFileSync(path.join(CORPUS, entry.file), 'utf8');
        const input = { text, path: entry.repoPath, kind: 'nginx' as const, files };
        const result = analyze(input);
        for (const f of result.findings) counts.set(`${f.ruleId} (${f.severity})`, (counts.get(`${f.ruleId} (${f.severity})`) ?? 0) + 1);

        it('is analysed as nginx without an internal error', () => {
          assert.equal(result.kind, 'nginx');
          assert.equal(result.skipped, undefined);
          const internal = result.findings.filter((f) => f.message.includes('internal error'));
          assert.deepEqual(internal, []);
        });

        it('has syntax findings only if the manifest marks it broken or templated', () => {
          const syntax = result.findings.filter((f) => f.ruleId === 'nginx/syntax');
          if (MUST_HAVE_SYNTAX_ERRORS.test(entry.note) || KNOWN_BROKEN.has(entry.file)) assert.ok(syntax.length > 0, 'expected syntax findings');
          else if (!MAY_HAVE_SYNTAX_ERRORS.test(entry.note)) assert.deepEqual(syntax.map((f) => f.message), []);
        });

        it('every fix round-trips', () => {
          const fixture: Fixture = { file: entry.file, text, input, expected: [] };
          for (const finding of result.findings) {
            for (const fix of finding.fixes.filter((x) => !x.suppression)) assertFixRoundTrip(fixture, finding, fix, result);
          }
        });
      });
    }

    it('the EMQX guide\'s NGINX configuration has nothing at warning level or above', () => {
      const guide = fs.readFileSync(path.join(GUIDES, '001_d3a7e98f4c956ea9.txt'), 'utf8');
      const at = guide.indexOf('Configure /etc/nginx/nginx.conf');
      assert.ok(at !== -1, 'the guide still has its NGINX section');
      const block = /```[a-z]*\n([\s\S]*?)```/.exec(guide.slice(at));
      assert.ok(block, 'the NGINX section has a code block');
      const result = analyze({ text: block[1], path: '/etc/nginx/nginx.conf' });
      assert.equal(result.kind, 'nginx');
      assert.deepEqual(
        result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.ruleId}: ${f.message}`),
        [],
      );
      assert.ok(result.passed.includes('nginx/stream-plaintext') && result.passed.includes('nginx/ssl-without-certificate'));
    });

    it('prints how often each rule fired', (t) => {
      const lines = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => `${String(n).padStart(4)}  ${id}`);
      t.diagnostic(`nginx corpus, ${entries.length} files, findings per rule:\n${lines.join('\n')}`);
    });
  });
}
