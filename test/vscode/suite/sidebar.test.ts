/**
 * The Readiness sidebar and the status bar item in a real VS Code, read through the extension's API
 * (the tree exactly as its TreeDataProvider hands it to VS Code), on the files in
 * test/fixtures/workspace/readiness/. Everything waits on events: the model's report changes, the
 * tree's onDidChangeTreeData, the status bar's changes, diagnostics.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, fixtureUri, openFixture, requestScreenshot, waitForDiagnostics, waitForEvent, workspaceFolder } from './util';

// The parts of the extension's API (client/src/extension.ts, ProdreadyApi) these tests use.
interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface Finding {
  ruleId: string;
  severity: string;
  category: string;
  fixable: boolean;
  range: Range;
}
interface FileReadiness {
  uri: string;
  kind?: string;
  skipped?: string;
  findings: Finding[];
  passed: { ruleId: string; category: string }[];
  score?: number;
}
interface Report {
  files: FileReadiness[];
  score?: number;
  counts: Record<string, number>;
  scanning: boolean;
}
interface SnapshotNode {
  label: string;
  description?: string;
  icon?: string;
  contextValue?: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: { command: string; arguments?: unknown[] };
  id?: string;
  node: { type: string; uri?: string };
  children?: SnapshotNode[];
}
type TreeChange = object | object[] | undefined | null | void;
interface Api {
  ready: Promise<void>;
  readiness: {
    report(): Report;
    onDidChange: vscode.Event<{ changed: string[]; listChanged: boolean }>;
    refresh(): Promise<void>;
    provider: { onDidChangeTreeData: vscode.Event<TreeChange>; fileNode(uri: vscode.Uri | string): object | undefined };
    view: vscode.TreeView<unknown>;
    snapshot(depth?: number): SnapshotNode[];
  };
  statusBar: { readonly state: { visible: boolean; text: string; tooltip: string; uri?: string }; onDidChange: vscode.Event<unknown> };
}

const FIXTURES = ['readiness/app-stack.yml', 'readiness/fixall-stack.yml', 'readiness/nginx/nginx.conf', 'readiness/haproxy.cfg', 'readiness/chart/values.yaml'];
const SKIPPED = 'readiness/docker-compose.override.yml';

let api: Api;

async function getApi(): Promise<Api> {
  const extension = await activateExtension();
  const exported = extension.exports as Api;
  await exported.ready;
  return exported;
}

function fileOf(relativePath: string): FileReadiness | undefined {
  const uri = fixtureUri(relativePath).toString();
  return api.readiness.report().files.find((f) => f.uri === uri);
}

/** Resolves once the report satisfies `predicate` (now, or after one of its changes). */
async function waitForReport(predicate: (report: Report) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  if (predicate(api.readiness.report())) return;
  await waitForEvent(api.readiness.onDidChange, () => predicate(api.readiness.report()), timeoutMs, what);
}

function findNode(nodes: SnapshotNode[] | undefined, test: (n: SnapshotNode) => boolean): SnapshotNode | undefined {
  for (const n of nodes ?? []) {
    if (test(n)) return n;
    const inner = findNode(n.children, test);
    if (inner) return inner;
  }
  return undefined;
}

function fileNodeIn(tree: SnapshotNode[], relativePath: string): SnapshotNode {
  const id = `file:${fixtureUri(relativePath).toString()}`;
  const node = findNode(tree, (n) => n.id === id);
  assert.ok(node, `no node for ${relativePath} in the tree: ${tree.map((n) => n.label).join(', ')}`);
  return node;
}

function changedNodes(change: TreeChange): object[] | undefined {
  return change === undefined || change === null ? undefined : Array.isArray(change) ? change : [change as object];
}

const copies: string[] = [];

/**
 * A private copy of a fixture, for a test that edits it: VS Code in a browser auto-saves, so an edit
 * to the original would outlive the test. Deleted (and its editor closed) after the suite.
 */
function copyOf(relativePath: string, name: string): string {
  const target = `readiness/scratch-sidebar/${name}`;
  fs.mkdirSync(path.dirname(fixtureUri(target).fsPath), { recursive: true });
  fs.copyFileSync(fixtureUri(relativePath).fsPath, fixtureUri(target).fsPath);
  copies.push(fixtureUri(target).fsPath);
  return target;
}

