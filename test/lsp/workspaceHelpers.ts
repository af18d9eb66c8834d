// A client with workspace folders for the real server over stdio (ServerProcess underneath): it answers
// the `prodready` and `files` configuration sections, records progress and readiness notifications and
// watcher registrations, and waits on those messages — never on sleeps. Also the seeded generator of
// workspaces full of deployment configs used by the scan tests and test/bench/scan.ts.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { ReadinessChangedNotification, ReadinessReport, ReadinessRequest, RescanRequest } from '../../common/protocol';
import { generateStack, seededRandom } from '../bench/gen/compose';
import { generateHaproxy } from '../bench/gen/haproxy';
import { generateNginx } from '../bench/gen/nginx';
import { fileUri, ServerProcess } from './serverProcess';

export interface ProgressValue {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  message?: string;
  percentage?: number;
  cancellable?: boolean;
}

export interface Recorded<T> {
  value: T;
  /** performance.now() on arrival. */
  at: number;
}

export interface WorkspaceClientOptions {
  /** `prodready` settings (workspace/configuration answers these for every scope). */
  prodready?: Record<string, unknown>;
  /** `files` settings (e.g. `{ exclude: { '**\/build': true } }`). */
  files?: Record<string, unknown>;
  env?: Record<string, string>;
  /**
   * Ask for the readiness report right after `initialized`, as the VS Code client does (default true):
   * the server starts its workspace scan only for a client that uses it.
   */
  asksForReadiness?: boolean;
}

