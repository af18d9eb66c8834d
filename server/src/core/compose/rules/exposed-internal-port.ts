import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext } from '../model';
import { INTERNAL_PORT_NUMBERS, INTERNAL_PORTS } from '../../network';
import { inRange, publicPublications } from '../ports';

export const exposedInternalPort: Rule<ComposeContext> = {
  meta: {
    id: 'compose/exposed-internal-port',
    description: 'Database, cache and cluster-internal ports are not published.',
    defaultSeverity: 'warning',
    category: 'data',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      for (const p of publicPublications(s, ctx.swarm)) {
        // Judged by the container port: "15432:5432" still exposes PostgreSQL, "8081:80" is a web app.
        const port = INTERNAL_PORT_NUMBERS.find((n) => inRange(p.target, n));
        if (port === undefined) continue;
        report({
          span: spanOf(p.node),
          message: ctx.swarm
            ? `Service "${s.name}" publishes port ${port} (${INTERNAL_PORTS[port]}) on every node of the swarm through the routing mesh. Keep it on an internal overlay network and let only the services that need it connect.`
            : `Service "${s.name}" publishes port ${port} (${INTERNAL_PORTS[port]}) on the host's public interfaces. Keep it on an internal network (or bind it to 127.0.0.1) and let only the services that need it connect.`,
        });
      }
    }
  },
};
