import { isMap, Node, YAMLSeq } from 'yaml';
import { Fix, Rule } from '../../types';
import { Snippet } from '../../yaml/edit';
import { scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, Service } from '../model';
import { Publication, publicationsOf, publicPublications, servesPort } from '../ports';

const HTTP_PORTS = [80, 8080, 8000];
const TLS_PORTS = [443, 8443];

export const httpOnly: Rule<ComposeContext> = {
  meta: {
    id: 'compose/http-only',
    description: 'A service that publishes plain HTTP also publishes HTTPS.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const publications = publicPublications(s, ctx.swarm);
      const http = publications.find((p) => HTTP_PORTS.some((port) => servesPort(p, port)));
      if (!http) continue;
      // Only a TLS port the public can reach counts: a loopback-bound 443 protects no one.
      if (publications.some((p) => TLS_PORTS.some((port) => servesPort(p, port)))) continue;
      const seq = publicationsOf(s).seq;
      const shared = s.document.view.get(s.map, 'ports')?.inherited ?? false;
      report({
        span: spanOf(http.node),
        message: `Service "${s.name}" publishes plain HTTP with no HTTPS port: traffic and credentials cross the network unencrypted. Publish 443 and terminate TLS here or at the load balancer in front of it.`,
        fixes: () => {
          const fix = seq && !shared ? tlsPublicationFix(s, seq, http) : undefined;
          return fix ? [fix] : [];
        },
      });
    }
  },
};

function tlsPublicationFix(s: Service, seq: YAMLSeq, http: Publication): Fix | undefined {
  const { view, edit } = s.document;
  let item: Snippet;
  if (http.syntax === 'short') {
    const like = http.node;
    const quote = 'type' in like && (like.type === 'QUOTE_DOUBLE' || like.type === 'QUOTE_SINGLE') ? (like.type === 'QUOTE_DOUBLE' ? '"' : "'") : '"';
    const host = http.hostIp ? `${http.hostIp.includes(':') ? `[${http.hostIp}]` : http.hostIp}:` : '';
    item = `${quote}${host}443:443${quote}`;
  } else {
    if (!isMap(http.node)) return undefined;
    // Mirror the keys the author wrote, in their order, so the new entry looks like its neighbour.
    const out: { [k: string]: Snippet } = {};
    for (const e of view.entries(http.node)) {
      if (e.key === 'target' || e.key === 'published') out[e.key] = '443';
      else {
        const v = scalarText(e.value as Node);
        if (v !== undefined) out[e.key] = e.value && 'source' in e.value && typeof e.value.source === 'string' ? e.value.source : v;
      }
    }
    item = out;
  }
  const change = edit.insertItemAfter(seq, http.node, item);
  return change ? { title: 'Publish HTTPS port 443 next to the HTTP port', changes: [change], preferred: true } : undefined;
}
