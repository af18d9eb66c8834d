// The "New Production-Ready …" commands: each command declared in package.json creates an untitled file
// of this name and language from one snippet of snippets/<file>. Contract data shared by package.json,
// the snippets and the client (which is generic over this table).

import { DOCUMENT_LANGUAGES } from './protocol';

export interface ConfigTemplate {
  /** The command id (package.json `contributes.commands`). */
  command: string;
  /** File name in the workspace folder (a number is added when it is taken). */
  fileName: string;
  /** The VS Code language id the new document gets. */
  language: (typeof DOCUMENT_LANGUAGES)[number];
  snippetFile: string;
  snippetPrefix: string;
}

export const TEMPLATES: readonly ConfigTemplate[] = [
  { command: 'prodready.newStackFile', fileName: 'docker-stack.yml', language: 'yaml', snippetFile: 'compose.json', snippetPrefix: 'prod-stack-file' },
  { command: 'prodready.newHelmValues', fileName: 'values-production.yaml', language: 'yaml', snippetFile: 'helm.json', snippetPrefix: 'prod-helm-values' },
  { command: 'prodready.newNginxConfig', fileName: 'nginx.conf', language: 'nginx', snippetFile: 'nginx.json', snippetPrefix: 'prod-nginx-conf' },
  { command: 'prodready.newHaproxyConfig', fileName: 'haproxy.cfg', language: 'haproxy', snippetFile: 'haproxy.json', snippetPrefix: 'prod-haproxy-cfg' },
];
