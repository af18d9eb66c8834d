import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { exposedServices, servicePorts } from '../exposure';
import { HelmContext } from '../model';
import { INTERNAL_PORTS } from '../../network';

export const nodePort: Rule<HelmContext> = {
  meta: {
    id: 'helm/node-port',
    description: 'Services reach clients through an ingress or a load balancer, not `NodePort` or `externalIPs`.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of exposedServices(ctx)) {
      // A data or management port published this way is helm/exposed-internal-port's warning already.
      if (servicePorts(s.at).some((p) => INTERNAL_PORTS[p.port])) continue;
      if (s.type === 'NodePort' && s.typeNode) {
        report({
          span: spanOf(s.typeNode),
          message: `Service "${s.at.path.join('.')}" is a NodePort: it opens a port from the 30000–32767 range on every node, clients must know node addresses that change as nodes come and go, and nothing balances or health-checks in front of them. Put an ingress or a LoadBalancer service in front instead.`,
        });
      }
      if (s.externalIPs) {
        report({
          span: spanOf(s.externalIPs),
          message: `Service "${s.at.path.join('.')}" sets externalIPs: traffic for those addresses is captured on whichever node receives it, with no health checks or failover if that node goes away, and the addresses are not managed by Kubernetes (any namespace may claim them). Use a LoadBalancer service or an ingress.`,
        });
      }
    }
  },
};
