// A Helm chart folder through the real server: the values file is recognised by its Chart.yaml, rules
// and the chart's values.schema.json both report, and a quick fix edits only the replica count.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerProcess } from './serverProcess';

const VALUES = `# Web front end
replicaCount: 1 # raised later
image:
  repository: registry.example.com/web
  tag: 1.4
resources:
  requests: {cpu: 100m, memory: 128Mi}
  limits: {cpu: 500m, memory: 256Mi}
`;

describe('language server over stdio: Helm chart folder', () => {
  let server: ServerProcess;
  let chart: string;
  before(async () => {
    chart = fs.mkdtempSync(path.join(os.tmpdir(), 'prodready-chart-'));
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    fs.writeFileSync(
      path.join(chart, 'values.schema.json'),
      JSON.stringify({ type: 'object', properties: { replicaCount: { type: 'integer' }, image: { type: 'object', properties: { tag: { type: 'string' } } } } }),
    );
    server = new ServerProcess({ PRODREADY_DEBOUNCE_MS: '20' });
    await server.initialize();
  });
  after(async () => {
    await server.stop();
    fs.rmSync(chart, { recursive: true, force: true });
  });

  it('reports rule findings and schema errors on the values file, and fixes the replica count', async () => {
    const uri = pathToFileURL(path.join(chart, 'values.yaml')).toString();
    const diags = await server.open(uri, VALUES);
    const single = diags.find((d) => d.code === 'helm/single-replica');
    assert.ok(single, JSON.stringify(diags.map((d) => d.code)));
    assert.equal(single.range.start.line, 1);
    // `tag: 1.4` is a number, and the chart's schema wants a string: Helm would refuse to install.
    const schema = diags.find((d) => d.code === 'helm/schema');
    assert.ok(schema, 'schema error reported');
    assert.equal(schema.severity, 1);
    assert.equal(schema.range.start.line, 4);

    const actions = (await server.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: single.range,
      context: { diagnostics: [single] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.isPreferred)!;
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, VALUES), fix.edit!.changes![uri] as TextEdit[]);
    assert.equal(fixed, VALUES.replace('replicaCount: 1 # raised later', 'replicaCount: 2 # raised later'));
    const after = await server.change(uri, 2, fixed);
    assert.ok(!after.some((d) => d.code === 'helm/single-replica'));
    assert.ok(after.some((d) => d.code === 'helm/schema'), 'the schema error stays until the tag is fixed');
  });

  it('leaves a values file outside any chart alone', async () => {
    const diags = await server.open('file:///tmp/not-a-chart/values.yaml', VALUES);
    assert.deepEqual(diags, []);
  });
});
