// The sidebar's tree as plain data, read through the same TreeDataProvider calls VS Code makes: what
// the extension's API hands to tests (and what a person would see, minus the rendering).

import * as vscode from 'vscode';
import type { ReadinessNode, ReadinessTreeProvider } from './tree';

export interface TreeSnapshotNode {
  label: string;
  description?: string;
  /** The codicon id of a ThemeIcon. */
  icon?: string;
  contextValue?: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** The command a click runs, with its arguments. */
  command?: { command: string; arguments?: unknown[] };
  id?: string;
  node: ReadinessNode;
  /** Present when the node was expanded for the snapshot (within `depth`). */
  children?: TreeSnapshotNode[];
}

const COLLAPSIBLE: Record<vscode.TreeItemCollapsibleState, TreeSnapshotNode['collapsible']> = {
  [vscode.TreeItemCollapsibleState.None]: 'none',
  [vscode.TreeItemCollapsibleState.Collapsed]: 'collapsed',
  [vscode.TreeItemCollapsibleState.Expanded]: 'expanded',
};

/** The tree from the root, each collapsible node expanded down to `depth` levels (default: all). */
export function snapshotTree(provider: ReadinessTreeProvider, depth = Infinity): TreeSnapshotNode[] {
  const walk = (parent: ReadinessNode | undefined, level: number): TreeSnapshotNode[] =>
    provider.getChildren(parent).map((node) => {
      const item = provider.getTreeItem(node);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const collapsible = COLLAPSIBLE[item.collapsibleState ?? vscode.TreeItemCollapsibleState.None];
      const out: TreeSnapshotNode = {
        label,
        collapsible,
        node,
        ...(typeof item.description === 'string' ? { description: item.description } : {}),
        ...(item.iconPath instanceof vscode.ThemeIcon ? { icon: item.iconPath.id } : {}),
        ...(item.contextValue ? { contextValue: item.contextValue } : {}),
        ...(item.id ? { id: item.id } : {}),
        ...(item.command ? { command: { command: item.command.command, arguments: item.command.arguments } } : {}),
      };
      if (collapsible !== 'none' && level < depth) out.children = walk(node, level + 1);
      return out;
    });
  return walk(undefined, 0);
}
