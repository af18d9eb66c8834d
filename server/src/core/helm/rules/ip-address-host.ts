import { isScalar, isSeq, Node } from 'yaml';
import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { entriesWithKey } from '../components';
import { keyWords } from '../keys';
import { HelmContext } from '../model';
import { isTemplate } from '../values';
import { hostPart, isReplaceableIp } from '../../network';

/** Keys whose value is a host name or a URL. */
const HOST_WORDS = new Set(['host', 'hosts', 'hostname', 'hostnames', 'url', 'urls', 'uri', 'endpoint', 'endpoints', 'domain', 'server', 'servers', 'address', 'addr']);
/** …unless the key says it wants an address, a range or a bind/listen setting. */
const ADDRESS_WORDS = new Set(['ip', 'ips', 'cidr', 'cidrs', 'subnet', 'bind', 'listen', 'range', 'nameserver', 'nameservers', 'dns', 'mask', 'gateway', 'pod', 'cluster', 'node', 'mac', 'email', 'mail']);

/** Cheap pre-check: every host key ends in one of these. */
const MAYBE_HOST = /(hosts?|names?|urls?|uri|endpoints?|domain|servers?|address|addr)$/i;

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
