import { Rule } from '../../types';
import { keySpan } from '../../yaml/nav';
import { ComposeContext } from '../model';

/** Keys `docker stack deploy` ignores, and what to use instead. */
const IGNORED_BY_SWARM: Record<string, string> = {
  build: 'build and push the image in CI; the stack only pulls the image',
  cgroup_parent: 'not supported by Swarm services',
  container_name: 'Swarm names tasks itself; use the service name for DNS',
  depends_on: 'Swarm starts services in any order; make services retry their dependencies (and use healthchecks)',
  devices: 'not supported by Swarm services',
  external_links: 'use a shared overlay network',
  links: 'services on a shared network reach each other by name',
  network_mode: 'attach the service to overlay networks instead',
  security_opt: 'not supported by Swarm services',
  userns_mode: 'not supported by Swarm services',
  privileged: 'not supported by Swarm services',
};

export const ignoredBySwarm: Rule<ComposeContext> = {
  meta: {
    id: 'compose/ignored-by-swarm',
    description: 'Keys that `docker stack deploy` ignores are pointed out, so nobody relies on them.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      for (const e of s.document.view.entries(s.map)) {
        const instead = IGNORED_BY_SWARM[e.key];
        if (!instead || e.inherited) continue;
        report({ span: keySpan(e), message: `"${e.key}" is ignored by docker stack deploy: ${instead}.` });
      }
    }
  },
};
