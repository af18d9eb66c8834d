import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext } from '../model';
import { onOneNode, spreadLabels, statedReplicas } from '../placement';

export const noZoneSpread: Rule<ComposeContext> = {
  meta: {
    id: 'compose/no-zone-spread',
    description: 'Replicated services spread over the zone or rack label (`placement.preferences: spread`) that other services of the stack use.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: true,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    // Only a label the stack already spreads on is known to exist on the nodes: which label names
    // zones or racks (if any) is the cluster's business, not something a stack file can tell.
    const used = [...new Set(ctx.services.flatMap(spreadLabels))];
    if (used.length === 0) return;
    for (const s of ctx.services) {
      const replicas = statedReplicas(s);
      if (replicas === undefined || replicas < 2 || spreadLabels(s).length > 0 || onOneNode(s)) continue;
      const label = used[0];
      const change = s.document.edit.ensurePath(s.map, ['deploy', 'placement', 'preferences'], [{ spread: label }]);
      report({
        span: spanOf(s.keyNode),
        message: `Service "${s.name}" runs ${replicas} replicas with no spread preference, while this stack spreads other services over ${label}: Swarm may place all its replicas in one ${label.slice('node.labels.'.length)}, and losing that takes the service down. Add placement.preferences: - spread: ${label}.`,
        fixes: change ? [{ title: `Spread replicas over ${label}`, preferred: true, changes: [change] }] : [],
      });
    }
  },
};
