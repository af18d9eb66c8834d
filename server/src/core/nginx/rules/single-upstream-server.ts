import { Rule } from '../../types';
import { childrenNamed, NginxContext, Node, Scope } from '../model';

function isActive(server: Node): boolean {
  return !server.args.slice(1).some((p) => p === 'backup' || p === 'down');
}

function describe(address: string): 'socket' | 'ip' | 'name' {
  if (address.startsWith('unix:')) return 'socket';
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address.replace(/:[^:]*$/, '');
  return /^[\d.]+$/.test(host) || host.includes(':') ? 'ip' : 'name';
}

/** The upstream's name, a server address or a template tag inside its block is a placeholder filled in later. */
function isUnrendered(ctx: NginxContext, upstream: Scope): boolean {
  const d = upstream.owner!.directive;
  if (d.args.some((a) => a.templated)) return true;
  if (childrenNamed(upstream, 'server').some((s) => s.directive.args[0]?.templated)) return true;
  const block = d.block;
  return !!block && ctx.config.templates.some((t) => t.start > block.open && t.start < (block.close ?? d.end));
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
      // An unrendered template (`upstream {{$name}}` from consul-template): its servers are not written yet.
      if (isUnrendered(ctx, upstream)) continue;
      const servers = childrenNamed(upstream, 'server');
      // A shared-memory zone and no servers: NGINX Plus fills the group at run time through its API.
      if (servers.length === 0 && childrenNamed(upstream, 'zone').length) continue;
      // `service=` asks DNS for SRV records and `resolve` re-resolves the name as it changes: one line
      // stands for however many replicas the name has.
      if (servers.some((s) => s.args.some((a) => a.startsWith('service=') || a === 'resolve'))) continue;
      const active = servers.filter(isActive);
      if (active.length >= 2) continue;
      // A local socket (PHP-FPM, a Gunicorn socket) exists once per host by nature: a second one on the
      // same host would share its fate.
      if (active.length === 1 && describe(active[0].args[0] ?? '') === 'socket') continue;
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
          ? ` If "${address}" is a service address that already balances over several replicas (a Swarm or Kubernetes service), suppress this here, or add "resolve" where NGINX supports it.`
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
