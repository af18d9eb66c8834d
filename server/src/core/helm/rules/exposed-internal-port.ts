import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { exposedServices, internalLoadBalancer, servicePorts } from '../exposure';
import { HelmContext } from '../model';
import { INTERNAL_PORTS } from '../../network';

/**
 * Internal ports that plain web applications also use as their second HTTP port (8081) or dev port
 * (7000): on a service they name the product only when the section belongs to a data store or broker.
 */
const SHARED_PORTS = new Set([7000, 8081]);

export const exposedInternalPort: Rule<HelmContext> = {
  meta: {
    id: 'helm/exposed-internal-port',
    description: 'Databases, brokers, cluster ports, management consoles and SSH are not published through LoadBalancer or NodePort services or `externalIPs`.',
    defaultSeverity: 'warning',
    category: 'data',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of exposedServices(ctx)) {
      if (s.type === 'LoadBalancer' && !s.externalIPs && internalLoadBalancer(s.at)) continue;
      const how = s.type ? `type: ${s.type}` : 'externalIPs';
      for (const { port, node } of servicePorts(s.at)) {
        const product = INTERNAL_PORTS[port];
        if (!product || (SHARED_PORTS.has(port) && !s.at.dataStore)) continue;
        report({
          span: spanOf(node),
          message: `Service "${s.at.path.join('.')}" (${how}) publishes port ${port} (${product}) outside the cluster: data engines, cluster ports and management consoles are meant for the applications and operators inside, and every scanner on the network can now try passwords and exploits against them. Keep the service ClusterIP and reach it through the application, a VPN or kubectl port-forward.`,
        });
      }
    }
  },
};
