import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext } from '../model';
import { isDockerSocket, mountsOf } from '../volumes';

export const dockerSocket: Rule<ComposeContext> = {
  meta: {
    id: 'compose/docker-socket',
    description: 'The Docker socket is not mounted into a service (root-equivalent access to the node).',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      for (const m of mountsOf(s).mounts) {
        if (!isDockerSocket(m)) continue;
        report({
          span: spanOf(m.sourceNode ?? m.node),
          message: `Service "${s.name}" mounts the Docker socket: anyone who controls this container controls the node (root-equivalent). Use a socket proxy with a narrow API allow-list, or run this tool outside production.`,
        });
      }
    }
  },
};
