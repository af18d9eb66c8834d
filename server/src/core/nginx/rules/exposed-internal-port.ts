import { AMBIGUOUS_HTTP_PORTS, INTERNAL_PORTS, isPrivateOrLoopbackAddress } from '../../network';
import { Rule } from '../../types';
import { NginxContext, Scope } from '../model';
import { serverInfo } from '../servers';

const PASS_DIRECTIVES = new Set(['proxy_pass', 'grpc_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass']);

/** The ports a server's proxy_pass lines and the upstreams they name forward to. */
function forwardedPorts(ctx: NginxContext, server: Scope): Set<number> {
  const ports = new Set<number>();
  const targets: string[] = [];
  const stack = [server];
  while (stack.length) {
    for (const n of stack.pop()!.children) {
      if (PASS_DIRECTIVES.has(n.name) && n.args[0]) targets.push(n.args[0]);
      if (n.body) stack.push(n.body);
    }
  }
  for (const target of targets) {
    const hostPort = target.replace(/^[a-z]+:\/\//i, '').split('/')[0];
    const port = /:(\d+)$/.exec(hostPort);
    if (port) ports.add(Number(port[1]));
    for (const upstream of ctx.upstreams) {
      if (upstream.owner?.args[0] !== hostPort) continue;
      for (const s of upstream.children) {
        const p = s.name === 'server' ? /:(\d+)$/.exec(s.args[0] ?? '') : null;
        if (p) ports.add(Number(p[1]));
      }
    }
  }
  return ports;
}

export const exposedInternalPort: Rule<NginxContext> = {
  meta: {
    id: 'nginx/exposed-internal-port',
    description: 'No server listens on the port of a data store, cluster protocol, management console or SSH on a public address.',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    // NGINX that only fronts a data store or cluster (a stream proxy for a database) is that service's
    // internal endpoint: listening on its port is its job. One that also serves web clients (ports
    // 80/443, TLS) is an edge, and internal ports there face the same networks.
    const edge = ctx.servers.some((s) => serverInfo(s).defaultListen || serverInfo(s).listeners.some((l) => !l.internal && (l.ssl || l.port === 80 || l.port === 443)));
    if (!edge) return;
    for (const server of ctx.servers) {
      if (!server.owner?.local) continue;
      const info = serverInfo(server);
      for (const l of info.listeners) {
        if (!l.node.local || l.port === undefined || l.internal || !(l.port in INTERNAL_PORTS)) continue;
        if (l.host !== undefined && !/[${]/.test(l.host) && isPrivateOrLoopbackAddress(l.host)) continue;
        if (l.host !== undefined && /[${]/.test(l.host)) continue;
        if (info.protocol === 'http' && AMBIGUOUS_HTTP_PORTS.has(l.port) && !forwardedPorts(ctx, server).has(l.port)) continue;
        const product = INTERNAL_PORTS[l.port];
        report({
          span: { start: l.node.directive.start, end: l.node.directive.end },
          message:
            `This ${info.protocol === 'stream' ? 'stream ' : ''}server listens on port ${l.port} (${product}) on ${l.host && !['*', '::', '0.0.0.0'].includes(l.host) ? `address ${l.host}` : 'every address'}: ` +
            `whatever NGINX forwards there becomes reachable from outside, and data stores, cluster ports, management consoles and SSH are what scanners try first. ` +
            `Keep such ports on the private network (listen on a private or loopback address, or not at all) and publish only the application's own ports.`,
        });
      }
    }
  },
};
