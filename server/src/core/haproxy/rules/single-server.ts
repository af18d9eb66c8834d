import { Rule } from '../../types';
import { capitalise, describeProxy, forwardsPerRequest, headerSpan, HaproxyContext, isBackendSide, isLocalOrUnknownServer, serversOf } from '../model';

export const singleServer: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/single-server',
    description: 'Backends balance over at least two servers (backup servers not counted).',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    for (const p of ctx.proxies) {
      if (!isBackendSide(p)) continue;
      const servers = serversOf(p);
      // No servers at all: filled at run time (Runtime API, Data Plane API, service discovery).
      if (servers.length === 0) continue;
      // Disabled slots are spare capacity that a controller enables at run time; a count left to the environment is unknown.
      if (servers.some((s) => s.disabled || s.count === undefined)) continue;
      const active = servers.filter((s) => !s.backup);
      const count = active.reduce((n, s) => n + (s.count ?? 0), 0);
      if (count >= 2) continue;
      // A local socket (the Docker socket, PHP-FPM's socket) exists once per host by nature.
      if (count === 1 && active.every(isLocalOrUnknownServer)) continue;
      // A transparent or forward proxy reaches whichever host each request names: no single machine to lose.
      if (active.some((s) => forwardsPerRequest(ctx, p, s))) continue;
      const backups = servers.length - active.length;
      report({
        span: headerSpan(p),
        message:
          count === 0
            ? `${capitalise(describeProxy(p))} has only backup servers: they receive traffic only once every regular server is down, so in normal operation nothing serves it. Declare at least two regular servers.`
            : `${capitalise(describeProxy(p))} sends all its traffic to one server${backups ? ' (backup servers only step in after it fails)' : ''}: a crash, a deploy or a host failure there is an outage. Run at least two servers behind it.`,
      });
    }
  },
};
