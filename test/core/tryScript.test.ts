// scripts/try.sh is the first thing a newcomer runs: a busy port must stop it before any install or
// build, with a message that says what to do.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from './harness';

function listen(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('scripts/try.sh', () => {
  it('fails fast with a clear message when its port is taken', async () => {
    const busy = await listen();
    const port = (busy.address() as net.AddressInfo).port;
    try {
      // Without a `code` CLI on PATH it would start the browser VS Code on PORT.
      const run = spawnSync('bash', [path.join(REPO, 'scripts/try.sh')], {
        encoding: 'utf8',
        env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, PORT: String(port), HOME: process.env.HOME ?? '/tmp' },
        timeout: 60_000,
      });
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, new RegExp(`port ${port} is already in use`));
      assert.match(run.stderr, /PORT=\d+ bash scripts\/try\.sh/, 'says how to pick another port');
      assert.doesNotMatch(run.stdout + run.stderr, /installing|npm/i, 'stopped before installing or building anything');
    } finally {
      busy.close();
    }
  });

  it('rejects a PORT that is not a port number', () => {
    const run = spawnSync('bash', [path.join(REPO, 'scripts/try.sh')], {
      encoding: 'utf8',
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, PORT: 'eighty', HOME: process.env.HOME ?? '/tmp' },
      timeout: 60_000,
    });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /PORT=eighty is not a port number/);
  });
});
