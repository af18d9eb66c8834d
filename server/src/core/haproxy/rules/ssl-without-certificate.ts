import { Rule } from '../../types';
import { bindsOf, describeProxy, HaproxyContext, isFrontendSide, own } from '../model';

export const sslWithoutCertificate: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/ssl-without-certificate',
    description: 'A `bind … ssl` names its certificate (`crt`, `crt-list`), or one is attached with `ssl-f-use`.',
    defaultSeverity: 'error',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    // Certificates loaded from a crt-store and attached by ssl-f-use (HAProxy 3.2+) do not appear on the bind line.
    if (ctx.config.sections.some((s) => s.keyword === 'crt-store')) return;
    for (const p of ctx.proxies) {
      if (!isFrontendSide(p) || own(p, 'ssl-f-use').length > 0) continue;
      for (const b of bindsOf(p)) {
        if (!b.ssl || b.certificate || b.env) continue;
        const ssl = b.directive.args.find((a, i) => i > 0 && a.value === 'ssl')!;
        report({
          span: { start: ssl.start, end: ssl.end },
          message: `This bind of ${describeProxy(p)} turns on TLS ("ssl") but names no certificate: HAProxy refuses to load the configuration, so deploying it fails and nothing new is served. Add "crt <file or directory>" or "crt-list <file>".`,
        });
      }
    }
  },
};
