import { Rule } from '../../types';
import { appendWords } from '../edit';
import { describeProxy, forwardsPerRequest, hasWord, HaproxyContext, isBackendSide, isLocalOrUnknownServer, resolve, serversOf, trafficMode } from '../model';

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
        // Its destination changes per request: a check of "0.0.0.0" would probe nothing.
        if (forwardsPerRequest(ctx, p, s)) continue;
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
