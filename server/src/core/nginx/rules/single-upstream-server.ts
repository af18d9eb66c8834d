import { Rule } from '../../types';
import { childrenNamed, Node, NginxContext } from '../model';

function isActive(server: Node): boolean {
  return !server.args.slice(1).some((p) => p === 'backup' || p === 'down');
}

function describe(address: string): 'socket' | 'ip' | 'name' {
  if (address.startsWith('unix:')) return 'socket';
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address.replace(/:[^:]*$/, '');
  return /^[\d.]+$/.test(host) || host.includes(':') ? 'ip' : 'name';
}

export const singleUpstreamServer: Rule<NginxContext> = {
  meta: {
    id: 'nginx/single-upstream-server',
    description: 'An upstream has at least two active servers, so NGINX can fail over.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    for (const upstream of ctx.upstreams) {
      const owner = upstream.owner!;
      if (!owner.local) continue;
      // Servers that come from an unreadable include, a Lua balancer or NGINX Plus's state file are unknown here.
      if (upstream.unresolved.length) continue;
      if (childrenNamed(upstream, 'balancer_by_lua_block', 'balancer_by_lua_file', 'state').length) continue;
      const servers = childrenNamed(upstream, 'server');
      // `service=` asks DNS for SRV records: one line can stand for many servers.
      if (servers.some((s) => s.args.some((a) => a.startsWith('service=')))) continue;
      const active = servers.filter(isActive);
      if (active.length >= 2) continue;
      const name = owner.directive.args[0] ?? owner.directive.name;
      const span = { start: owner.directive.start, end: name.end };
      const label = owner.args[0] ?? '';
      if (active.length === 0) {
        report({
          span,
          message: `Upstream "${label}" has no active server${servers.length ? ' (all are marked backup or down)' : ''}: every request proxied to it fails with 502. Add at least two servers.`,
        });
        continue;
      }
      const address = active[0].args[0] ?? '';
      const kind = describe(address);
      const detail =
        kind === 'name'
          ? ` If "${address}" is a service address that already balances over several replicas (a Swarm or Kubernetes service), suppress this here.`
          : kind === 'socket'
            ? ' Run a second application process on another socket or host to survive a crash or a deploy.'
            : '';
      report({
        span,
        message:
          `Upstream "${label}" has a single active server (${address}): when it is down, restarting or being deployed, every request gets a 502 and NGINX has nothing to fail over to. ` +
          `Add a second server (or a backup).${detail}`,
      });
    }
  },
};
