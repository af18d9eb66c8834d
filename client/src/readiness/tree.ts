// The Readiness sidebar: a summary line, then one node per environment of several files ("production ·
// 92%", expanding to its files), then one node per deployment config, expanding to its categories,
// each expanding to its findings and a collapsed "Passed (n)" group. Children are built
// on demand from the model's cached report; a file's node object stays the same for the life of the
// view, so a change to one file refreshes exactly that node (plus the summary line).

import * as path from 'path';
import * as vscode from 'vscode';
import type { Category, EnvironmentReadiness, FileReadiness, ReadinessCheck, ReadinessFinding } from '../../../common/protocol';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  categoryIcon,
  countFindings,
  countsText,
  fileDescription,
  headline,
  kindIcon,
  kindLabel,
  passedIcon,
  severityIcon,
  SKIP_REASONS,
  tally,
  worstSeverity,
} from './format';
import { ReadinessChange, ReadinessModel } from './model';

export const VIEW_ID = 'prodready.readiness';

export type ReadinessNode =
  | SummaryNode
  | EnvironmentNode
  | EnvironmentFileNode
  | FileNode
  | SkippedGroupNode
  | CategoryNode
  | FindingNode
  | PassedGroupNode
  | CheckNode;

/** Files deployed together (a base and its production overlay), scored as one. */
export interface EnvironmentNode {
  type: 'environment';
  environment: EnvironmentReadiness;
  /** Unique among the view's ids: the name and the files. */
  id: string;
}

/** One file of an environment: opens it; its findings are under its own file node. */
export interface EnvironmentFileNode {
  type: 'environmentFile';
  parent: EnvironmentNode;
  uri: string;
  resource: vscode.Uri;
}

export interface SummaryNode {
  type: 'summary';
}

export interface FileNode {
  type: 'file';
  uri: string;
  /** Parsed once: the node lives as long as the view. */
  resource: vscode.Uri;
  label: string;
}

export interface SkippedGroupNode {
  type: 'skipped';
}

export interface CategoryNode {
  type: 'category';
  parent: FileNode;
  category: Category;
}

export interface FindingNode {
  type: 'finding';
  parent: CategoryNode;
  finding: ReadinessFinding;
  /** Position among the file's findings with the same rule and start (keeps ids unique). */
  index: number;
}

export interface PassedGroupNode {
  type: 'passed';
  parent: CategoryNode;
}

export interface CheckNode {
  type: 'check';
  parent: PassedGroupNode;
  check: ReadinessCheck;
}

/** What the context menus' `when` clauses test (`viewItem`). */
export const CONTEXT = {
  summary: 'summary',
  environment: 'environment',
  environmentFile: 'environmentFile',
  file: 'file',
  fileFixable: 'file.fixable',
  skippedFile: 'skippedFile',
  skippedGroup: 'skippedGroup',
  category: 'category',
  finding: 'finding',
  findingFixable: 'finding.fixable',
  passedGroup: 'passedGroup',
  check: 'check',
} as const;

