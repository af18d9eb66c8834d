import { AMBIGUOUS_HTTP_PORTS, INTERNAL_PORTS, isPrivateOrLoopbackAddress } from '../../network';
import { Rule } from '../../types';
import { bindsOf, facesWebClients, HaproxyContext, isFrontendSide, Proxy, routedBackends, serversOf, trafficMode, describeProxy, capitalise } from '../model';

/** The ports the proxy's own servers and those of the backends it routes to listen on. */
function forwardedPorts(ctx: HaproxyContext, p: Proxy): Set<number> {
  const ports = new Set<number>();
  for (const b of [p, ...routedBackends(ctx, p)]) for (const s of serversOf(b)) for (const port of s.address?.ports ?? []) ports.add(port);
  return ports;
}

/** `*`, `:::`, `0.0.0.0` and an empty host all mean every address. */
function isAnyHost(host: string): boolean {
  return host === '' || host === '*' || host === '0.0.0.0' || host === '::';
}

export const exposedInternalPort: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/exposed-internal-port',
    description: 'No frontend binds the port of a data store, cluster protocol, management console or SSH on a public address.',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    // A load balancer that only fronts a data store or cluster (HAProxy for Galera or Patroni) is that
    // service's internal endpoint: listening on its port is its job. One that also serves web clients
    // (ports 80/443, TLS) is an edge, and internal ports there face the same networks.
    if (!facesWebClients(ctx)) return;
    for (const p of ctx.proxies) {
      if (!isFrontendSide(p)) continue;
      for (const b of bindsOf(p)) {
        const hit = b.addresses
          .filter((a) => !a.socket && !a.loopback && !a.env && (isAnyHost(a.host) || !isPrivateOrLoopbackAddress(a.host)))
          .flatMap((a) => (a.ports.length === 1 ? a.ports : []).filter((port) => port in INTERNAL_PORTS).map((port) => ({ a, port })))[0];
        if (!hit) continue;
        if (AMBIGUOUS_HTTP_PORTS.has(hit.port) && trafficMode(ctx, p).mode === 'http' && !forwardedPorts(ctx, p).has(hit.port)) continue;
        report({
          span: { start: b.directive.start, end: b.directive.end },
          message:
            `${capitalise(describeProxy(p))} binds port ${hit.port} (${INTERNAL_PORTS[hit.port]}) on ${isAnyHost(hit.a.host) ? 'every address' : `address ${hit.a.host}`}: ` +
            `whatever HAProxy forwards there becomes reachable from outside, and data stores, cluster ports, management consoles and SSH are what scanners try first. ` +
            `Keep such ports on the private network (bind a private or loopback address) and publish only the application's own ports.`,
        });
      }
    }
  },
};
