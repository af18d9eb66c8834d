// The language server: wiring only. Analysis lives in ../core, its scheduling in diagnostics.ts and
// analysisRunner.ts, quick fixes in codeActions.ts, Fix All in fixAll.ts, settings in settings.ts, the
// workspace scan in workspace.ts (and workspace/), the sidebar's report in readiness.ts. Every handler
// is registered through handlers.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  InitializeParams,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { docsPath, ruleMeta } from '../core/catalog';
import {
  FIX_ALL_ACTION_KIND,
  FixAllRequest,
  ReadinessChangedNotification,
  ReadinessRequest,
  RescanRequest,
  SUPPRESSION_ACTION_KIND,
} from '../../../common/protocol';
import { AnalysisRunner } from './analysisRunner';
import { CodeActionProvider } from './codeActions';
import { DiagnosticsPublisher } from './diagnostics';
import { FixAllProvider } from './fixAll';
import { Handlers } from './handlers';
import { ReadinessProjection } from './readiness';
import { SettingsCache } from './settings';
import { keyOf, uriPath } from './uris';
import { runAnalysisWorker } from './worker';
import { Workspace } from './workspace';
import { ResultStore } from './workspace/store';

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
  const handlers = new Handlers(connection, log);
  const root = productRoot();
  const docsUrl = (id: string) => (ruleMeta(id) ? pathToFileURL(path.join(root, ...docsPath(id).split('/'))).toString() : undefined);
  const runner = new AnalysisRunner(__filename, log);
  const settings = new SettingsCache(connection, log);
  const fixedDebounce = process.env.PRODREADY_DEBOUNCE_MS === undefined ? undefined : Number(process.env.PRODREADY_DEBOUNCE_MS);
  const publisher = new DiagnosticsPublisher(connection, runner, settings, docsUrl, log, Number.isFinite(fixedDebounce) ? fixedDebounce : undefined);
  publisher.openDocuments = () => documents.all();
  const store = new ResultStore();
  const readiness = new ReadinessProjection(store, docsUrl, (uris) => void connection.sendNotification(ReadinessChangedNotification.type, { uris }));
  const openKeys = new Set<string>();
  const workspace = new Workspace({
    connection,
    runner,
    settings,
    store,
    docsUrl,
    isOpen: (key) => openKeys.has(key),
    onScanningChanged: () => readiness.markChanged(),
    log,
  });
  publisher.rootOf = (path) => workspace.folderOf(path);

  let fixAllRuns = 0;
  const fixAll = new FixAllProvider({
    document: (uri) => documents.get(uri),
    current: (doc) => publisher.current(doc),
    settings: (uri) => settings.get(uri),
    // Each round its own key: Fix All never supersedes (nor is superseded by) any other analysis.
    analyse: (uri, text, fileSettings) => runner.run({ key: `fixAll:${++fixAllRuns}`, input: { text, path: uriPath(uri), settings: fileSettings }, cached: false }),
  });
  let init: InitializeParams | undefined;
  const codeActions = new CodeActionProvider({
    document: (uri) => documents.get(uri),
    analysed: (uri) => publisher.results.get(uri),
    fixAllEdits: (doc) => fixAll.edits(doc, publisher.current(doc)),
    documentChanges: () => !!init?.capabilities.workspace?.workspaceEdit?.documentChanges,
  });

  publisher.onAnalysed = (uri, analysed) => {
    const key = keyOf(uri);
    readiness.setOpen(
      key,
      analysed && openKeys.has(key) ? { uri, path: uriPath(uri), result: analysed.result, ranges: analysed.diagnostics.map((d) => d.range) } : undefined,
    );
  };

  connection.onInitialize(
    handlers.request('initialize', (params: InitializeParams) => {
      init = params;
      settings.initialize(!!params.capabilities.workspace?.configuration, params.initializationOptions);
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, SUPPRESSION_ACTION_KIND, FIX_ALL_ACTION_KIND] },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: 'prodready', version: readVersion(root) },
      };
    }),
  );

  connection.onInitialized(
    handlers.notification('initialized', () => {
      log(`prodready language server started (node ${process.version})`);
      runner.warmUp();
      workspace.watchFiles(init?.capabilities).catch((e) => log(`could not register file watchers: ${e}`));
      if (init?.capabilities.workspace?.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          handlers.notification('workspace/didChangeWorkspaceFolders', (e) => workspace.changeFolders(e.added, e.removed)),
        );
      }
      return workspace.setFolders(initialFolders(init));
    }),
  );

  handlers.onNotification(DidChangeConfigurationNotification.type, (change) => {
    settings.changed(change.settings);
    for (const doc of documents.all()) publisher.schedule(doc, true);
    return workspace.settingsChanged();
  });

  handlers.onNotification(DidChangeWatchedFilesNotification.type, (params) => {
    workspace.filesChanged(params.changes);
    publisher.dependenciesChanged(documents.all(), new Set(params.changes.map((c) => keyOf(c.uri))));
  });
  handlers.onRequest(ReadinessRequest.type, (params) => {
    // The first report request starts the scan (synchronously up to its first batch, so this very
    // report already says it is scanning).
    void workspace.start();
    return readiness.report(params?.includeSkipped !== false, workspace.scanner.scanning);
  });
  handlers.onRequest(RescanRequest.type, () => (workspace.isStarted ? workspace.scanner.rescan() : workspace.start()));
  handlers.onRequest(FixAllRequest.type, (params) => {
    if (typeof params?.uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${FixAllRequest.method} needs the file's uri`);
    return fixAll.request(params);
  });
  connection.onCodeAction(
    handlers.request(
      'textDocument/codeAction',
      (params) => codeActions.provide(params),
      (p) => typeof p?.textDocument?.uri === 'string' && !!p.range?.start && !!p.range?.end && Array.isArray(p.context?.diagnostics),
    ),
  );

  documents.onDidOpen(
    handlers.notification('textDocument/didOpen', (e) => {
      openKeys.add(keyOf(e.document.uri));
      workspace.documentOpened(keyOf(e.document.uri));
      publisher.opened(e.document);
    }),
  );
  documents.onDidChangeContent(handlers.notification('textDocument/didChange', (e) => publisher.changed(e.document)));
  documents.onDidClose(
    handlers.notification('textDocument/didClose', (e) => {
      openKeys.delete(keyOf(e.document.uri));
      publisher.clear(e.document.uri);
      settings.forget(e.document.uri);
      workspace.documentClosed(keyOf(e.document.uri));
    }),
  );

  connection.onShutdown(
    handlers.request('shutdown', () => {
      workspace.shutdown();
      readiness.dispose();
      runner.dispose();
    }),
  );
  documents.listen(connection);
  connection.listen();
}

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
