import { MODERN_CIPHERS, weakCipherFamilies, weakCiphersMessage } from '../../ciphers';
import { Rule } from '../../types';
import { replaceWord } from '../edit';
import { HaproxyContext } from '../model';
import { HaDirective, HaToken } from '../parse';

/** Global lines whose value is a cipher string; `bind` is the client side. */
const GLOBAL_CIPHERS = new Map([
  ['ssl-default-bind-ciphers', true],
  ['ssl-default-server-ciphers', false],
]);
/** Lines that take `ciphers <string>` as an option; `bind` is the client side. */
const OPTION_LINES = new Map([
  ['bind', true],
  ['server', false],
  ['default-server', false],
  ['server-template', false],
]);

interface CipherSetting {
  directive: HaDirective;
  value: HaToken;
  clientSide: boolean;
}

function settings(ctx: HaproxyContext): CipherSetting[] {
  const out: CipherSetting[] = [];
  for (const d of ctx.global?.directives ?? []) {
    const clientSide = GLOBAL_CIPHERS.get(d.keyword);
    if (clientSide !== undefined && d.args[0]) out.push({ directive: d, value: d.args[0], clientSide });
  }
  for (const p of ctx.proxies) {
    for (const d of p.section.directives) {
      const clientSide = OPTION_LINES.get(d.keyword);
      if (clientSide === undefined) continue;
      d.args.forEach((a, i) => {
        const next = d.args[i + 1];
        if (a.value === 'ciphers' && next) out.push({ directive: d, value: next, clientSide });
      });
    }
  }
  return out;
}

export const weakCiphers: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/weak-ciphers',
    description: 'Cipher lists (`ssl-default-bind-ciphers`, `ciphers` …) enable no RC4, DES/3DES, NULL, EXPORT, MD5 or anonymous suites.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const { directive, value, clientSide } of settings(ctx)) {
      if (value.env || value.value.includes('$')) continue;
      const found = weakCipherFamilies(value.value);
      if (found.enabled.size === 0) continue;
      const quote = value.quoted ? value.raw[0] : '';
      // Towards servers a modern list could lock out an old backend: what it supports is not in this file.
      const simple = !value.quoted || ((quote === '"' || quote === "'") && value.raw.endsWith(quote) && value.raw.length > 1);
      const fixes = clientSide && simple ? [{ title: 'Use a modern cipher list (ECDHE with AES-GCM or ChaCha20)', changes: [replaceWord(value, `${quote}${MODERN_CIPHERS}${quote}`)], preferred: true }] : [];
      report({
        span: { start: value.start, end: value.end },
        message: weakCiphersMessage(`The cipher list of this ${directive.keyword} line`, found, clientSide),
        fixes,
      });
    }
  },
};
