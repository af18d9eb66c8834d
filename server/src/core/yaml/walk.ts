import { isMap, isPair, isSeq, Node } from 'yaml';

/**
 * Visits every node under `root` (pair keys and values included), with an explicit stack rather than
 * recursion: a deeply nested document must not overflow the call stack. Order is not specified.
 */
export function forEachNode(root: unknown, visit: (node: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (isPair(n)) {
      stack.push(n.value, n.key);
      continue;
    }
    const node = n as Node;
    visit(node);
    if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
  }
}