/** Closes the copies' editors without saving, then deletes them (in that order: auto-save). */
async function removeCopies(): Promise<void> {
  for (const f of copies.splice(0)) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === f);
    if (doc) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  fs.rmSync(fixtureUri('readiness/scratch-sidebar').fsPath, { recursive: true, force: true });
}

describe('Readiness sidebar', () => {
  before(async () => {
    api = await getApi();
    // The workspace scan has reached every fixture (the report then lists them, skipped ones too).
    await waitForReport((r) => !r.scanning && [...FIXTURES, SKIPPED].every((p) => r.files.some((f) => f.uri === fixtureUri(p).toString())), 'the workspace scan', 90_000);
  });
  after(removeCopies);

  it('shows the workspace score, one node per config with its score, categories, findings and passed checks', () => {
    const report = api.readiness.report();
    const tree = api.readiness.snapshot();
    const summary = tree[0];
    assert.strictEqual(summary.contextValue, 'summary');
    assert.strictEqual(summary.label, `Workspace readiness: ${report.score}%`);
    assert.match(summary.description ?? '', /\d+ warnings?/);

    // Files in the server's order, skipped ones not shown by default.
    const shown = tree.filter((n) => n.node.type === 'file').map((n) => n.node.uri);
    assert.deepStrictEqual(shown, report.files.filter((f) => !f.skipped).map((f) => f.uri));
    assert.ok(!shown.includes(fixtureUri(SKIPPED).toString()), 'skipped files are hidden until asked for');

    const app = fileNodeIn(tree, 'readiness/app-stack.yml');
    const appReport = fileOf('readiness/app-stack.yml')!;
    assert.strictEqual(app.label, 'readiness/app-stack.yml');
    assert.strictEqual(app.icon, 'layers');
    assert.strictEqual(app.description, `4 warnings · 1 info · ${appReport.score}%`);
    assert.strictEqual(app.contextValue, 'file.fixable');
    const failed = new Set(appReport.findings.map((f) => f.ruleId)).size;
    assert.strictEqual(appReport.score, Math.round((100 * appReport.passed.length) / (appReport.passed.length + failed)));

    // Categories in a fixed order, only those with content; the ones with findings open.
    const categories = app.children!.map((c) => c.label);
    assert.deepStrictEqual(categories, ['Encryption', 'Availability', 'Data', 'Secrets', 'Operability', 'Correctness']);
    const availability = app.children!.find((c) => c.label === 'Availability')!;
    assert.strictEqual(availability.collapsible, 'expanded');
    assert.match(availability.description ?? '', /^1 warning · 1 info · \d+ passed$/);
    const findings = availability.children!.filter((c) => c.node.type === 'finding');
    assert.deepStrictEqual(findings.map((f) => f.description), ['compose/manager-placement · Ln 4', 'compose/no-healthcheck · Ln 4']);
    assert.deepStrictEqual(findings.map((f) => f.icon), ['warning', 'info']);
    assert.strictEqual(findings[0].label, 'Service "web" can be scheduled on manager nodes');
    assert.strictEqual(findings[0].contextValue, 'finding.fixable');
    assert.strictEqual(findings[1].contextValue, 'finding');

    // Passed checks: a collapsed "Passed (n)" group per category, with check icons.
    const passed = availability.children!.find((c) => c.node.type === 'passed')!;
    assert.strictEqual(passed.collapsible, 'collapsed');
    const passedInAvailability = appReport.passed.filter((c) => c.category === 'availability');
    assert.strictEqual(passed.label, `Passed (${passedInAvailability.length})`);
    assert.deepStrictEqual(passed.children!.map((c) => c.description), passedInAvailability.map((c) => c.ruleId));
    assert.ok(passed.children!.every((c) => c.icon === 'pass' && c.contextValue === 'check'));
    const encryption = app.children!.find((c) => c.label === 'Encryption')!;
    assert.strictEqual(encryption.collapsible, 'collapsed', 'nothing to fix: collapsed');
    assert.deepStrictEqual(encryption.children!.map((c) => c.node.type), ['passed']);

    const nginx = fileNodeIn(tree, 'readiness/nginx/nginx.conf');
    assert.strictEqual(nginx.icon, 'globe');
    assert.match(nginx.description ?? '', /^2 warnings · 1 info · \d+%$/);
    const haproxy = fileNodeIn(tree, 'readiness/haproxy.cfg');
    assert.strictEqual(haproxy.icon, 'type-hierarchy');
    assert.strictEqual(haproxy.description, 'ready · 100%');
    assert.strictEqual(haproxy.contextValue, 'file');
    assert.ok(findNode(haproxy.children, (n) => n.node.type === 'finding') === undefined);
    const values = fileNodeIn(tree, 'readiness/chart/values.yaml');
    assert.strictEqual(values.icon, 'package');
    assert.match(values.description ?? '', /^3 warnings · \d+%$/);
  });

  it('takes a screenshot of the workbench with the sidebar open (test-artifacts/sidebar.png)', async () => {
    await waitForReport((r) => !r.scanning, 'the scan to finish');
    await openFixture('readiness/app-stack.yml');
    await waitForDiagnostics(fixtureUri('readiness/app-stack.yml'), (ds) => ds.length >= 5);
    const node = api.readiness.provider.fileNode(fixtureUri('readiness/app-stack.yml'));
    assert.ok(node);
    await api.readiness.view.reveal(node, { select: true, focus: true, expand: 2 });
    // Wide enough for the descriptions (scores, rule ids) to show.
    await vscode.commands.executeCommand('workbench.action.focusSideBar');
    for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await requestScreenshot('sidebar');
  });

  it('lists skipped files with their reason when asked to', async () => {
    const shown = waitForEvent(api.readiness.provider.onDidChangeTreeData, () => true, 10_000, 'the tree to refresh');
    await vscode.commands.executeCommand('prodready.showSkippedFiles');
    await shown;
    try {
      const tree = api.readiness.snapshot();
      const group = tree[tree.length - 1];
      assert.strictEqual(group.contextValue, 'skippedGroup');
      assert.match(group.label, /^Skipped files \(\d+\)$/);
      const skipped = fileNodeIn(group.children!, SKIPPED);
      assert.strictEqual(skipped.description, 'skipped: named for a non-production environment');
      assert.strictEqual(skipped.icon, 'circle-slash');
      assert.strictEqual(skipped.collapsible, 'none');
    } finally {
      const hidden = waitForEvent(api.readiness.provider.onDidChangeTreeData, () => true, 10_000, 'the tree to refresh');
      await vscode.commands.executeCommand('prodready.hideSkippedFiles');
      await hidden;
    }
    assert.ok(!findNode(api.readiness.snapshot(), (n) => n.contextValue === 'skippedGroup'));
  });

  it("opens a finding's range when its node is clicked", async () => {
    const app = fileNodeIn(api.readiness.snapshot(), 'readiness/app-stack.yml');
    const node = findNode(app.children, (n) => n.description?.startsWith('compose/image-tag') ?? false);
    assert.ok(node?.command, 'the image-tag finding has a command');
    await vscode.commands.executeCommand(node.command.command, ...(node.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), fixtureUri('readiness/app-stack.yml').toString());
    const finding = fileOf('readiness/app-stack.yml')!.findings.find((f) => f.ruleId === 'compose/image-tag')!;
    assert.deepStrictEqual(
      [editor.selection.start.line, editor.selection.start.character, editor.selection.end.line, editor.selection.end.character],
      [finding.range.start.line, finding.range.start.character, finding.range.end.line, finding.range.end.character],
    );
    assert.strictEqual(editor.document.getText(editor.selection), 'registry.example.com/web:latest');
  });

  it('updates the file node live after an edit, refreshing only what changed', async () => {
    const copy = copyOf('readiness/app-stack.yml', 'live-stack.yml');
    const editor = await openFixture(copy);
    const uri = editor.document.uri;
    await waitForReport(() => !!fileOf(copy)?.findings.some((f) => f.ruleId === 'compose/image-tag'), 'the copy in the report');
    const fileNode = api.readiness.provider.fileNode(uri);
    assert.ok(fileNode);
    const updated = waitForEvent(
      api.readiness.provider.onDidChangeTreeData,
      (change) => !!changedNodes(change)?.includes(fileNode) && !fileOf(copy)!.findings.some((f) => f.ruleId === 'compose/image-tag'),
      30_000,
      'the node of the copy to refresh without the image-tag finding',
    );
    const at = editor.document.getText().indexOf(':latest');
    await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + ':latest'.length)), ':1.4.2'));
    // Only the file's node and the summary line: an edit never refreshes the whole tree.
    const refreshed = changedNodes(await updated)!;
    assert.ok(refreshed.every((n) => n === fileNode || (n as { type?: string }).type === 'summary'), 'only the edited file and the summary refresh');
    const app = fileNodeIn(api.readiness.snapshot(), copy);
    assert.match(app.description ?? '', /^3 warnings · 1 info · \d+%$/);
    const operability = app.children!.find((c) => c.label === 'Operability')!;
    assert.ok(!findNode(operability.children, (n) => n.node.type === 'finding'), 'no finding left under Operability');
    assert.ok(findNode(operability.children, (n) => n.description === 'compose/image-tag'), 'image-tag is now a passed check');
  });

  it('shows the active file in the status bar and reveals it in the sidebar on click', async () => {
    const waitForStatus = async (relativePath: string, text: string) => {
      const uri = fixtureUri(relativePath).toString();
      const matches = () => api.statusBar.state.visible && api.statusBar.state.uri === uri && api.statusBar.state.text === text;
      if (!matches()) await waitForEvent(api.statusBar.onDidChange, matches, 30_000, `status bar "${text}" for ${relativePath} (now "${api.statusBar.state.text}")`);
    };
    await openFixture('readiness/app-stack.yml');
    await waitForStatus('readiness/app-stack.yml', '$(shield) 4 warnings · 1 info');
    assert.match(api.statusBar.state.tooltip, /checks passed/);
    await openFixture('readiness/haproxy.cfg');
    await waitForStatus('readiness/haproxy.cfg', '$(pass) ready');
    await openFixture(SKIPPED);
    await waitForStatus(SKIPPED, '$(circle-slash) not checked');
    await openFixture('readiness/nginx/nginx.conf');
    await waitForStatus('readiness/nginx/nginx.conf', '$(shield) 2 warnings · 1 info');

    // The click: the item's command, with its argument.
    const visible = api.readiness.view.visible ? Promise.resolve() : waitForEvent(api.readiness.view.onDidChangeVisibility, (e) => e.visible, 10_000, 'the view to show');
    await vscode.commands.executeCommand('prodready.revealInSidebar', api.statusBar.state.uri);
    await visible;
    const selected = api.readiness.view.selection[0] as { type?: string; uri?: string } | undefined;
    assert.strictEqual(selected?.type, 'file');
    assert.strictEqual(selected?.uri, fixtureUri('readiness/nginx/nginx.conf').toString());
  });

  it("runs a finding's quick fix and its Disable for This Line from the context menu", async () => {
    const placementNode = (relativePath: string) =>
      findNode(fileNodeIn(api.readiness.snapshot(), relativePath).children, (n) => n.description?.startsWith('compose/manager-placement') ?? false)?.node;
    const placed = (relativePath: string) => async () => {
      const uri = fixtureUri(relativePath).toString();
      await waitForReport((r) => r.files.some((f) => f.uri === uri && f.findings.some((x) => x.ruleId === 'compose/manager-placement')), `${relativePath} in the report`);
    };
    // The copies are closed files: the commands open them and wait for their analysis.
    const fixCopy = copyOf('readiness/app-stack.yml', 'fix-stack.yml');
    const disableCopy = copyOf('readiness/app-stack.yml', 'disable-stack.yml');
    await placed(fixCopy)();
    await placed(disableCopy)();

    const uri = fixtureUri(fixCopy);
    const gone = waitForDiagnostics(uri, (ds) => ds.length > 0 && !ds.some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'compose/manager-placement'), 30_000);
    assert.strictEqual(await vscode.commands.executeCommand('prodready.quickFix', placementNode(fixCopy)), 'applied');
    await gone;
    const fixed = await vscode.workspace.openTextDocument(uri);
    assert.match(fixed.getText(), /\n {6}placement:\n {8}constraints:\n {10}- node\.role != manager\n/);
    assert.strictEqual(vscode.window.activeTextEditor?.document, fixed, 'the fixed file is shown');

    assert.strictEqual(await vscode.commands.executeCommand('prodready.disableForLine', placementNode(disableCopy)), 'applied');
    const disabled = await vscode.workspace.openTextDocument(fixtureUri(disableCopy));
    assert.match(disabled.getText(), /\n {2}# prodready-disable-next-line compose\/manager-placement\n {2}web:\n/);
  });

});

