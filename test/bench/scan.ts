// Workspace scan throughput: a seeded workspace of `count` deployment configs (test/lsp/workspaceHelpers
// generateWorkspace: stacks, Helm charts, NGINX, HAProxy, plus noise), the real server over stdio, timed
// from the `initialized` notification (followed by the readiness request that starts the scan, as the
// VS Code client sends it) to the scan's progress `end`. `files` counts every file the scan
// read and analysed (configs, Chart.yaml files and other YAML alike: the "n/m files" of the progress).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ReadinessRequest } from '../../common/protocol';
import { fileUri, ServerProcess } from '../lsp/serverProcess';
import { generateWorkspace, tempWorkspace } from '../lsp/workspaceHelpers';

export interface ScanFigures {
  files: number;
  ms: number;
  filesPerSecond: number;
}

export async function benchScan(count: number): Promise<ScanFigures> {
  const root = tempWorkspace(`bench-scan-${count}`);
  generateWorkspace(root, count, 7);
  const server = new ServerProcess();
  try {
    const c = server.connection;
    let done: (v: { at: number; total: number }) => void = () => undefined;
    const ended = new Promise<{ at: number; total: number }>((resolve) => (done = resolve));
    let total = 0;
    c.onNotification('$/progress', (p: { value: { kind: string; message?: string } }) => {
      const m = /^(\d+)\/(\d+) files$/.exec(p.value.message ?? '');
      if (m) total = Number(m[2]);
      if (p.value.kind === 'end') done({ at: performance.now(), total });
    });
    await c.sendRequest('initialize', {
      processId: process.pid,
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: path.basename(root) }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true, workspaceFolders: true } },
    });
    const start = performance.now();
    await c.sendNotification('initialized', {});
    await c.sendRequest(ReadinessRequest.method, { includeSkipped: true });
    const end = await ended;
    const ms = end.at - start;
    return { files: end.total, ms: Math.round(ms), filesPerSecond: Math.round((end.total / ms) * 1000) };
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void (async () => {
    const counts = process.argv
      .slice(2)
      .map(Number)
      .filter((n) => n > 0);
    for (const count of counts.length ? counts : [100, 1000]) {
      const figures = await benchScan(count);
      console.log(`scan of ${count} configs: ${figures.files} files in ${figures.ms} ms = ${figures.filesPerSecond} files/s`);
    }
  })();
}
