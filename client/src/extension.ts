// The VS Code side: starts the language server and hosts the editor features around it — the
// Readiness sidebar, the status bar item and the commands.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { CONFIG_SECTION, DOCUMENT_LANGUAGES, ReadinessChangedNotification, ReadinessReport, ReadinessRequest, RescanRequest } from '../../common/protocol';
import { disableForLine, fixAllInFile, FixOutcome, quickFix } from './fixes';
import { TEMPLATES } from '../../common/templates';
import { createFromTemplate } from './newConfig';
import { ReadinessChange, ReadinessModel, ReadinessSource } from './readiness/model';
import { snapshotTree, TreeSnapshotNode } from './readiness/snapshot';
import { FileNode, ReadinessNode, ReadinessTreeProvider, VIEW_ID } from './readiness/tree';
import { pickRule, showRuleDocumentation } from './ruleDocs';
import { ReadinessStatusBar, REVEAL_COMMAND, StatusSnapshot } from './statusBar';

export interface ProdreadyApi {
  /** Resolves once the language server is running. */
  ready: Promise<void>;
  client: LanguageClient;
  readiness: {
    /** The last report received (URIs as `vscode.Uri#toString()`). */
    report(): ReadinessReport;
    /** Fires after a new report that differs from the last. */
    onDidChange: vscode.Event<ReadinessChange>;
    /** Asks the server for the report now. */
    refresh(): Promise<void>;
    provider: ReadinessTreeProvider;
    view: vscode.TreeView<ReadinessNode>;
    /** The sidebar's tree as VS Code gets it from the provider, expanded to the given depth. */
    snapshot(depth?: number): TreeSnapshotNode[];
  };
  statusBar: {
    readonly state: StatusSnapshot;
    onDidChange: vscode.Event<StatusSnapshot>;
  };
}

let client: LanguageClient | undefined;

const SHOW_SKIPPED_KEY = 'prodready.showSkipped';
/** `starting` (no report yet), `empty` (no deployment configs: the welcome view), `ready`. */
const STATE_CONTEXT = 'prodready.readinessState';

