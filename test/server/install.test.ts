// The CLI as users install it: `npm pack`, then `npm install -g` of the tarball into a throwaway prefix
// with the network off (--offline). The bundles are self-contained, so nothing else is fetched.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-install-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `npm ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('the installable CLI', () => {
  it('installs from its tarball with no download and gives a working prodready command', () => {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], REPO)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    assert.ok(files.includes('dist/cli.js') && files.includes('schemas/prodready-config.schema.json'));
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('server/src/')), 'no sources or tests in the tarball');
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies?: object; version: string };
    assert.equal(pkg.dependencies, undefined, 'no run-time dependencies to download');

    const prefix = path.join(tmp, 'prefix');
    npm(['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(tmp, packed[0].filename)], tmp);
    const bin = path.join(prefix, 'bin', 'prodready');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout, `prodready ${pkg.version}\n`);
    const check = spawnSync(bin, ['check', path.join(REPO, 'examples/swarm/stack-before.yml')], { encoding: 'utf8' });
    assert.equal(check.status, 1);
    assert.match(check.stdout, /compose\/manager-placement/);
    assert.ok(fs.existsSync(path.join(prefix, 'bin', 'prodready-language-server')));
  });
});
