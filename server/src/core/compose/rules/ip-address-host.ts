import { isMap, isScalar, Node } from 'yaml';
import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, Service, serviceValue } from '../model';
import { environmentOf } from '../environment';
import { isReplaceableIp, namesHostToReach, replaceableIpsIn } from '../../network';

export const ipAddressHost: Rule<ComposeContext> = {
  meta: {
    id: 'compose/ip-address-host',
    description: 'Hosts and URLs in `environment:` and `extra_hosts:` are DNS names, not raw IP addresses.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      for (const v of environmentOf(s)) {
        if (v.value.includes('$') || !namesHostToReach(v.name)) continue;
        const ips = replaceableIpsIn(v.value);
        if (ips.length === 0) continue;
        report({
          span: spanOf(v.node),
          message: `${v.name} in service "${s.name}" points at the IP address ${ips[0]} where a host name belongs: when the address changes (a new server, a failover, a migration) this file and every client must change with it, and TLS certificates are issued for names. Use a DNS name (or the service name on a shared network).`,
        });
      }
      for (const entry of extraHosts(s)) {
        report({
          span: spanOf(entry.node),
          message: `extra_hosts in service "${s.name}" pins ${entry.name} to ${entry.ip}, bypassing DNS: when that address changes, this container keeps connecting to the old one until the file is edited and the service recreated. Let DNS resolve ${entry.name}.`,
        });
      }
    }
  },
};

/** `extra_hosts` entries mapping a name to a replaceable IP: `"db.example.com:10.0.0.5"`, `db.example.com=10.0.0.5`, or `{db.example.com: 10.0.0.5}`. */
function extraHosts(s: Service): { name: string; ip: string; node: Node }[] {
  const view = s.document.view;
  const value = serviceValue(s, 'extra_hosts')?.value;
  const out: { name: string; ip: string; node: Node }[] = [];
  if (isMap(value)) {
    for (const e of view.entries(value)) {
      const ip = scalarText(e.value)?.trim();
      if (e.value && ip && isReplaceableIp(ip.replace(/^\[|\]$/g, ''))) out.push({ name: e.key, ip, node: e.value });
    }
    return out;
  }
  for (const item of view.items(view.seq(value))) {
    const text = isScalar(item) ? scalarText(item)?.trim() : undefined;
    // The name never contains ':' or '='; the address after the first one may (IPv6).
    const m = text ? /^([^:=\s]+)[:=](.+)$/.exec(text) : null;
    const ip = m?.[2].trim().replace(/^\[|\]$/g, '');
    if (m && ip && isReplaceableIp(ip)) out.push({ name: m[1], ip, node: item });
  }
  return out;
}
