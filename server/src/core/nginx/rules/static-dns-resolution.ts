import { hostPart } from '../../network';
import { Rule } from '../../types';
import { lookup, NginxContext } from '../model';

/** Names that never change their address, or are not DNS names at all. */
function isStableName(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === 'ip6-localhost' || h.startsWith('unix:');
}

function isAddressLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

export const staticDnsResolution: Rule<NginxContext> = {
  meta: {
    id: 'nginx/static-dns-resolution',
    description: '`proxy_pass` and `grpc_pass` to a host name go through an upstream or a variable, so NGINX notices when the name\'s addresses change.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    const unreadableIncludes = ctx.localNodes.some((n) => n.name === 'include' && !n.include?.resolvedTo && !n.include?.harmless);
    const upstreamNames = new Set(ctx.upstreams.map((u) => u.owner?.args[0]).filter((n): n is string => !!n));
    for (const node of ctx.localNodes) {
      if (node.name !== 'proxy_pass' && node.name !== 'grpc_pass') continue;
      const word = node.directive.args[0];
      // A variable makes NGINX resolve at request time (with `resolver`); templates are filled in later.
      if (!word || word.templated || word.value.includes('$')) continue;
      const stream = node.scope.protocol === 'stream';
      const target = word.value;
      if (!stream && !/^(https?|grpcs?):\/\//i.test(target)) continue;
      const authority = target.replace(/^[a-z]+:\/\//i, '').split('/')[0];
      if (authority.startsWith('unix:')) continue;
      const host = hostPart(authority);
      if (!host || isAddressLiteral(host) || isStableName(host)) continue;
      const hasPort = authority.lastIndexOf(':') > authority.lastIndexOf(']');
      if (!hasPort) {
        // `proxy_pass http://backend` names an upstream block when one exists; in a fragment it may be
        // defined in a file we do not see (only names with a port are certainly DNS names).
        if (upstreamNames.has(authority)) continue;
        if (ctx.topContext !== 'main' || unreadableIncludes) continue;
      }
      const resolver = lookup(node.scope, 'resolver').nodes.length > 0;
      report({
        span: { start: word.start, end: word.end },
        message:
          `${node.name} to the host name "${host}" is resolved once, when NGINX starts or reloads, and the addresses are kept until the next reload` +
          `${resolver ? ' (the resolver configured here is only used when the target contains a variable)' : ''}: when the name moves to other addresses ` +
          `(a container recreated, a headless service's pods replaced, a cloud load balancer changing IPs) NGINX keeps sending requests to the old ones and answers 502, ` +
          `and if the name does not resolve at start NGINX refuses to start. Put the name in a variable (set $upstream ${target}; ${node.name} $upstream;) with a resolver, ` +
          `or in an upstream block with a zone whose server line has the resolve parameter (NGINX 1.27.3+ or NGINX Plus).`,
      });
    }
  },
};
