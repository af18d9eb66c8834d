// Where Swarm may run a service's tasks: `deploy.replicas`, `deploy.placement.constraints` and
// `deploy.placement.preferences`.

import { Node } from 'yaml';
import { scalarText } from '../yaml/nav';
import { isGlobal, Service, serviceValue } from './model';

/** Placement constraints with their spaces removed (`node.role!=manager`), and their nodes. */
export function constraints(s: Service): { text: string; node: Node }[] {
  const view = s.document.view;
  const seq = view.seq(serviceValue(s, 'deploy', 'placement', 'constraints')?.value);
  return view.items(seq).flatMap((n) => {
    const t = scalarText(n);
    return t === undefined ? [] : [{ text: t.replace(/\s+/g, ''), node: n }];
  });
}

/**
 * The replica count the file states: `deploy.replicas` as a literal, 1 when it is not set; undefined
 * for global services and for counts that come from a variable.
 */
export function statedReplicas(s: Service): number | undefined {
  if (isGlobal(s)) return undefined;
  const text = scalarText(serviceValue(s, 'deploy', 'replicas')?.value);
  if (text === undefined) return 1;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The node labels a service's placement preferences spread its tasks over (`spread: node.labels.zone` → `node.labels.zone`). */
export function spreadLabels(s: Service): string[] {
  const view = s.document.view;
  const seq = view.seq(serviceValue(s, 'deploy', 'placement', 'preferences')?.value);
  return view.items(seq).flatMap((item) => {
    const spread = scalarText(view.get(view.map(item), 'spread')?.value)?.trim();
    return spread && /^node\.labels\.\S+$/.test(spread) ? [spread] : [];
  });
}

/** A constraint that admits exactly one node: `node.hostname == x` or `node.id == x` (literal). */
export function onOneNode(s: Service): { text: string; node: Node } | undefined {
  return constraints(s).find((c) => /^node\.(hostname|id)==[^$]+$/.test(c.text));
}
