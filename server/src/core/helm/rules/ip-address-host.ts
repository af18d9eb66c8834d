import { isScalar, isSeq, Node } from 'yaml';
import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey } from '../components';
import { keyWords } from '../keys';
import { HelmContext } from '../model';
import { isTemplate } from '../values';

/** Keys whose value is a host name or a URL. */
const HOST_WORDS = new Set(['host', 'hosts', 'hostname', 'hostnames', 'url', 'urls', 'uri', 'endpoint', 'endpoints', 'domain', 'server', 'servers', 'address', 'addr']);
/** …unless the key says it wants an address, a range or a bind/listen setting. */
const ADDRESS_WORDS = new Set(['ip', 'ips', 'cidr', 'cidrs', 'subnet', 'bind', 'listen', 'range', 'nameserver', 'nameservers', 'dns', 'mask', 'gateway', 'pod', 'cluster', 'node', 'mac', 'email', 'mail']);

/** Cheap pre-check: every host key ends in one of these. */
const MAYBE_HOST = /(hosts?|names?|urls?|uri|endpoints?|domain|servers?|address|addr)$/i;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The host part of `1.2.3.4`, `1.2.3.4:8080`, `https://1.2.3.4:8443/path`, `[2001:db8::1]:443`. */
export function hostPart(value: string): string | undefined {
  let v = value.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(v);
  if (scheme) v = v.slice(scheme[0].length).replace(/^[^@/]*@/, '');
  else if (v.includes('/')) return undefined; // a CIDR or a path, not a host
  v = v.split(/[/?#]/)[0];
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') === -1 ? undefined : v.indexOf(']'));
  const colons = (v.match(/:/g) ?? []).length;
  if (colons === 1) return v.split(':')[0];
  return v;
}

/** An IP address a person would have to replace with a name: not loopback, unspecified, link-local or broadcast. */
export function isReplaceableIp(host: string): boolean {
  if (IPV4.test(host)) {
    return !/^(0\.0\.0\.0|127\.|169\.254\.|255\.255\.255\.255)/.test(host);
  }
  // IPv6: hex groups with at least two colons; `::` and `::1` are the unspecified and loopback addresses.
  if (/^[0-9a-f:]+$/i.test(host) && (host.match(/:/g) ?? []).length >= 2 && /[0-9a-f]/i.test(host)) {
    return !/^(::1?|fe80:.*)$/i.test(host);
  }
  return false;
}

export const ipAddressHost: Rule<HelmContext> = {
  meta: {
    id: 'helm/ip-address-host',
    description: 'Host names and URLs use DNS names, not raw IP addresses.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const { at: m, entry: e } of entriesWithKey(ctx.model, MAYBE_HOST)) {
      if (!m.active || e.inherited || !e.value) continue;
      const view = m.document.view;
      const words = keyWords(e.key);
      if (!HOST_WORDS.has(words[words.length - 1] ?? '') || words.some((w) => ADDRESS_WORDS.has(w))) continue;
      const values: Node[] = isScalar(e.value) ? [e.value] : isSeq(e.value) ? view.items(e.value).filter(isScalar) : [];
      for (const node of values) {
        const text = scalarText(node);
        if (!text || isTemplate(text)) continue;
        const host = hostPart(text);
        if (!host || !isReplaceableIp(host)) continue;
        report({
          span: spanOf(node),
          message: `${e.key} uses the IP address ${host} where a host name belongs: when the address changes every client and this configuration must change with it, and TLS certificates are issued for names, not for addresses like this. Use a DNS name.`,
        });
      }
    }
  },
};
