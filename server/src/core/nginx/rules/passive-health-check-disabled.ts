import { Rule } from '../../types';
import { childrenNamed, NginxContext } from '../model';

export const passiveHealthCheckDisabled: Rule<NginxContext> = {
  meta: {
    id: 'nginx/passive-health-check-disabled',
    description: 'Upstream servers keep NGINX\'s passive health check (no `max_fails=0`), so a failing server is taken out of rotation.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    for (const upstream of ctx.upstreams) {
      const servers = childrenNamed(upstream, 'server');
      // With a single server NGINX ignores max_fails (there is nothing to fail over to), unless
      // `resolve` or `service=` turns the line into however many addresses the name has.
      const group = servers.length >= 2 || servers.some((s) => s.args.some((a) => a === 'resolve' || a.startsWith('service=')));
      if (!group) continue;
      for (const server of servers) {
        if (!server.local) continue;
        const word = server.directive.args.find((a) => !a.templated && /^max_fails=0+$/.test(a.value));
        if (!word) continue;
        const change = ctx.edit.replace(word, 'max_fails=2');
        const label = upstream.owner?.args[0] ?? '';
        report({
          span: { start: word.start, end: word.end },
          message:
            `"${word.value}" switches off NGINX's passive health check for ${server.args[0] ?? 'this server'} in upstream "${label}": when it stops answering, NGINX never marks it unavailable ` +
            `and keeps sending it its share of requests, each waiting for a timeout or an error before NGINX tries another server. ` +
            `Let failures count (e.g. max_fails=2 fail_timeout=30s) so the server is skipped for fail_timeout after repeated errors.`,
          fixes: change ? [{ title: 'Count failures again (max_fails=2)', changes: [change], preferred: true }] : [],
        });
      }
    }
  },
};
