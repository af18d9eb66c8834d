import { hostPart, isReplaceableIp } from '../../network';
import { Rule } from '../../types';
import { NginxContext } from '../model';
import { answersEveryRequest, servesContent } from '../servers';

export const ipAddressHost: Rule<NginxContext> = {
  meta: {
    id: 'nginx/ip-address-host',
    description: 'Servers that serve content are named by DNS names in `server_name`, not by IP addresses.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const server of ctx.servers) {
      if (server.protocol !== 'http' || !server.owner?.local) continue;
      // `server_name 203.0.113.7; return 444;` is the usual way to refuse requests that use the bare address.
      if (answersEveryRequest(server) || !servesContent(server)) continue;
      for (const node of server.children) {
        if (node.name !== 'server_name' || !node.local) continue;
        for (const word of node.directive.args) {
          if (word.templated) continue;
          const host = hostPart(word.value);
          if (!host || !isReplaceableIp(host)) continue;
          report({
            span: { start: word.start, end: word.end },
            message:
              `server_name ${word.value} names this server by an IP address: clients then reach the service through the address, so moving it to another machine or load balancer breaks every bookmark, ` +
              `link and client configuration, and public certificates are issued for names, not for addresses like this. Give the service a DNS name and use it here.`,
          });
        }
      }
    }
  },
};