describe('Readiness of files that depend on other files', () => {
  const folder = 'readiness/scratch-deps';
  const dir = () => fixtureUri(folder).fsPath;

  before(async () => {
    api = await getApi();
    fs.rmSync(dir(), { recursive: true, force: true });
    fs.mkdirSync(dir(), { recursive: true });
    // A file written within moments of its folder's creation can reach no watcher (the recursive
    // watcher has yet to watch the new folder, and the folder's own event matches none of the globs
    // the server watches). Wait until a file written into the folder is reported, writing it again
    // until it is, so the test below starts with a watched folder.
    const probe = `${folder}/probe-stack.yml`;
    const probed = () => api.readiness.report().files.some((f) => f.uri === fixtureUri(probe).toString());
    for (let attempt = 0; !probed(); attempt++) {
      if (attempt === 10) throw new Error(`${probe} never reached the report: the folder is not watched`);
      fs.writeFileSync(fixtureUri(probe).fsPath, `services:\n  probe:\n    image: example/probe:1.0.${attempt}\n`);
      await waitForReport(probed, `${probe} in the report`, 3_000).catch(() => undefined);
    }
  });
  after(async () => {
    const gone = waitForReport((r) => !r.files.some((f) => f.uri.includes(`/${folder}/`)), 'the scratch files to leave the report');
    fs.rmSync(dir(), { recursive: true, force: true });
    await gone;
  });

  it("re-checks a closed values file when its chart's files appear (file events from the watchers the server registers)", async () => {
    // Compose by its content, until a Chart.yaml next to it says it is a chart's values.
    const values = `${folder}/values.yaml`;
    const entry = (r: Report) => r.files.find((f) => f.uri === fixtureUri(values).toString());
    const seen = waitForReport((r) => entry(r)?.kind === 'compose', 'values.yaml read as a compose file');
    fs.writeFileSync(fixtureUri(values).fsPath, 'services:\n  api:\n    image: example/api:2.0.1\nimage:\n  tag: 1.4\n');
    await seen;
    const helm = waitForReport((r) => entry(r)?.kind === 'helm-values', 'values.yaml re-checked as Helm values');
    fs.writeFileSync(fixtureUri(`${folder}/Chart.yaml`).fsPath, 'apiVersion: v2\nname: api\nversion: 1.0.0\n');
    await helm;
    assert.ok(!entry(api.readiness.report())!.findings.some((f) => f.ruleId === 'helm/schema'), 'no schema yet');
    // values.schema.json is no file the scan reads: only the watcher for what analyses depend on reports it.
    const schema = waitForReport((r) => !!entry(r)?.findings.some((f) => f.ruleId === 'helm/schema'), 'values.yaml re-checked against the new schema');
    fs.writeFileSync(
      fixtureUri(`${folder}/values.schema.json`).fsPath,
      JSON.stringify({ type: 'object', properties: { image: { type: 'object', properties: { tag: { type: 'string' } } } } }),
    );
    await schema;
  });
});