export class ReadinessTreeProvider implements vscode.TreeDataProvider<ReadinessNode>, vscode.Disposable {
  private readonly summary: SummaryNode = { type: 'summary' };
  private readonly skippedGroup: SkippedGroupNode = { type: 'skipped' };
  private readonly fileNodes = new Map<string, FileNode>();
  private showSkipped: boolean;
  private readonly emitter = new vscode.EventEmitter<ReadinessNode | ReadinessNode[] | undefined>();
  private readonly subscriptions: vscode.Disposable[];

  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly model: ReadinessModel,
    options: { showSkipped?: boolean } = {},
  ) {
    this.showSkipped = !!options.showSkipped;
    this.subscriptions = [
      model.onDidChange((change) => this.modelChanged(change)),
      // Labels are relative to the workspace folders (with the folder's name when there are several).
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        for (const node of this.fileNodes.values()) node.label = fileLabel(node.resource);
        this.emitter.fire(undefined);
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }

  get skippedShown(): boolean {
    return this.showSkipped;
  }

  setShowSkipped(show: boolean): void {
    if (show === this.showSkipped) return;
    this.showSkipped = show;
    this.emitter.fire(undefined);
  }

  /** The node of a file (the same object every time), when the report lists the file. */
  fileNode(uri: vscode.Uri | string): FileNode | undefined {
    const key = typeof uri === 'string' ? uri : uri.toString();
    if (!this.model.file(key)) return undefined;
    return this.nodeFor(key);
  }

  /** True when the view has nothing to show, so VS Code shows the welcome content instead. */
  get isEmpty(): boolean {
    return this.rootChildren().length === 0;
  }

  getChildren(node?: ReadinessNode): ReadinessNode[] {
    if (!node) return this.rootChildren();
    switch (node.type) {
      case 'environment':
        return node.environment.files.map((uri) => ({ type: 'environmentFile', parent: node, uri, resource: vscode.Uri.parse(uri) }));
      case 'file':
        return this.categoriesOf(node);
      case 'skipped':
        return this.model.files.filter((f) => f.skipped).map((f) => this.nodeFor(f.uri));
      case 'category': {
        const file = this.model.file(node.parent.uri);
        if (!file) return [];
        const seen = new Map<string, number>();
        const findings: ReadinessNode[] = file.findings
          .filter((f) => f.category === node.category)
          .map((finding) => {
            const key = `${finding.ruleId}@${finding.range.start.line}:${finding.range.start.character}`;
            const index = seen.get(key) ?? 0;
            seen.set(key, index + 1);
            return { type: 'finding', parent: node, finding, index };
          });
        if (file.passed.some((c) => c.category === node.category)) findings.push({ type: 'passed', parent: node });
        return findings;
      }
      case 'passed': {
        const file = this.model.file(node.parent.parent.uri);
        return (file?.passed ?? []).filter((c) => c.category === node.parent.category).map((check) => ({ type: 'check', parent: node, check }));
      }
      default:
        return [];
    }
  }

  getParent(node: ReadinessNode): ReadinessNode | undefined {
    switch (node.type) {
      case 'file':
        return this.model.file(node.uri)?.skipped ? this.skippedGroup : undefined;
      case 'environmentFile':
      case 'category':
      case 'finding':
      case 'passed':
      case 'check':
        return node.parent;
      default:
        return undefined;
    }
  }

  getTreeItem(node: ReadinessNode): vscode.TreeItem {
    switch (node.type) {
      case 'summary':
        return this.summaryItem();
      case 'environment':
        return environmentItem(node);
      case 'environmentFile':
        return this.environmentFileItem(node);
      case 'skipped': {
        const count = this.model.files.filter((f) => f.skipped).length;
        const item = new vscode.TreeItem(`Skipped files (${count})`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'skipped';
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.tooltip = 'Files recognised as deployment configs that are not checked, and why.';
        item.contextValue = CONTEXT.skippedGroup;
        return item;
      }
      case 'file':
        return this.fileItem(node);
      case 'category':
        return this.categoryItem(node);
      case 'finding':
        return this.findingItem(node);
      case 'passed': {
        const file = this.model.file(node.parent.parent.uri);
        const count = (file?.passed ?? []).filter((c) => c.category === node.parent.category).length;
        const item = new vscode.TreeItem(`Passed (${count})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.parent.parent.uri}#passed:${node.parent.category}`;
        item.iconPath = passedIcon();
        item.contextValue = CONTEXT.passedGroup;
        return item;
      }
      case 'check': {
        const item = new vscode.TreeItem(node.check.description.replace(/\.$/, ''), vscode.TreeItemCollapsibleState.None);
        item.id = `${node.parent.parent.parent.uri}#check:${node.check.ruleId}`;
        item.description = node.check.ruleId;
        item.iconPath = passedIcon();
        item.contextValue = CONTEXT.check;
        return item;
      }
    }
  }

  /** Tooltips are built when the pointer rests on an item, not for every item of a large tree. */
  resolveTreeItem(item: vscode.TreeItem, node: ReadinessNode): vscode.TreeItem {
    if (node.type === 'file') {
      const file = this.model.file(node.uri);
      if (file) item.tooltip = fileTooltip(file, node.resource);
    } else if (node.type === 'finding') {
      const { finding } = node;
      const tooltip = new vscode.MarkdownString(undefined, true);
      tooltip.appendText(finding.message).appendMarkdown(`\n\n\`${finding.ruleId}\` · ${finding.severity}${finding.fixable ? ' · $(lightbulb-autofix) quick fix available' : ''}`);
      item.tooltip = tooltip;
    } else if (node.type === 'check') {
      const tooltip = new vscode.MarkdownString(undefined, true);
      tooltip.appendMarkdown('$(pass) Passed: ').appendText(`${node.check.ruleId}\n\n${node.check.description}`);
      item.tooltip = tooltip;
    }
    return item;
  }

  private rootChildren(): ReadinessNode[] {
    const files = this.model.files;
    const checked = files.filter((f) => !f.skipped);
    const skipped = this.showSkipped && files.some((f) => f.skipped);
    if (checked.length === 0 && !skipped) return [];
    const environments: EnvironmentNode[] = this.model.environments.map((environment) => ({
      type: 'environment',
      environment,
      id: `environment:${environment.name}:${environment.files.join('|')}`,
    }));
    const nodes: ReadinessNode[] = [this.summary, ...environments, ...checked.map((f) => this.nodeFor(f.uri))];
    if (skipped) nodes.push(this.skippedGroup);
    return nodes;
  }

  private categoriesOf(node: FileNode): CategoryNode[] {
    const file = this.model.file(node.uri);
    if (!file || file.skipped) return [];
    const present = new Set<Category>([...file.findings.map((f) => f.category), ...file.passed.map((c) => c.category)]);
    return CATEGORIES.filter((c) => present.has(c)).map((category) => ({ type: 'category', parent: node, category }));
  }

  private nodeFor(uri: string): FileNode {
    let node = this.fileNodes.get(uri);
    if (!node) {
      const resource = vscode.Uri.parse(uri);
      node = { type: 'file', uri, resource, label: fileLabel(resource) };
      this.fileNodes.set(uri, node);
    }
    return node;
  }

  private summaryItem(): vscode.TreeItem {
    const files = this.model.files.filter((f) => !f.skipped);
    let passed = 0;
    let applicable = 0;
    for (const f of files) {
      const t = tally(f);
      passed += t.passed;
      applicable += t.applicable;
    }
    const score = this.model.score;
    const scanning = this.model.scanning;
    const label = score === undefined ? 'Workspace readiness' : `Workspace readiness: ${score}%`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = 'summary';
    const counts = countsText(this.model.counts);
    item.description = [counts || 'no findings', scanning ? 'scanning…' : undefined].filter(Boolean).join(' · ');
    item.iconPath = scanning ? new vscode.ThemeIcon('sync~spin') : new vscode.ThemeIcon('shield');
    item.tooltip = `${passed} of ${applicable} applicable checks passed in ${files.length} file${files.length === 1 ? '' : 's'}${
      counts ? `; ${countsText(this.model.counts, ', ')}` : ''
    }${scanning ? ' (the workspace scan is still running)' : ''}.`;
    item.contextValue = CONTEXT.summary;
    return item;
  }

  private fileItem(node: FileNode): vscode.TreeItem {
    const file = this.model.file(node.uri);
    const uri = node.resource;
    const item = new vscode.TreeItem(node.label, file?.skipped ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `file:${node.uri}`;
    item.resourceUri = uri;
    if (!file) return item;
    item.description = fileDescription(file);
    item.iconPath = kindIcon(file);
    const fixable = file.findings.some((f) => f.fixable);
    item.contextValue = file.skipped ? CONTEXT.skippedFile : fixable ? CONTEXT.fileFixable : CONTEXT.file;
    if (file.skipped) item.command = { command: 'vscode.open', title: 'Open File', arguments: [uri] };
    return item;
  }

  private environmentFileItem(node: EnvironmentFileNode): vscode.TreeItem {
    const file = this.model.file(node.uri);
    const item = new vscode.TreeItem(fileLabel(node.resource), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.parent.id}#${node.uri}`;
    item.resourceUri = node.resource;
    const role = node.parent.environment.files.indexOf(node.uri) === 0 ? 'base' : 'overlay';
    item.description = [role, file ? fileDescription(file) : 'not in the report'].filter(Boolean).join(' · ');
    if (file) item.iconPath = kindIcon(file);
    item.contextValue = CONTEXT.environmentFile;
    item.command = { command: 'vscode.open', title: 'Open File', arguments: [node.resource] };
    return item;
  }

  private categoryItem(node: CategoryNode): vscode.TreeItem {
    const file = this.model.file(node.parent.uri);
    const findings = (file?.findings ?? []).filter((f) => f.category === node.category);
    const passed = (file?.passed ?? []).filter((c) => c.category === node.category).length;
    const counts = countFindings(findings);
    const item = new vscode.TreeItem(
      CATEGORY_LABELS[node.category],
      findings.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `${node.parent.uri}#category:${node.category}`;
    item.description = [countsText(counts), passed > 0 ? `${passed} passed` : undefined].filter(Boolean).join(' · ');
    item.iconPath = categoryIcon(node.category, worstSeverity(counts));
    item.contextValue = CONTEXT.category;
    return item;
  }

  private findingItem(node: FindingNode): vscode.TreeItem {
    const { finding } = node;
    const uri = node.parent.parent.resource;
    const item = new vscode.TreeItem(headline(finding.message), vscode.TreeItemCollapsibleState.None);
    const start = finding.range.start;
    item.id = `${node.parent.parent.uri}#finding:${finding.ruleId}@${start.line}:${start.character}#${node.index}`;
    item.description = `${finding.ruleId} · Ln ${start.line + 1}`;
    item.iconPath = severityIcon(finding.severity);
    item.contextValue = finding.fixable ? CONTEXT.findingFixable : CONTEXT.finding;
    const range = toRange(finding.range);
    item.command = { command: 'vscode.open', title: 'Go to Finding', arguments: [uri, { selection: range } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }

  private modelChanged(change: ReadinessChange): void {
    if (change.listChanged) {
      this.emitter.fire(undefined);
      return;
    }
    const nodes: ReadinessNode[] = [];
    for (const uri of change.changed) {
      const node = this.fileNodes.get(uri);
      if (node) nodes.push(node);
    }
    if (change.summaryChanged) nodes.push(this.summary);
    if (nodes.length > 0) this.emitter.fire(nodes);
  }
}

export function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** The workspace-relative path (with the folder's name in a multi-root workspace); the name for other schemes. */
function fileLabel(uri: vscode.Uri): string {
  if (uri.scheme === 'file') return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  return path.posix.basename(uri.path) || uri.toString();
}

function environmentItem(node: EnvironmentNode): vscode.TreeItem {
  const { environment } = node;
  const item = new vscode.TreeItem(environmentLabel(environment), vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  const counts = countsText(environment.counts);
  item.description = counts || 'no findings';
  item.iconPath = new vscode.ThemeIcon('layers');
  const names = environment.files.map((u) => fileLabel(vscode.Uri.parse(u))).join(', ');
  item.tooltip = `${environment.production ? 'Production environment' : 'Environment'} "${environment.name}": ${names}, deployed together (later files override earlier ones).`;
  item.contextValue = CONTEXT.environment;
  return item;
}

/** `production · 92%`. */
export function environmentLabel(environment: EnvironmentReadiness): string {
  return environment.score === undefined ? environment.name : `${environment.name} · ${environment.score}%`;
}

function fileTooltip(file: FileReadiness, uri: vscode.Uri): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**').appendText(fileLabel(uri)).appendMarkdown('**').appendText(` — ${kindLabel(file)}${file.open ? '' : ' (from disk)'}\n\n`);
  if (file.skipped) {
    tooltip.appendText(`Not checked: ${SKIP_REASONS[file.skipped]}.`);
    if (file.skipped === 'non-production') tooltip.appendMarkdown(' Set `prodready.checkNonProductionFiles` to check it.');
    return tooltip;
  }
  const { passed, applicable } = tally(file);
  tooltip.appendText(`${passed} of ${applicable} applicable checks passed${file.score === undefined ? '' : ` (${file.score}%)`}`);
  const counts = countsText(countFindings(file.findings), ', ');
  if (counts) tooltip.appendText(`; ${counts}`);
  tooltip.appendText('.');
  for (const e of file.environments ?? []) {
    const others = e.files.filter((u) => u !== file.uri).map((u) => fileLabel(vscode.Uri.parse(u)));
    tooltip.appendText(`\n\nIn environment "${e.name}"${others.length ? `, deployed with ${others.join(', ')}` : ''}.`);
  }
  return tooltip;
}
