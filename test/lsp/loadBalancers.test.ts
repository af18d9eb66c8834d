// NGINX and HAProxy configs through the real server: detected by name, diagnostics with their rule
// codes, and a quick fix whose edit clears the finding — in both syntaxes.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerProcess } from './serverProcess';

const NGINX = `events {}
http {
    server_tokens off;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2; # legacy clients
    server {
        listen 443 ssl;
        server_name shop.example.com;
        ssl_certificate /etc/nginx/tls/shop.crt;
        ssl_certificate_key /etc/nginx/tls/shop.key;
        add_header Strict-Transport-Security "max-age=31536000" always;
        location / { proxy_pass http://shop; }
    }
    upstream shop {
        server 10.0.0.11:8080;
        server 10.0.0.12:8080;
    }
}
`;

const HAPROXY = `global
    ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
listen mqtt-tls
    bind :8883 ssl crt /etc/haproxy/certs/mqtt.pem
    server emqx1 10.0.0.21:1883   # first node
    server emqx2 10.0.0.22:1883 check
`;

async function fixFor(server: ServerProcess, uri: string, text: string, d: Diagnostic): Promise<string> {
  const actions = (await server.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix, `no preferred fix for ${d.code}: ${actions.map((a) => a.title)}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'x', 0, text), fix.edit!.changes![uri] as TextEdit[]);
}

describe('language server over stdio: load-balancer configs', () => {
  let server: ServerProcess;
  before(async () => {
    server = new ServerProcess({ PRODREADY_DEBOUNCE_MS: '20' });
    await server.initialize();
  });
  after(() => server.stop());

  it('nginx.conf: weak TLS protocols reported and fixed in place, comment kept', async () => {
    const uri = 'file:///srv/lb/nginx/nginx.conf';
    const diags = await server.open(uri, NGINX, 'nginx');
    assert.deepEqual(
      diags.filter((d) => d.severity! <= 2).map((d) => d.code),
      ['nginx/weak-tls-protocols'],
    );
    const weak = diags.find((d) => d.code === 'nginx/weak-tls-protocols')!;
    assert.equal(weak.range.start.line, 3);
    assert.ok(weak.codeDescription?.href.endsWith('/docs/rules/nginx/weak-tls-protocols.md'));
    const fixed = await fixFor(server, uri, NGINX, weak);
    assert.ok(fixed.includes('ssl_protocols TLSv1.2 TLSv1.3; # legacy clients'), fixed);
    const after = await server.change(uri, 2, fixed);
    assert.ok(!after.some((d) => d.code === 'nginx/weak-tls-protocols'));
  });

  it('haproxy.cfg: a server without check gets " check" appended', async () => {
    const uri = 'file:///srv/lb/haproxy/haproxy.cfg';
    const diags = await server.open(uri, HAPROXY, 'haproxy');
    const noCheck = diags.filter((d) => d.code === 'haproxy/no-health-check');
    assert.equal(noCheck.length, 1, JSON.stringify(diags.map((d) => d.code)));
    assert.equal(noCheck[0].range.start.line, 9);
    const fixed = await fixFor(server, uri, HAPROXY, noCheck[0]);
    assert.ok(fixed.includes('server emqx1 10.0.0.21:1883 check   # first node'), fixed);
    const after = await server.change(uri, 2, fixed);
    assert.ok(!after.some((d) => d.code === 'haproxy/no-health-check'));
  });

  it('broken NGINX syntax is a diagnostic, not a crash', async () => {
    const uri = 'file:///srv/lb/nginx/conf.d/broken.conf';
    const diags = await server.open(uri, 'server {\n    listen 80\n    location / {\n', 'nginx');
    assert.ok(diags.some((d) => d.code === 'nginx/syntax' && d.severity === 1));
    assert.ok(server.alive);
  });
});
