// The language server: wiring only. Analysis lives in ../core, its scheduling in diagnostics.ts and
// analysisRunner.ts, quick fixes in codeActions.ts, settings in settings.ts, the workspace scan in
// workspace.ts, the sidebar's report in readiness.ts, Fix All in fixAll.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  InitializeParams,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { docsPath, ruleMeta } from '../core/catalog';
import {
  FIX_ALL_ACTION_KIND,
  FixAllParams,
  FixAllRequest,
  ReadinessChangedNotification,
  ReadinessParams,
  ReadinessReport,
  ReadinessRequest,
  RescanRequest,
  SUPPRESSION_ACTION_KIND,
} from '../../../common/protocol';
import { AnalysisRunner } from './analysisRunner';
import { CodeActionProvider } from './codeActions';
import { DiagnosticsPublisher, uriPath } from './diagnostics';
import { FixAllProvider } from './fixAll';
import { entryFor, keyOf, ReadinessIndex } from './readiness';
import { serverSettingsFromConfig, SettingsCache, settingsFromConfig } from './settings';
import { runAnalysisWorker } from './worker';
import { watchedGlobs, WorkspaceScanner } from './workspace';

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
  const docsUrl = (id: string) => (ruleMeta(id) ? pathToFileURL(path.join(root, ...docsPath(id).split('/'))).toString() : undefined);
  const runner = new AnalysisRunner(__filename, log);
  const settings = new SettingsCache(connection, log);
  const fixedDebounce = process.env.PRODREADY_DEBOUNCE_MS === undefined ? undefined : Number(process.env.PRODREADY_DEBOUNCE_MS);
  const publisher = new DiagnosticsPublisher(connection, runner, settings, docsUrl, log, Number.isFinite(fixedDebounce) ? fixedDebounce : undefined);
  const readiness = new ReadinessIndex((uris) => void connection.sendNotification(ReadinessChangedNotification.type, { uris }));
  const openKeys = new Set<string>();
  const scanner = new WorkspaceScanner({ connection, runner, settings, readiness, docsUrl, isOpen: (key) => openKeys.has(key), log });
  let init: InitializeParams | undefined;
  let fixAllRuns = 0;
  const fixAll = new FixAllProvider({
    document: (uri) => documents.get(uri),
    current: (doc) => publisher.current(doc),
    settings: (uri) => settings.get(uri),
    // Each round its own key: Fix All never supersedes (nor is superseded by) any other analysis.
    analyse: (uri, text, fileSettings) => runner.run({ key: `fixAll:${++fixAllRuns}`, input: { text, path: uriPath(uri), settings: fileSettings }, cached: false }),
  });
  const codeActions = new CodeActionProvider({
    document: (uri) => documents.get(uri),
    analysed: (uri) => publisher.results.get(uri),
    fixAllEdits: (doc) => fixAll.edits(doc, publisher.current(doc)),
    documentChanges: () => !!init?.capabilities.workspace?.workspaceEdit?.documentChanges,
  });

  publisher.onAnalysed = (uri, analysed) => {
    const key = keyOf(uri);
    readiness.setOpen(key, analysed && openKeys.has(key) ? entryFor(uri, uriPath(uri), analysed.result, analysed.diagnostics) : undefined);
  };

  connection.onInitialize((params) => {
    init = params;
    settings.supportsConfiguration = !!params.capabilities.workspace?.configuration;
    const inline = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    settings.fallback = settingsFromConfig(inline, log);
    settings.fallbackServer = serverSettingsFromConfig(inline, undefined, log);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, SUPPRESSION_ACTION_KIND, FIX_ALL_ACTION_KIND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'prodready', version: readVersion(root) },
    };
  });

  connection.onInitialized(() => {
    log(`prodready language server started (node ${process.version})`);
    runner.warmUp();
    const capabilities = init?.capabilities;
    if (capabilities?.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [...watchedGlobs().map((globPattern) => ({ globPattern })), DELETIONS],
        })
        .catch((e) => log(`could not register file watchers: ${e}`));
    }
    if (capabilities?.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => scanner.changeFolders(e.added, e.removed));
    }
    void scanner.setFolders(initialFolders(init));
  });

  connection.onDidChangeConfiguration((change) => {
    settings.clear();
    const inline = (change.settings as Record<string, unknown> | undefined)?.prodready;
    if (!settings.supportsConfiguration && inline) {
      settings.fallback = settingsFromConfig(inline, log);
      settings.fallbackServer = serverSettingsFromConfig(inline, undefined, log);
    }
    for (const doc of documents.all()) publisher.schedule(doc, true);
    void scanner.settingsChanged();
  });

  connection.onDidChangeWatchedFiles((params) => scanner.filesChanged(params.changes));
  // Registered by method name, so a request sent with no params at all is answered too.
  connection.onRequest(ReadinessRequest.method, (params?: ReadinessParams | null): ReadinessReport =>
    readiness.report(params?.includeSkipped !== false, scanner.scanning),
  );
  connection.onRequest(RescanRequest.method, () => scanner.rescan());
  connection.onRequest(FixAllRequest.method, (params?: FixAllParams) => {
    if (typeof params?.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${FixAllRequest.method} needs the file's uri`);
    return fixAll.request(params);
  });

  // TextDocuments reports an open as a content change too; the open is validated at once, later
  // changes after the debounce.
  const justOpened = new Map<string, number>();
  documents.onDidOpen((e) => {
    justOpened.set(e.document.uri, e.document.version);
    openKeys.add(keyOf(e.document.uri));
    scanner.documentOpened(keyOf(e.document.uri));
    publisher.schedule(e.document, true);
  });
  documents.onDidChangeContent((e) => {
    if (justOpened.get(e.document.uri) === e.document.version) return;
    justOpened.delete(e.document.uri);
    publisher.schedule(e.document);
  });
  documents.onDidClose((e) => {
    justOpened.delete(e.document.uri);
    openKeys.delete(keyOf(e.document.uri));
    publisher.clear(e.document.uri);
    settings.forget(e.document.uri);
    scanner.documentClosed(keyOf(e.document.uri));
  });

  connection.onCodeAction((params) => codeActions.provide(params));

  connection.onShutdown(() => {
    scanner.shutdown();
    readiness.dispose();
    runner.dispose();
  });
  documents.listen(connection);
  connection.listen();
}

/** Deletions anywhere: a deleted folder arrives as one event for the folder, which the globs above miss. */
const DELETIONS = { globPattern: '**/*', kind: WatchKind.Delete };

function initialFolders(params: InitializeParams | undefined): WorkspaceFolder[] {
  if (params?.workspaceFolders) return params.workspaceFolders;
  if (params?.rootUri) return [{ uri: params.rootUri, name: path.basename(params.rootUri) }];
  if (params?.rootPath) return [{ uri: pathToFileURL(params.rootPath).toString(), name: path.basename(params.rootPath) }];
  return [];
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