export function activate(context: vscode.ExtensionContext): ProdreadyApi {
  const output = vscode.window.createOutputChannel('Prod Readiness');
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // File events: the server registers watchers for what it scans and depends on (dynamically).
    synchronize: {
      // files.exclude narrows the workspace scan too.
      configurationSection: [CONFIG_SECTION, 'files.exclude'],
    },
    outputChannel: output,
    middleware: {
      workspace: {
        // Only what the user set explicitly (user, workspace or folder settings) goes to the server, so the
        // team's .prodready.yaml applies wherever nobody chose otherwise; VS Code's defaults stay out.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) => (item.section === CONFIG_SECTION ? explicitSettings(context, item.scopeUri) : answers[i]));
        },
      },
    },
  };
  const languageClient = new LanguageClient('prodready', 'Prod Readiness', serverOptions, clientOptions);
  client = languageClient;
  const ready = languageClient.start();
  const log = (message: string) => output.appendLine(message);

  const source: ReadinessSource = {
    fetch: async () => {
      await ready;
      return languageClient.sendRequest(ReadinessRequest.type, { includeSkipped: true });
    },
    onDidChange: (listener) => languageClient.onNotification(ReadinessChangedNotification.type, () => listener()),
  };
  const model = new ReadinessModel(source, log);
  const provider = new ReadinessTreeProvider(model, { showSkipped: context.workspaceState.get<boolean>(SHOW_SKIPPED_KEY, false) });
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  if (vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>('revealReadinessView')) {
    // The view container's own command: shows the Readiness view, as clicking the shield would.
    void vscode.commands.executeCommand(`workbench.view.extension.${CONFIG_SECTION}`);
  }
  const statusBar = new ReadinessStatusBar(model);

  const contextKeys = new Map<string, unknown>();
  const setContext = (key: string, value: unknown) => {
    if (contextKeys.get(key) === value) return;
    contextKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const updateContext = () => {
    setContext(STATE_CONTEXT, !model.isLoaded ? 'starting' : provider.isEmpty && !model.scanning ? 'empty' : 'ready');
    setContext(SHOW_SKIPPED_KEY, provider.skippedShown);
  };
  updateContext();
  ready.then(
    () => model.refresh(),
    (e) => log(`the language server did not start: ${(e as Error)?.message ?? e}`),
  );

  const extensionUri = context.extensionUri;
  const register = (id: string, run: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, run);
  const fileOf = (arg: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string') return vscode.Uri.parse(arg);
    const node = arg as ReadinessNode | undefined;
    let n: ReadinessNode | undefined = node;
    while (n && n.type !== 'file') n = 'parent' in n ? n.parent : undefined;
    return n ? vscode.Uri.parse((n as FileNode).uri) : undefined;
  };
  const findingOf = (arg: unknown) => ((arg as ReadinessNode | undefined)?.type === 'finding' ? (arg as Extract<ReadinessNode, { type: 'finding' }>) : undefined);
  const ruleIdOf = (arg: unknown): string | undefined => {
    if (typeof arg === 'string') return arg;
    const node = arg as ReadinessNode | undefined;
    if (node?.type === 'finding') return node.finding.ruleId;
    if (node?.type === 'check') return node.check.ruleId;
    return undefined;
  };
  const rescan = async () => {
    await ready;
    await languageClient.sendRequest(RescanRequest.type);
    await model.refresh();
  };
  const reveal = async (uri: vscode.Uri | string | undefined) => {
    const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return;
    if (model.file(target)?.skipped && !provider.skippedShown) setShowSkipped(true);
    const node = provider.fileNode(target);
    if (node) await view.reveal(node, { select: true, focus: true, expand: true });
    else await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  };
  const setShowSkipped = (show: boolean) => {
    provider.setShowSkipped(show);
    void context.workspaceState.update(SHOW_SKIPPED_KEY, show);
    updateContext();
  };
  const report = (what: string, outcome: FixOutcome | number) => log(`${what}: ${outcome}`);

  context.subscriptions.push(
    output,
    model,
    provider,
    view,
    statusBar,
    model.onDidChange(updateContext),
    // A restarted server (after a crash) starts from scratch: ask for its report again.
    languageClient.onDidChangeState((e) => {
      if (e.newState === State.Running && e.oldState !== State.Running) void model.refresh();
    }),
    register('prodready.showOutput', () => output.show(true)),
    register('prodready.scanWorkspace', rescan),
    register('prodready.refresh', rescan),
    register('prodready.showSkippedFiles', () => setShowSkipped(true)),
    register('prodready.hideSkippedFiles', () => setShowSkipped(false)),
    register(REVEAL_COMMAND, reveal),
    register('prodready.fixAll', async (arg?: unknown) => {
      // A node of the sidebar (its file), else the active editor, else the sidebar's selection.
      const uri = fileOf(arg) ?? activeConfig(model) ?? fileOf(view.selection[0]);
      if (!uri) {
        void vscode.window.showInformationMessage('Prod Readiness: open a deployment config (or select one in the Readiness view) to fix.');
        return 0;
      }
      try {
        const count = await fixAllInFile(languageClient, uri);
        report(`Fix All ${uri.toString()}`, count);
        if (count === 0) void vscode.window.showInformationMessage(`Prod Readiness: nothing auto-fixable in ${vscode.workspace.asRelativePath(uri)}.`);
        else await vscode.window.showTextDocument(uri, { preview: false });
        return count;
      } catch (e) {
        void vscode.window.showErrorMessage(`Prod Readiness: ${(e as Error).message}`);
        return 0;
      }
    }),
    register('prodready.quickFix', async (arg: unknown) => {
      const node = findingOf(arg);
      const uri = fileOf(arg);
      if (!node || !uri) return 'none';
      const outcome = await quickFix(languageClient, uri, node.finding);
      report(`Quick fix ${node.finding.ruleId}`, outcome);
      return outcome;
    }),
    register('prodready.disableForLine', async (arg: unknown) => {
      const node = findingOf(arg);
      const uri = fileOf(arg);
      if (!node || !uri) return 'none';
      const outcome = await disableForLine(languageClient, uri, node.finding);
      report(`Disable ${node.finding.ruleId}`, outcome);
      return outcome;
    }),
    register('prodready.showRuleDocumentation', async (arg?: unknown) => {
      const id = ruleIdOf(arg) ?? (await pickRule(extensionUri));
      return id ? showRuleDocumentation(extensionUri, id) : false;
    }),
    register('prodready.openRuleDocumentation', async (arg?: unknown) => {
      const id = ruleIdOf(arg) ?? (await pickRule(extensionUri));
      return id ? showRuleDocumentation(extensionUri, id) : false;
    }),
    ...TEMPLATES.map((template) => register(template.command, () => createFromTemplate(extensionUri, template))),
  );

  return {
    ready,
    client: languageClient,
    readiness: {
      report: () => model.current,
      onDidChange: model.onDidChange,
      refresh: () => model.refresh(),
      provider,
      view,
      snapshot: (depth) => snapshotTree(provider, depth),
    },
    statusBar: {
      get state() {
        return statusBar.snapshot;
      },
      onDidChange: statusBar.onDidChange,
    },
  };
}

/** The active editor's file, when it is (or may be) a deployment config. */
function activeConfig(model: ReadinessModel): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) return undefined;
  return model.file(document.uri) || (DOCUMENT_LANGUAGES as readonly string[]).includes(document.languageId) ? document.uri : undefined;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** The `prodready.*` settings the user has set somewhere, at the most specific level that sets each. */
function explicitSettings(context: vscode.ExtensionContext, scopeUri: string | undefined): Record<string, unknown> {
  const scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const declared = Object.keys((context.extension.packageJSON as { contributes?: { configuration?: { properties?: object } } }).contributes?.configuration?.properties ?? {});
  const out: Record<string, unknown> = {};
  for (const key of declared.filter((k) => k.startsWith(`${CONFIG_SECTION}.`)).map((k) => k.slice(CONFIG_SECTION.length + 1))) {
    const set = config.inspect(key);
    const value = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
    if (value !== undefined) out[key] = value;
  }
  return out;
}

