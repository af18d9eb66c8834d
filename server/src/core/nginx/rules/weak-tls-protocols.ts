import { Rule } from '../../types';
import { NginxContext } from '../model';

const PROTOCOL_DIRECTIVES = new Set(['ssl_protocols', 'proxy_ssl_protocols', 'grpc_ssl_protocols', 'uwsgi_ssl_protocols']);
const WEAK = new Set(['sslv2', 'sslv3', 'tlsv1', 'tlsv1.1']);

export const weakTlsProtocols: Rule<NginxContext> = {
  meta: {
    id: 'nginx/weak-tls-protocols',
    description: '`ssl_protocols` and `proxy_ssl_protocols` (and their grpc/uwsgi variants) allow only TLSv1.2 and TLSv1.3.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const node of ctx.localNodes) {
      if (!PROTOCOL_DIRECTIVES.has(node.name)) continue;
      const args = node.directive.args;
      const weak = args.filter((a) => WEAK.has(a.value.toLowerCase()));
      if (weak.length === 0) continue;
      const names = weak.map((a) => a.value).join(', ');
      const towards = node.name === 'ssl_protocols' ? 'clients' : 'the upstream servers';
      const change = args.some((a) => a.templated) ? undefined : ctx.edit.replace({ start: args[0].start, end: args[args.length - 1].end }, 'TLSv1.2 TLSv1.3');
      report({
        span: { start: weak[0].start, end: weak[weak.length - 1].end },
        message:
          `${node.name} allows ${names}: these protocol versions are deprecated (RFC 8996) and have known attacks, and security scans and compliance audits fail on them. ` +
          `Connections to ${towards} can be downgraded to them; allow only TLSv1.2 and TLSv1.3.`,
        fixes: change ? [{ title: 'Allow only TLSv1.2 and TLSv1.3', changes: [change], preferred: true }] : [],
      });
    }
  },
};
