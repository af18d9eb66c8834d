import { Rule } from '../../types';
import { childrenNamed, lookup, NginxContext } from '../model';
import { serverInfo } from '../servers';

export const sslWithoutCertificate: Rule<NginxContext> = {
  meta: {
    id: 'nginx/ssl-without-certificate',
    description: 'Every TLS listener has an `ssl_certificate` and `ssl_certificate_key`, in its server or an enclosing block.',
    defaultSeverity: 'error',
    category: 'correctness',
    fixable: false,
  },
  check(ctx, report) {
    for (const server of ctx.servers) {
      if (!server.owner?.local) continue;
      const info = serverInfo(server);
      const tls = info.listeners.find((l) => l.ssl && l.node.local);
      const sslOn = childrenNamed(server, 'ssl').find((n) => n.local && n.args[0]?.toLowerCase() === 'on');
      if (!tls && !info.sslOn) continue;
      // A server that refuses every handshake needs no certificate of its own.
      if (lookup(server, 'ssl_reject_handshake').nodes.some((n) => n.args[0] === 'on')) continue;
      const at = tls?.node.directive ?? sslOn?.directive ?? server.owner.directive.name;
      const span = { start: at.start, end: at.end };
      const certificate = lookup(server, 'ssl_certificate', 'ssl_certificate_by_lua_block', 'ssl_certificate_by_lua_file');
      if (!certificate.certain) continue;
      if (certificate.nodes.length === 0) {
        report({
          span,
          message:
            `This TLS listener has no ssl_certificate in its server or any enclosing block: NGINX refuses the whole configuration ` +
            `("no ssl_certificate is defined"), so a reload is rejected and a restart takes every site down. Add ssl_certificate and ssl_certificate_key.`,
        });
        continue;
      }
      if (!certificate.nodes.some((n) => n.name === 'ssl_certificate')) continue;
      const key = lookup(server, 'ssl_certificate_key');
      if (key.certain && key.nodes.length === 0) {
        report({
          span,
          message:
            `This TLS listener has an ssl_certificate but no ssl_certificate_key: NGINX refuses the configuration without the private key, ` +
            `so a reload is rejected and a restart takes every site down. Add ssl_certificate_key next to the certificate.`,
        });
      }
    }
  },
};
