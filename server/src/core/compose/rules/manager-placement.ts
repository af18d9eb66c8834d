import { Node } from 'yaml';
import { Rule } from '../../types';
import { scalarSource } from '../../yaml/edit';
import { spanOf } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';
import { constraints } from '../placement';

const OFF_MANAGERS = new Set(['node.role!=manager', 'node.role==worker']);
const ON_MANAGERS = new Set(['node.role==manager', 'node.role!=worker']);

export const managerPlacement: Rule<ComposeContext> = {
  meta: {
    id: 'compose/manager-placement',
    description: 'Services are kept off Swarm manager nodes with `node.role != manager`.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const cs = constraints(s);
      if (cs.some((c) => OFF_MANAGERS.has(c.text))) continue;
      const pinned = cs.find((c) => ON_MANAGERS.has(c.text));
      if (pinned) {
        report({
          span: spanOf(pinned.node),
          severity: 'information',
          message: `Service "${s.name}" is pinned to manager nodes. That is right for tools that drive the Swarm API (visualizers, Portainer); anything else competes with the Raft consensus for CPU and memory.`,
        });
        continue;
      }
      report({
        span: spanOf(s.keyNode),
        message: `Service "${s.name}" can be scheduled on manager nodes. Managers keep the cluster state (Raft); a busy workload there can cost the Swarm its quorum. Add the placement constraint node.role != manager.`,
        fixes: () => {
          const { view, edit } = s.document;
          const existing = view.seq(serviceValue(s, 'deploy', 'placement', 'constraints')?.value);
          const style = existing?.items[0] as Node | undefined;
          const change = edit.ensurePath(s.map, ['deploy', 'placement', 'constraints'], [scalarSource('node.role != manager', style)]);
          return change ? [{ title: 'Add placement constraint node.role != manager', changes: [change], preferred: true }] : [];
        },
      });
    }
  },
};