export class WorkspaceClient {
  readonly server: ServerProcess;
  readonly config: { prodready: Record<string, unknown>; files: Record<string, unknown> };
  readonly progress: Recorded<{ token: string | number; value: ProgressValue }>[] = [];
  readonly readinessChanges: Recorded<string[]>[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly progressTokens: (string | number)[] = [];
  private wakers: (() => void)[] = [];

  private constructor(options: WorkspaceClientOptions) {
    this.server = new ServerProcess({ PRODREADY_DEBOUNCE_MS: '20', ...options.env });
    this.config = { prodready: options.prodready ?? {}, files: options.files ?? {} };
    const c = this.server.connection;
    c.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((i) => (i.section === 'prodready' ? this.config.prodready : i.section === 'files' ? this.config.files : null)),
    );
    c.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.progressTokens.push(p.token);
      return null;
    });
    c.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      this.wake();
      return null;
    });
    c.onNotification('$/progress', (p: { token: string | number; value: ProgressValue }) => {
      this.progress.push({ value: p, at: performance.now() });
      this.wake();
    });
    c.onNotification(ReadinessChangedNotification.method, (p: { uris: string[] }) => {
      this.readinessChanges.push({ value: p.uris, at: performance.now() });
      this.wake();
    });
  }

  /** Starts the server with these workspace folders, as VS Code would (dynamic watchers, progress). */
  static async start(folders: string[], options: WorkspaceClientOptions = {}): Promise<WorkspaceClient> {
    const client = new WorkspaceClient(options);
    await client.server.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0] ? fileUri(folders[0]) : null,
      workspaceFolders: folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) })),
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: false },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
        },
      },
    });
    await client.server.connection.sendNotification('initialized', {});
    if (options.asksForReadiness !== false) await client.server.connection.sendRequest(ReadinessRequest.method, { includeSkipped: true });
    return client;
  }

  private wake(): void {
    for (const w of this.wakers.splice(0)) w();
  }

  /** Resolves with check()'s first defined value, re-checking whenever a progress or readiness message arrives. */
  waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}\n${this.server.stderr}`)), timeoutMs);
      const attempt = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (e) {
          clearTimeout(timer);
          reject(e);
          return;
        }
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else this.wakers.push(attempt);
      };
      attempt();
    });
  }

  readiness(includeSkipped?: boolean): Promise<ReadinessReport> {
    return this.server.connection.sendRequest(ReadinessRequest.type, includeSkipped === undefined ? {} : { includeSkipped });
  }

  /** The report once no scan is running (asks again after each ReadinessChanged while it is). */
  async settled(includeSkipped?: boolean): Promise<ReadinessReport> {
    for (;;) {
      const seen = this.readinessChanges.length;
      const report = await this.readiness(includeSkipped);
      if (!report.scanning) return report;
      await this.waitFor(() => (this.readinessChanges.length > seen ? true : undefined), 'the scan to finish');
    }
  }

  /** Resolves when a ReadinessChanged naming `uri` arrives after message number `since`. */
  async changed(uri: string, since: number): Promise<void> {
    await this.waitFor(
      () => (this.readinessChanges.slice(since).some((c) => c.value.includes(uri)) ? true : undefined),
      `readinessChanged for ${uri}`,
    );
  }

  rescan(): Promise<void> {
    return this.server.connection.sendRequest(RescanRequest.method);
  }

  watched(changes: { uri: string; type: FileChangeType }[]): Promise<void> {
    return this.server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /** Progress values of the first scan-like sequence (begin … end) in arrival order, once it ended. */
  async progressRun(fromIndex = 0): Promise<Recorded<ProgressValue>[]> {
    return this.waitFor(() => {
      const events = this.progress.slice(fromIndex);
      const begin = events.find((e) => e.value.value.kind === 'begin');
      if (!begin) return undefined;
      const mine = events.filter((e) => e.value.token === begin.value.token);
      if (!mine.some((e) => e.value.value.kind === 'end')) return undefined;
      return mine.map((e) => ({ value: e.value.value, at: e.at }));
    }, 'a progress begin … end');
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

export function tempWorkspace(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `prodready-${prefix}-`));
}

export function writeFile(root: string, rel: string, text: string): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Copies a fixture folder (test/fixtures/workspace-scan/<name>) into a fresh temporary folder. */
export function copyFixture(name: string, repo: string): string {
  const dir = tempWorkspace(name);
  fs.cpSync(path.join(repo, 'test/fixtures/workspace-scan', name), dir, { recursive: true });
  return dir;
}

export interface GeneratedWorkspace {
  root: string;
  /** Files the report lists (every detected config, skipped ones included), by relative path → kind. */
  configs: Map<string, string>;
  /** Of those, the ones skipped as non-production. */
  nonProduction: Set<string>;
  /** Files written in all, noise included. */
  written: number;
}

/**
 * `count` deployment configs in a seeded mix — Swarm stacks and compose files, Helm charts (Chart.yaml
 * + values files), NGINX and HAProxy configs — about one in twelve named for a non-production
 * environment (skipped for YAML kinds only), plus noise the scan must not list: other YAML, configs inside node_modules and .git.
 */
export function generateWorkspace(root: string, count: number, seed = 1): GeneratedWorkspace {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const configs = new Map<string, string>();
  const nonProduction = new Set<string>();
  let written = 0;
  const put = (rel: string, text: string, kind?: string, nonProd = false) => {
    writeFile(root, rel, text);
    written++;
    if (kind) configs.set(rel, kind);
    if (nonProd) nonProduction.add(rel);
  };
  for (let i = 0; configs.size < count; i++) {
    const team = `team-${i % 17}`;
    const n = String(i).padStart(4, '0');
    const roll = random();
    const nonProd = random() < 1 / 12;
    if (roll < 0.35) {
      const name = nonProd ? 'docker-compose.override.yml' : random() < 0.5 ? 'docker-stack.yml' : 'docker-compose.yml';
      put(`${team}/app-${n}/${name}`, generateStack(int(1, 4), seed * 100_000 + i), 'compose', nonProd);
    } else if (roll < 0.6) {
      const chart = `${team}/charts/chart-${n}`;
      put(`${chart}/Chart.yaml`, `apiVersion: v2\nname: chart-${n}\nversion: 0.${i}.0\nappVersion: "1.${i % 10}.0"\n`);
      put(`${chart}/${nonProd ? 'values-dev.yaml' : 'values.yaml'}`, helmValues(random, i), 'helm-values', nonProd);
    } else if (roll < 0.8) {
      // Environment words in NGINX and HAProxy names are site names (test.example.com), never skipped.
      const rel =
        random() < 0.5 ? `${team}/nginx-${n}/nginx.conf` : `${team}/proxy-${n}/conf.d/${nonProd ? 'test.example.com.conf' : 'site.conf'}`;
      put(rel, generateNginx(int(60, 180), seed * 100_000 + i), 'nginx');
    } else {
      put(`${team}/lb-${n}/${nonProd ? 'haproxy-dev.cfg' : 'haproxy.cfg'}`, generateHaproxy(int(60, 160), seed * 100_000 + i), 'haproxy');
    }
    // Noise: about one file in eight is YAML that is no deployment config.
    if (i % 8 === 0) put(`${team}/docs-${n}/mkdocs.yml`, `site_name: docs ${n}\nnav:\n  - Home: index.md\ntheme:\n  name: material\n`);
  }
  // Never walked: dependencies and version control.
  put('node_modules/some-package/docker-compose.yml', generateStack(1, seed));
  put('.git/docker-stack.yml', generateStack(1, seed + 1));
  return { root, configs, nonProduction, written };
}

function helmValues(random: () => number, i: number): string {
  const replicas = random() < 0.3 ? 1 : 3;
  const tag = random() < 0.3 ? 'latest' : `1.${i % 20}.${i % 7}`;
  const tls = random() < 0.5;
  return [
    `# Default values for chart ${i}.`,
    `replicaCount: ${replicas}`,
    '',
    'image:',
    `  repository: registry.example.com/team/app-${i}`,
    '  pullPolicy: IfNotPresent',
    `  tag: "${tag}"`,
    '',
    'service:',
    '  type: ClusterIP',
    '  port: 80',
    '',
    'ingress:',
    '  enabled: true',
    '  className: nginx',
    '  hosts:',
    `    - host: app-${i}.example.com`,
    '      paths:',
    '        - path: /',
    '          pathType: Prefix',
    ...(tls ? ['  tls:', `    - secretName: app-${i}-tls`, '      hosts:', `        - app-${i}.example.com`] : []),
    '',
    'resources:',
    ...(random() < 0.7
      ? ['  limits:', '    cpu: 500m', '    memory: 256Mi', '  requests:', '    cpu: 100m', '    memory: 128Mi']
      : ['  {}']),
    '',
    'livenessProbe:',
    '  httpGet:',
    '    path: /healthz',
    '    port: http',
    '',
    'autoscaling:',
    '  enabled: false',
    '',
  ].join('\n');
}

export { FileChangeType, fileUri };
