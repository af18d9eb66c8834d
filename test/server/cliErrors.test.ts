// A file whose analysis throws is named on stderr and the run goes on with the other files, ending with
// its own exit status (3), so CI can tell "a file was not checked" from "findings" (1).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../server/src/cli/main';
import { analyze } from '../../server/src/core/analyze';
import { AnalysisInput } from '../../server/src/core/types';

const UNSAFE = 'services:\n  web:\n    image: nginx:latest\n';
const CLEAN_ENOUGH = 'services:\n  web:\n    image: nginx:1.27\n';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { output: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('prodready check: a file that cannot be analysed', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-cli-'));
    fs.writeFileSync(path.join(dir, 'a-compose.yml'), UNSAFE);
    fs.writeFileSync(path.join(dir, 'b-compose.yml'), UNSAFE);
    fs.writeFileSync(path.join(dir, 'c-compose.yml'), CLEAN_ENOUGH);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const failingOn = (name: string) => (input: AnalysisInput) => {
    if (input.path.endsWith(name)) throw new RangeError('Maximum call stack size exceeded');
    return analyze(input);
  };

  it('is named on stderr, the other files are still reported, and the exit status is 3', async () => {
    const c = capture();
    const status = await run(['check', '--quiet', dir], c.output, failingOn('/b-compose.yml'));
    assert.equal(status, 3);
    assert.deepEqual(c.err, [`prodready: ${path.join(dir, 'b-compose.yml')}: could not be analysed: Maximum call stack size exceeded\n`]);
    const reported = new Set(c.out.map((l) => path.basename(l.split(':')[0])));
    assert.ok(reported.has('a-compose.yml'), c.out.join(''));
    assert.ok(!reported.has('b-compose.yml'), 'nothing half-reported for the failed file');
  });

  it('keeps the failed file out of the JSON report and the others in it', async () => {
    const c = capture();
    const status = await run(['check', '--format', 'json', dir], c.output, failingOn('/a-compose.yml'));
    assert.equal(status, 3);
    const report = JSON.parse(c.out.join('')) as { file: string }[];
    assert.deepEqual(report.map((r) => path.basename(r.file)), ['b-compose.yml', 'c-compose.yml']);
  });

  it('without a failure, exits 1 on findings as before', async () => {
    const c = capture();
    assert.equal(await run(['check', '--quiet', dir], c.output), 1);
    assert.deepEqual(c.err, []);
  });
});
