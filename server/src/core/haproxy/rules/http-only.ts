import { Fix, Rule } from '../../types';
import { insertLinesAfter } from '../edit';
import {
  asksForCredentials,
  Bind,
  bindsOf,
  capitalise,
  describeProxy,
  effectiveDirectives,
  HaproxyContext,
  isFrontendSide,
  isPlainNetworkBind,
  own,
  Proxy,
  routesTraffic,
  serversOf,
  trafficMode,
} from '../model';
import { HaDirective } from '../parse';

export const REDIRECT_LINE = 'http-request redirect scheme https code 301 unless { ssl_fc }';
/** The redirect for a section that answers ACME HTTP-01 challenges: those must stay on plain HTTP. */
const REDIRECT_LINE_KEEPING_ACME = 'http-request redirect scheme https code 301 unless { ssl_fc } || { path_beg /.well-known/acme-challenge/ }';

/** The redirect line for the section: http-request rules run before use_backend, so ACME challenges are exempted when the section routes them. */
function redirectLine(directives: HaDirective[]): string {
  return directives.some((d) => d.args.some((a) => a.value.includes('/.well-known/acme-challenge'))) ? REDIRECT_LINE_KEEPING_ACME : REDIRECT_LINE;
}
/** HAProxy loads every certificate in a directory given to `crt`, so this works once certificates are put there. */
export const CERT_DIR = '/etc/haproxy/certs/';

/** `http-request redirect scheme https …`, `redirect scheme https …`, or a redirect to an https:// location/prefix. */
export function redirectsToHttps(d: HaDirective): boolean {
  const args = d.keyword === 'redirect' ? d.args : d.keyword === 'http-request' && d.args[0]?.value === 'redirect' ? d.args.slice(1) : undefined;
  if (!args) return false;
  for (let i = 0; i + 1 < args.length; i++) {
    const kind = args[i].value;
    const target = args[i + 1].value.toLowerCase();
    if (kind === 'scheme' && target === 'https') return true;
    if ((kind === 'location' || kind === 'prefix') && target.startsWith('https://')) return true;
  }
  return false;
}

/**
 * A section that only answers the stats page, the Prometheus exporter or a monitoring URI: it routes
 * no traffic to a backend, and its exposure is what haproxy/stats-without-auth looks at.
 */
function servesOnlyInternalPages(p: Proxy, directives: HaDirective[]): boolean {
  const routes = directives.some((d) => d.keyword === 'default_backend' || d.keyword === 'use_backend') || serversOf(p).length > 0;
  if (routes) return false;
  return directives.some(
    (d) =>
      (d.keyword === 'stats' && (d.args[0]?.value === 'enable' || d.args[0]?.value === 'uri')) ||
      d.keyword === 'monitor-uri' ||
      (d.keyword === 'http-request' && d.args[0]?.value === 'use-service' && d.args[1]?.value === 'prometheus-exporter'),
  );
}

function portsText(b: Bind): string {
  const ports = [...new Set(b.addresses.flatMap((a) => (a.ports.length > 3 ? [`${a.ports[0]}-${a.ports[a.ports.length - 1]}`] : a.ports.map(String))))];
  return ports.length ? `port ${ports.join(', ')}` : b.directive.args[0].raw;
}

/** The plain bind's address with port 443, when it is one simple address; else any address on 443. */
function tlsAddress(b: Bind): string {
  const word = b.directive.args[0];
  if (b.addresses.length !== 1 || word.quoted || word.raw !== word.value) return ':443';
  const m = /^(.*):\d+(?:-\d+)?$/.exec(word.value);
  return m ? `${m[1]}:443` : ':443';
}

