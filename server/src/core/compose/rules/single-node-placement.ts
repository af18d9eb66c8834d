import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext } from '../model';
import { onOneNode, statedReplicas } from '../placement';

export const singleNodePlacement: Rule<ComposeContext> = {
  meta: {
    id: 'compose/single-node-placement',
    description: 'Replicated services are not constrained to a single node (`node.hostname ==`, `node.id ==`).',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: false,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const replicas = statedReplicas(s);
      if (replicas === undefined || replicas < 2) continue;
      const pin = onOneNode(s);
      if (!pin) continue;
      report({
        span: spanOf(pin.node),
        message: `Service "${s.name}" runs ${replicas} replicas, but the constraint ${pin.text} puts them all on one node: when that node fails or is drained, every replica goes down together. Constrain by a node label that several nodes carry instead.`,
      });
    }
  },
};
