// The language server: wiring only. Analysis lives in ../core, its scheduling in diagnostics.ts and
// analysisRunner.ts, quick fixes in codeActions.ts, Fix All in fixAll.ts, settings in settings.ts, the
// workspace scan in workspace.ts (and workspace/), the sidebar's report in readiness.ts. Every handler
// is registered through handlers.ts.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  InitializeParams,
  MessageType,
  ShowMessageNotification,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { docsPath, ruleMeta } from '../core/catalog';
import {
  DIAGNOSTIC_SOURCE,
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
import { guardedStdin } from './transport';
import { keyOf, uriPath } from './uris';
import { productRoot, productVersion } from '../host/product';
import { runAnalysisWorker } from './worker';
import { Workspace } from './workspace';
import { ResultStore } from './workspace/store';

function startServer(): void {
  // Over stdio, the input goes through the framing guard; standard error is what every client shows.
  // With explicit streams the library leaves console.* writing to stdout, which would corrupt the
  // protocol: it goes to the client's log instead.
  const stdio = process.argv.includes('--stdio');
  const connection = stdio
    ? createConnection(ProposedFeatures.all, guardedStdin((m) => process.stderr.write(`${m}\n`)), process.stdout)
    : createConnection(ProposedFeatures.all);
  if (stdio) {
    for (const level of ['log', 'info', 'warn', 'error'] as const) console[level] = (...args: unknown[]) => connection.console[level](args.map(String).join(' '));
  }
  const documents = new TextDocuments(TextDocument);
  const log = (m: string) => connection.console.log(m);
  const handlers = new Handlers(connection, log);
  const root = productRoot();
  const docsUrl = (id: string) => (ruleMeta(id) ? pathToFileURL(path.join(root, ...docsPath(id).split('/'))).toString() : undefined);
  const runner = new AnalysisRunner(__filename, log);
  const settings = new SettingsCache(connection, log);
  // An invalid project configuration: said in the file itself and once as a warning; defaults apply.
  settings.onProjectConfig = (file, error) => {
    const uri = pathToFileURL(file).toString();
    const line = Math.max(0, (error?.line ?? 1) - 1);
    const diagnostics = error
      ? [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, message: error.message.replace(/^.*?:\d+: /, '') }]
      : [];
    void connection.sendDiagnostics({ uri, diagnostics });
    // A notification, not the request showWarningMessage sends: nothing for the client to answer.
    if (error) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `prodready: ${error.message}. The default settings are used until it is fixed.` });
  };
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
    analysed: (doc) => publisher.settled(doc),
    withFixes: (doc) => publisher.withFixes(doc),
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
        serverInfo: { name: 'prodready', version: productVersion(root) },
      };
    }),
  );

  connection.onInitialized(
    handlers.notification('initialized', () => {
      log(`prodready language server started (node ${process.version})`);
      runner.warmUp();
      warmUpAnalysis(runner);
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
    if (params.changes.some((c) => /\/\.prodready\.(ya?ml|json)$/.test(c.uri))) {
      settings.projectChanged();
      for (const doc of documents.all()) publisher.schedule(doc, true);
      void workspace.settingsChanged();
    }
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

if (!isMainThread) runAnalysisWorker();
else startServer();

/**
 * Tiny files of the kinds with costly first runs, analysed in the background as soon as the worker
 * starts: the Compose schema's validator is compiled and the rules' code warmed up before the first
 * document opens, instead of on its critical path. Background jobs yield to any open document's.
 */
const WARM_UP: { path: string; text: string }[] = [
  { path: '/prodready-warm-up/docker-stack.yml', text: 'services:\n  web:\n    image: nginx:1.27.3\n    deploy:\n      replicas: 2\n' },
  { path: '/prodready-warm-up/values.yaml', text: 'replicaCount: 2\nimage:\n  tag: "1.0"\n' },
];

function warmUpAnalysis(runner: AnalysisRunner): void {
  for (const [i, file] of WARM_UP.entries()) {
    runner.run({ key: `warm-up:${i}`, input: { ...file, fixes: 'deferred' }, priority: 'background', cached: false }).catch(() => undefined);
  }
}