export const httpOnly: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/http-only',
    description: 'HTTP frontends serve HTTPS and redirect plain HTTP to it, also when they bind both.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    const binds443 = ctx.proxies.filter((q) => isFrontendSide(q) && bindsOf(q).some((b) => b.addresses.some((a) => a.ports.includes(443))));
    for (const p of ctx.proxies) {
      if (!isFrontendSide(p)) continue;
      const binds = bindsOf(p);
      const plain = binds.find(isPlainNetworkBind);
      // A bind whose address comes from the environment may well be the HTTPS side.
      if (!plain || binds.some((b) => b.env)) continue;
      if (trafficMode(ctx, p).mode !== 'http') continue;
      const directives = effectiveDirectives(p);
      if (directives.some(redirectsToHttps)) continue;
      const internalPages = servesOnlyInternalPages(p, directives);
      if (binds.some((b) => b.ssl)) {
        // Both schemes in one section: the HTTPS side exists, plain HTTP only lacks the redirect.
        if (internalPages || !routesTraffic(p) || mayRedirectElsewhere(directives)) continue;
        const lastBind = own(p, 'bind').at(-1)!;
        report({
          span: { start: plain.directive.start, end: plain.directive.end },
          message: `${capitalise(describeProxy(p))} serves HTTPS, yet also serves the same content in clear text on ${portsText(plain)} without sending clients to HTTPS: visitors who type the address or follow an old http:// link send passwords, session cookies and API tokens unencrypted. Redirect plain HTTP to HTTPS.`,
          fixes: [{ title: 'Redirect HTTP to HTTPS', preferred: true, changes: [insertLinesAfter(ctx.config, lastBind.line, [lastBind.line.indent + redirectLine(directives)])] }],
        });
        continue;
      }
      // An internal page left open is haproxy/stats-without-auth's business; one that asks for a password
      // over plain HTTP sends that password (Basic auth: base64, not encryption) in clear text.
      if (internalPages && !directives.some(asksForCredentials)) continue;

      // `crt` without `ssl` loads a certificate but leaves TLS off: adding the missing keyword is the whole fix.
      const forgotSsl = binds.find((b) => isPlainNetworkBind(b) && b.certificate);
      if (forgotSsl) {
        const address = forgotSsl.directive.args[0];
        report({
          span: { start: forgotSsl.directive.start, end: forgotSsl.directive.end },
          message: `This bind of ${describeProxy(p)} names a certificate but lacks the "ssl" keyword, so TLS is off and it serves plain HTTP on ${portsText(forgotSsl)}: everything sent to it can be read or altered on the way. Add "ssl".`,
          fixes: [{ title: 'Turn TLS on for this bind ("ssl")', preferred: true, changes: [{ start: address.end, end: address.end, newText: ' ssl' }] }],
        });
        continue;
      }

      if (internalPages) {
        // The page keeps its own port: TLS on that bind, not a redirect to a port 443 it does not serve.
        const address = plain.directive.args[0];
        report({
          span: { start: plain.directive.start, end: plain.directive.end },
          message: `The password-protected page of ${describeProxy(p)} is served in clear text on ${portsText(plain)}: the browser sends the password with every request (HTTP Basic auth is only base64), so anyone on the path can read it and reuse it. Serve this bind over TLS.`,
          fixes: [{ title: 'Serve this page over TLS (ssl crt)', preferred: true, changes: [{ start: address.end, end: address.end, newText: ` ssl crt ${CERT_DIR}` }] }],
        });
        continue;
      }

      const lastBind = own(p, 'bind').at(-1)!;
      const indent = lastBind.line.indent;
      const fixes: Fix[] = [];
      if (binds443.includes(p)) {
        // Plain HTTP on 443 itself: redirecting to https:// would loop; what is wanted there is not mechanical.
      } else if (binds443.length > 0) {
        // Another frontend already owns port 443 (a second bind there would split connections between
        // the two): this one is the port-80 half and only lacks the redirect.
        fixes.push({ title: 'Redirect HTTP to HTTPS', preferred: true, changes: [insertLinesAfter(ctx.config, lastBind.line, [indent + redirectLine(directives)])] });
      } else {
        fixes.push({
          title: 'Serve HTTPS on port 443 and redirect HTTP to it',
          preferred: true,
          changes: [insertLinesAfter(ctx.config, lastBind.line, [`${indent}bind ${tlsAddress(plain)} ssl crt ${CERT_DIR}`, indent + redirectLine(directives)])],
        });
      }
      report({
        span: { start: plain.directive.start, end: plain.directive.end },
        message: `${capitalise(describeProxy(p))} serves HTTP in clear text on ${portsText(plain)} and never sends clients to HTTPS: passwords, session cookies and API tokens can be read or altered by anyone on the path. Terminate TLS here and redirect plain HTTP to HTTPS.`,
        fixes,
      });
    }
  },
};

/** Lua actions and scheme-dependent routing (`use_backend … if !{ ssl_fc }`) may answer plain HTTP differently: benefit of the doubt. */
function mayRedirectElsewhere(directives: HaDirective[]): boolean {
  return directives.some((d) => {
    const a0 = d.args[0]?.value ?? '';
    if (d.keyword === 'http-request' && (a0.startsWith('lua.') || a0 === 'use-service')) return true;
    return (d.keyword === 'use_backend' || d.keyword === 'http-request') && d.args.some((a) => a.value === 'ssl_fc' || a.value === '!ssl_fc' || a.value.startsWith('ssl_fc'));
  });
}
