import { Rule } from '../../types';
import { appendWords } from '../edit';
import { capitalise, describeProxy, hasWord, headerSpan, HaproxyContext, isBackendSide, isLocalOrUnknownServer, resolve, serversOf, trafficMode } from '../model';

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

export const noHealthCheck: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/no-health-check',
    description: 'Servers are health-checked (`check`, on the line or from `default-server`).',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    for (const p of ctx.proxies) {
      if (!isBackendSide(p) || trafficMode(ctx, p).mode === 'log') continue;
      const fromDefaultServer = !!resolve(ctx, p).defaultServerCheck;
      for (const s of serversOf(p)) {
        const d = s.directive;
        const first = s.template ? 3 : 2;
        // `track` follows another server's checks; an agent check can take the server down by itself.
        if (hasWord(d, 'check', first) || hasWord(d, 'track', first) || hasWord(d, 'agent-check', first)) continue;
        const disabled = hasWord(d, 'no-check', first);
        if (fromDefaultServer && !disabled) continue;
        if (isLocalOrUnknownServer(s)) continue;
        const name = d.args[0]?.value ?? '';
        if (disabled) {
          report({
            span: { start: d.start, end: d.end },
            severity: 'information',
            message: `Server "${name}" in ${describeProxy(p)} has health checks switched off ("no-check"): if it dies, HAProxy keeps sending it requests until they time out.`,
          });
          continue;
        }
        const proxyProbe = hasWord(d, 'check-send-proxy', first) ? ' ("check-send-proxy" only shapes checks; it does not turn them on)' : '';
        report({
          span: { start: d.start, end: d.end },
          message: `Server "${name}" in ${describeProxy(p)} is never health-checked${proxyProbe}: when it hangs or dies, HAProxy keeps routing clients to it and they get errors or time out instead of reaching a healthy server. Add "check".`,
          fixes: [{ title: 'Add "check"', preferred: true, changes: [appendWords(d, 'check')] }],
        });
      }
    }
  },
};
