// Open documents are analysed independently (analysisRunner.ts): a document that takes long holds one
// worker while the others' diagnostics arrive from another. Asserted on the order in which publications
// arrive, never on how long anything took.

import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateStack } from '../bench/gen/compose';
import { ServerProcess } from './serverProcess';

const SMALL = `services:
  web:
    image: myorg/web:latest
    deploy:
      replicas: 2
`;

// About 2 MB: seconds of analysis on any machine, against milliseconds for SMALL.
const SLOW = generateStack(1000, 7);

describe('LSP: a slow document does not hold up the others', () => {
  let server: ServerProcess;
  before(async () => {
    server = new ServerProcess();
    await server.initialize();
  });
  after(() => server.stop());

  const publishedFor = (uri: string) => server.published.filter((p) => p.uri === uri);

  it("publishes another document's diagnostics while a slow one is analysed, and while it is edited", async () => {
    const slow = 'file:///work/independence/big/docker-stack.yml';
    const other = 'file:///work/independence/small/docker-stack.yml';
    const otherAgain = 'file:///work/independence/later/docker-stack.yml';

    // The slow document is opened first, so its job is the one running when the small one's arrives.
    const slowFirst = server.diagnostics(slow, 1, 300_000);
    void server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: slow, languageId: 'yaml', version: 1, text: SLOW } });
    const small = await server.open(other, SMALL);
    assert.ok(small.some((d) => d.code === 'compose/image-tag'), 'the small document was analysed');
    assert.deepEqual(publishedFor(slow), [], 'the small document did not wait for the slow one');
    await slowFirst;

    // Now the slow document is being edited: each version is slow again, and a third document opened in
    // the middle of it still gets its diagnostics before the slow document's next publication.
    const edited = SLOW.replace('services:\n', 'services:\n  added:\n    image: myorg/added:latest\n');
    const before = publishedFor(slow).length;
    const slowLast = server.diagnostics(slow, 3, 300_000);
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: slow, version: 2 }, contentChanges: [{ text: edited }] });
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: slow, version: 3 }, contentChanges: [{ text: `${edited}# end\n` }] });
    const later = await server.open(otherAgain, SMALL);
    assert.ok(later.some((d) => d.code === 'compose/image-tag'));
    assert.equal(publishedFor(slow).length, before, 'the third document did not wait for the edited slow one');

    // And the slow document ends up with its newest version analysed.
    const last = await slowLast;
    assert.ok(last.diagnostics.some((d) => d.message.includes('added')), 'the last edit was analysed');
    assert.ok(server.alive);
  });
});
