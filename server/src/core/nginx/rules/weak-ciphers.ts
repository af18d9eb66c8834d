import { MODERN_CIPHERS, weakCipherFamilies, weakCiphersMessage } from '../../ciphers';
import { Rule } from '../../types';
import { NginxContext } from '../model';

/** The cipher lists NGINX offers to clients (`ssl_ciphers`) and to upstream servers (the `*_ssl_ciphers` of the proxy modules). */
const CIPHER_DIRECTIVES = new Set(['ssl_ciphers', 'proxy_ssl_ciphers', 'grpc_ssl_ciphers', 'uwsgi_ssl_ciphers']);

export const weakCiphers: Rule<NginxContext> = {
  meta: {
    id: 'nginx/weak-ciphers',
    description: '`ssl_ciphers` (and the proxy variants) enable no RC4, DES/3DES, NULL, EXPORT, MD5 or anonymous suites.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const node of ctx.localNodes) {
      if (!CIPHER_DIRECTIVES.has(node.name)) continue;
      const value = node.directive.args[0];
      if (!value || value.templated || value.value.includes('$')) continue;
      const found = weakCipherFamilies(value.value);
      if (found.enabled.size === 0) continue;
      const clients = node.name === 'ssl_ciphers';
      const quote = value.quoted ? node.source[value.start] : '';
      // Towards upstream servers a modern list could lock out an old backend: what it supports is not in this file.
      const change = clients ? ctx.edit.replace(value, `${quote}${MODERN_CIPHERS}${quote}`) : undefined;
      report({
        span: { start: value.start, end: value.end },
        message: weakCiphersMessage(node.name, found, clients),
        fixes: change ? [{ title: 'Use a modern cipher list (ECDHE with AES-GCM or ChaCha20)', changes: [change], preferred: true }] : [],
      });
    }
  },
};
