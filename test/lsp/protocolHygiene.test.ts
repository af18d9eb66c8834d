// Traffic a client should never send, through the real server process: a message whose header has no
// Content-Length must not leave the server deaf to the messages after it, and workspace folders that
// are not URIs are ignored with a log line while the server keeps serving.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileUri, REPO, ServerProcess } from './serverProcess';

function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Writes raw bytes to a fresh server and resolves with the first response carrying `id`. */
function rawExchange(raw: string[], id: number, timeoutMs = 20_000): Promise<{ response: { id: number; result?: unknown }; stderr: string }> {
  const proc = spawn(process.execPath, [path.join(REPO, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = Buffer.alloc(0);
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill();
      reject(new Error(`no response ${id} within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    proc.stderr.on('data', (d) => (stderr += d));
    proc.stdout.on('data', (d: Buffer) => {
      stdout = Buffer.concat([stdout, d]);
      for (;;) {
        const end = stdout.indexOf('\r\n\r\n');
        if (end === -1) return;
        const length = Number(/Content-Length: (\d+)/i.exec(stdout.subarray(0, end).toString())?.[1]);
        if (stdout.length < end + 4 + length) return;
        const message = JSON.parse(stdout.subarray(end + 4, end + 4 + length).toString()) as { id: number };
        stdout = stdout.subarray(end + 4 + length);
        if (message.id === id) {
          clearTimeout(timer);
          proc.kill();
          resolve({ response: message, stderr });
        }
      }
    });
    for (const chunk of raw) proc.stdin.write(chunk);
  });
}

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };

describe('protocol hygiene', () => {
  it('answers the request that follows a header without Content-Length', async () => {
    const malformed = `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${JSON.stringify({ ...INITIALIZE, id: 99 })}`;
    const { response, stderr } = await rawExchange([malformed, frame(INITIALIZE)], 1);
    assert.ok((response.result as { capabilities?: unknown }).capabilities, JSON.stringify(response));
    assert.match(stderr, /ignored a malformed message: a header without a valid Content-Length/);
  });

  it('answers it when the malformed header and the valid request arrive in one chunk, or byte by byte', async () => {
    const malformed = `Content-Lenght: 12\r\n\r\n{"oops":true}`;
    const both = malformed + frame(INITIALIZE);
    assert.ok((await rawExchange([both], 1)).response.result);
    assert.ok((await rawExchange([...both], 1)).response.result);
  });

  it('ignores workspace folders that are not URIs, says so, and keeps serving', async () => {
    const server = new ServerProcess();
    try {
      await server.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } } },
      });
      await server.connection.sendNotification('initialized', {});
      await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
        event: { added: [{ uri: 'not a uri', name: 'x' }, { name: 'no uri at all' }, null], removed: [{ uri: 42, name: 'y' }] },
      });
      const uri = fileUri('/tmp/prodready-hygiene/docker-stack.yml');
      const diagnostics = await server.open(uri, 'services:\n  web:\n    image: nginx:latest\n');
      assert.ok(diagnostics.some((d) => d.code === 'compose/image-tag'));
      assert.ok(server.logs.some((l) => /ignoring workspace folder .*not a uri/.test(l)), server.logs.join('\n'));
      assert.ok(server.alive);
      assert.doesNotMatch(server.stderr, /TypeError/);
    } finally {
      await server.stop();
    }
  });
});