describe('Readiness sidebar with 1,000 config files', () => {
  const folder = 'readiness-scale';
  const count = 1000;
  let dir: string;

  before(async () => {
    api = await getApi();
    dir = path.join(workspaceFolder().uri.fsPath, folder);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    // The start-up scan is over: the files below arrive as changes.
    await waitForReport((r) => !r.scanning && r.files.some((f) => f.uri === fixtureUri('stack.yml').toString()), 'the workspace scan', 90_000);
  });

  after(async () => {
    if (!dir) return;
    const gone = waitForReport((r) => !r.files.some((f) => f.uri.includes(`/${folder}/`)), 'the generated files to leave the report', 60_000);
    fs.rmSync(dir, { recursive: true, force: true });
    await gone.then(() => console.log('      (the generated files left the report)'), (e: Error) => console.log(`      (${e.message})`));
  });

  it('fills in as the files are scanned, and stays responsive', async function () {
    this.timeout(300_000);
    const inReport = () => api.readiness.report().files.filter((f) => f.uri.includes(`/${folder}/`)).length;
    const treeChanges: TreeChange[] = [];
    const subscription = api.readiness.provider.onDidChangeTreeData((c) => treeChanges.push(c));
    // The extension host's event loop: how late does a 50 ms timer fire while the report grows?
    let worstLag = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      const now = Date.now();
      worstLag = Math.max(worstLag, now - last - 50);
      last = now;
    }, 50);
    const started = Date.now();
    try {
      const all = waitForReport(() => inReport() === count && !api.readiness.report().scanning, `${count} generated files in the report`, 240_000).catch((e: Error) => {
        throw new Error(`${e.message} (${inReport()} there, scanning: ${api.readiness.report().scanning}, worst event-loop lag ${worstLag} ms)`);
      });
      // Written file by file into a folder that exists already, so each arrives as its own
      // watched-file event (a new folder's contents arrive as one event for the folder).
      for (let i = 0; i < count; i++) {
        const name = `svc${String(i).padStart(4, '0')}`;
        await fs.promises.writeFile(
          path.join(dir, `${name}-stack.yml`),
          `services:\n  ${name}:\n    image: registry.example.com/${name}:latest\n    deploy:\n      replicas: 2\n`,
        );
      }
      await all;
      const elapsed = Date.now() - started;
      clearInterval(ticker);
      let t0 = Date.now();
      const tree = api.readiness.snapshot(0);
      const rootMs = Date.now() - t0;
      t0 = Date.now();
      api.readiness.snapshot(1);
      const snapshotMs = Date.now() - t0;
      assert.ok(tree.filter((n) => n.node.type === 'file' && n.node.uri!.includes(`/${folder}/`)).length === count);
      console.log(`      ${count} files: in the tree after ${elapsed} ms, ${treeChanges.length} tree refreshes, worst event-loop lag ${worstLag} ms; root and ${count} file items built in ${rootMs} ms, with their categories in ${snapshotMs} ms`);
      assert.ok(rootMs < 1_000, `building the root and ${count} file nodes took ${rootMs} ms`);
      assert.ok(worstLag < 1_000, `the extension host stalled for ${worstLag} ms`);
    } finally {
      clearInterval(ticker);
      subscription.dispose();
    }

    // One file edited on disk: only its node and the summary refresh.
    const target = vscode.Uri.file(path.join(dir, 'svc0500-stack.yml'));
    treeChanges.length = 0;
    const node = api.readiness.provider.fileNode(target);
    assert.ok(node);
    const refreshed = waitForEvent(api.readiness.provider.onDidChangeTreeData, (c) => !!changedNodes(c)?.includes(node), 60_000, 'svc0500 to refresh');
    fs.writeFileSync(target.fsPath, 'services:\n  svc0500:\n    image: registry.example.com/svc0500:1.0.0\n    deploy:\n      replicas: 2\n');
    const change = changedNodes(await refreshed)!;
    assert.ok(change.every((n) => n === node || (n as { type?: string }).type === 'summary'), 'only the file and the summary refresh');
  });
});

describe('Readiness welcome view', () => {
  // Only meaningful in a workspace without deployment configs, e.g.
  // PRODREADY_VSCODE_WORKSPACE=<empty folder> PRODREADY_VSCODE_GREP=welcome npm run test:vscode
  it('welcome: offers to create production-ready configs when the workspace has none', async function () {
    api = await getApi();
    await waitForReport((r) => !r.scanning, 'the workspace scan');
    await api.readiness.refresh();
    if (api.readiness.report().files.some((f) => !f.skipped)) this.skip();
    assert.deepStrictEqual(api.readiness.snapshot(), [], 'an empty tree, so VS Code shows the welcome content');
    await vscode.commands.executeCommand('prodready.readiness.focus');
    await requestScreenshot('sidebar-welcome');
  });
});
