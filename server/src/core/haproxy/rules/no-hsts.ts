import { Rule } from '../../types';
import { insertLinesAfter } from '../edit';
import { bindsOf, capitalise, describeProxy, effectiveDirectives, HaproxyContext, isFrontendSide, own, routedBackends, routesTraffic, trafficMode } from '../model';
import { HaDirective } from '../parse';

const HSTS = /strict-transport-security/i;
export const HSTS_LINE = 'http-response set-header Strict-Transport-Security "max-age=31536000"';

/** `http-response set-header/add-header Strict-Transport-Security …` (or http-after-response, or the old rspadd). */
function setsHsts(d: HaDirective): boolean {
  if (d.keyword === 'http-response' || d.keyword === 'http-after-response') {
    const action = d.args[0]?.value;
    return (action === 'set-header' || action === 'add-header') && HSTS.test(d.args[1]?.value ?? '');
  }
  if (d.keyword === 'rspadd' || d.keyword === 'rspirep') return d.args.some((a) => HSTS.test(a.value));
  return false;
}

/** Lua or SPOE filters can set any header: benefit of the doubt. */
function mayBeScripted(d: HaDirective): boolean {
  const a0 = d.args[0]?.value ?? '';
  if ((d.keyword === 'http-response' || d.keyword === 'http-after-response') && (a0.startsWith('lua.') || a0 === 'send-spoe-group')) return true;
  return d.keyword === 'filter';
}

export const noHsts: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/no-hsts',
    description: 'HTTP frontends that terminate TLS send a Strict-Transport-Security header.',
    defaultSeverity: 'information',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const p of ctx.proxies) {
      if (!isFrontendSide(p)) continue;
      const tls = bindsOf(p).find((b) => b.ssl);
      if (!tls || trafficMode(ctx, p).mode !== 'http') continue;
      const directives = effectiveDirectives(p);
      // A section that routes nowhere (only the stats page, a fixed answer) sends nothing a browser should pin.
      if (!routesTraffic(p)) continue;
      // Backends add response headers too; routing by a computed name hides which ones.
      if (directives.some((d) => d.keyword === 'use_backend' && /%\[/.test(d.args[0]?.raw ?? ''))) continue;
      const backends = routedBackends(ctx, p);
      const all = [...directives, ...backends.flatMap((b) => effectiveDirectives(b))];
      if (all.some(setsHsts) || all.some(mayBeScripted)) continue;
      const lastBind = own(p, 'bind').at(-1)!;
      report({
        span: { start: tls.directive.start, end: tls.directive.end },
        message:
          `${capitalise(describeProxy(p))} terminates TLS for HTTP but sends no Strict-Transport-Security header: browsers still try plain HTTP first (typed addresses, old links), ` +
          `and that first request can be intercepted and kept on HTTP. Once HTTPS works reliably for these hosts, add ${HSTS_LINE} (browsers then use only HTTPS for max-age seconds).`,
        fixes: [{ title: 'Send Strict-Transport-Security', preferred: true, changes: [insertLinesAfter(ctx.config, lastBind.line, [lastBind.line.indent + HSTS_LINE])] }],
      });
    }
  },
};
