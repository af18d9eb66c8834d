// The VS Code side: starts the language server and hosts the editor features around it.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { CONFIG_SECTION, DOCUMENT_LANGUAGES } from '../../server/src/protocol';

export interface ProdreadyApi {
  /** Resolves once the language server is running. */
  ready: Promise<void>;
  client: LanguageClient;
}

let client: LanguageClient | undefined;

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
    synchronize: {
      configurationSection: CONFIG_SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{Chart.yaml,values.schema.json,*.conf,*.cfg}'),
    },
    outputChannel: output,
  };
  client = new LanguageClient('prodready', 'Prod Readiness', serverOptions, clientOptions);
  const ready = client.start();
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('prodready.showOutput', () => output.show(true)),
  );
  return { ready, client };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
