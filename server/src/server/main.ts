// The language server: wiring only. Analysis lives in ../core, its scheduling in diagnostics.ts and
// analysisRunner.ts, quick fixes in codeActions.ts, settings in settings.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleMeta } from '../core/analyze';
import { AnalysisRunner } from './analysisRunner';
import { codeActionsFor } from './codeActions';
import { DiagnosticsPublisher } from './diagnostics';
import { SettingsCache, settingsFromConfig } from './settings';
import { runAnalysisWorker } from './worker';

/** The folder holding package.json (and docs/, schemas/): dist/.. when bundled. */
export function productRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'docs'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..');
}

function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const log = (m: string) => connection.console.log(m);
  const root = productRoot();
  const docsUrl = (id: string) => (ruleMeta(id) ? pathToFileURL(path.join(root, 'docs', 'rules', `${id}.md`)).toString() : undefined);
  const runner = new AnalysisRunner(__filename, log);
  const settings = new SettingsCache(connection, log);
  const debounce = Number(process.env.PRODREADY_DEBOUNCE_MS ?? 120);
  const publisher = new DiagnosticsPublisher(connection, runner, settings, docsUrl, log, Number.isFinite(debounce) ? debounce : 120);

  connection.onInitialize((params) => {
    settings.supportsConfiguration = !!params.capabilities.workspace?.configuration;
    settings.fallback = settingsFromConfig((params.initializationOptions as { settings?: unknown } | undefined)?.settings, log);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'prodready', version: readVersion(root) },
    };
  });

  connection.onInitialized(() => log(`prodready language server started (node ${process.version})`));

  connection.onDidChangeConfiguration((change) => {
    settings.clear();
    const inline = (change.settings as Record<string, unknown> | undefined)?.prodready;
    if (!settings.supportsConfiguration && inline) settings.fallback = settingsFromConfig(inline, log);
    for (const doc of documents.all()) publisher.schedule(doc, true);
  });

  // TextDocuments reports an open as a content change too; the open is validated at once, later
  // changes after the debounce.
  const justOpened = new Map<string, number>();
  documents.onDidOpen((e) => {
    justOpened.set(e.document.uri, e.document.version);
    publisher.schedule(e.document, true);
  });
  documents.onDidChangeContent((e) => {
    if (justOpened.get(e.document.uri) === e.document.version) return;
    justOpened.delete(e.document.uri);
    publisher.schedule(e.document);
  });
  documents.onDidClose((e) => {
    justOpened.delete(e.document.uri);
    publisher.clear(e.document.uri);
    settings.forget(e.document.uri);
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    return doc ? codeActionsFor(doc, publisher.results.get(doc.uri), params) : [];
  });

  connection.onShutdown(() => runner.dispose());
  documents.listen(connection);
  connection.listen();
}

function readVersion(root: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

if (!isMainThread) runAnalysisWorker();
else startServer();
