// Like haproxy/missing-timeouts: one finding per defaults section whose HTTP proxies lack the setting
// (the fix belongs there), or one per proxy when no defaults section applies.

import { Fix, Rule } from '../../types';
import { bodyIndent, insertLinesAfter } from '../edit';
import { bindsOf, capitalise, describeProxy, effectiveDirectives, headerSpan, HaproxyContext, isFrontendSide, Proxy, routesTraffic, trafficMode } from '../model';

export const HTTP_REQUEST_TIMEOUT = 'timeout http-request 10s';

function hasRequestTimeout(p: Proxy): boolean {
  return effectiveDirectives(p).some((d) => d.keyword === 'timeout' && d.args[0]?.value === 'http-request');
}

function addTo(ctx: HaproxyContext, target: Proxy): Fix {
  const section = target.section;
  const after = section.directives.at(-1)?.line ?? section.header.line;
  return {
    title: `Add "${HTTP_REQUEST_TIMEOUT}" to ${describeProxy(target)}`,
    preferred: true,
    changes: [insertLinesAfter(ctx.config, after, [bodyIndent(ctx.config, section) + HTTP_REQUEST_TIMEOUT])],
  };
}

const WHY =
  'a client then has as long as "timeout client" between two bytes to finish sending its request headers, so a few slow or malicious clients trickling bytes (slowloris) ' +
  'can hold connection slots for as long as they like. "timeout http-request" bounds the whole request head';

export const noHttpRequestTimeout: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/no-http-request-timeout',
    description: 'HTTP frontends set `timeout http-request` (themselves or in their defaults), so slow clients cannot hold connections open.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    const groups = new Map<Proxy | undefined, Proxy[]>();
    for (const p of ctx.proxies) {
      if (!isFrontendSide(p)) continue;
      // `from` naming a defaults section in another file: it may set the timeout.
      if (p.section.from && !p.defaults) continue;
      // Sections that route nowhere serve the stats page or fixed answers: haproxy/stats-without-auth's business.
      if (trafficMode(ctx, p).mode !== 'http' || hasRequestTimeout(p) || !routesTraffic(p)) continue;
      // Reachable from this machine only (loopback, sockets): no slow clients from the network.
      const binds = bindsOf(p);
      if (binds.length > 0 && binds.every((b) => !b.env && b.addresses.every((a) => a.socket || a.loopback))) continue;
      const group = groups.get(p.defaults) ?? [];
      group.push(p);
      groups.set(p.defaults, group);
    }
    for (const [defaults, proxies] of groups) {
      const others = proxies.length > 1 ? ` and ${proxies.length - 1} other HTTP proxy section${proxies.length > 2 ? 's' : ''}` : '';
      if (defaults) {
        report({
          span: headerSpan(defaults),
          message: `Neither this defaults section nor ${describeProxy(proxies[0])}${others} set "timeout http-request": ${WHY}. Add it here (e.g. ${HTTP_REQUEST_TIMEOUT}).`,
          fixes: [addTo(ctx, defaults)],
        });
      } else {
        for (const p of proxies) {
          report({
            span: headerSpan(p),
            message: `${capitalise(describeProxy(p))} runs HTTP without "timeout http-request" (and no defaults section sets it): ${WHY}. Add it (e.g. ${HTTP_REQUEST_TIMEOUT}).`,
            fixes: [addTo(ctx, p)],
          });
        }
      }
    }
  },
};
