import { Fix, Rule, TextChange } from '../../types';
import { childrenNamed, directiveText, lookup, NginxContext } from '../model';
import {
  answersEveryRequest,
  httpServers,
  isTlsServer,
  Listener,
  plaintextListeners,
  ServerInfo,
  servesContent,
  TlsNames,
  upgradesInIf,
} from '../servers';

/** Listen parameters that belong to the address:port socket; NGINX allows them once per socket. */
const SOCKET_OPTIONS = /^(default_server|default|reuseport|deferred|bind|backlog=|rcvbuf=|sndbuf=|ipv6only=|so_keepalive=|accept_filter=|fastopen=|setfib=)/;

export const httpOnly: Rule<NginxContext> = {
  meta: {
    id: 'nginx/http-only',
    description: 'An http server that serves content over plain HTTP has an HTTPS counterpart, or redirects to HTTPS.',
    defaultSeverity: 'warning',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    const servers = httpServers(ctx);
    const tlsServers = servers.filter(isTlsServer);
    const tlsNames = new TlsNames(tlsServers);
    for (const info of servers) {
      const owner = info.scope.owner!;
      if (!owner.local || isTlsServer(info)) continue;
      const plain = plaintextListeners(info);
      if (!info.defaultListen && plain.length === 0) continue;
      // An unreadable include in the server could hold the redirect or the TLS listener.
      if (info.scope.unresolved.length) continue;
      if (answersEveryRequest(info.scope) || upgradesInIf(info.scope) || !servesContent(info.scope)) continue;
      const missing = tlsNames.uncovered(info.names);
      if (missing === undefined) continue;
      const ports = info.defaultListen ? 'port 80 (the default without a listen directive)' : describePorts(plain);
      const shown = missing.slice(0, 3).map((n) => `"${n}"`).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more names` : '');
      const who = missing.length ? `for ${shown} ` : '';
      const tlsPortHint = plain.some((l) => l.port === 443 || l.port === 8443)
        ? ' (a listen on 443 without the ssl parameter speaks plain HTTP)'
        : '';
      const label = info.names.find((n) => n && n !== '_');
      const firstLocal = plain.find((l) => l.node.local)?.node.directive;
      const span = firstLocal ?? owner.directive.name;
      report({
        span: { start: span.start, end: firstLocal ? firstLocal.end : owner.directive.name.end },
        message:
          `${label ? `Server "${label}"` : 'This server'} serves content over plain HTTP on ${ports}${tlsPortHint} and no HTTPS server ${who}exists: ` +
          `pages, cookies and credentials cross the network unencrypted and can be read or changed on the way. ` +
          `Serve it with TLS (listen 443 ssl) and answer plain HTTP with a redirect to https://.`,
        fixes: () => {
          const fix = tlsFix(ctx, info, plain, tlsServers, servers);
          return fix ? [fix] : [];
        },
      });
    }
  },
};

function describePorts(listeners: Listener[]): string {
  const ports = [...new Set(listeners.map((l) => (l.port !== undefined ? String(l.port) : `"${l.address}"`)))];
  return ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(', ')}`;
}

/** `80` → `443`, `[::]:80` → `[::]:443`, `example.com` → `example.com:443`. */
function addressOn443(l: Listener): string {
  if (/^\d+$/.test(l.address)) return '443';
  if (/:80$/.test(l.address)) return l.address.slice(0, -2) + '443';
  return `${l.address}:443`;
}

/** A file name for the placeholder certificate, from the first concrete server name. */
function certificateName(names: string[]): string {
  const name = names.find((n) => n && n !== '_' && !n.startsWith('~') && !/[${]/.test(n));
  if (!name) return 'server';
  const clean = name.replace(/^\*?\./, '').replace(/\.\*$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
  return clean || 'server';
}

/**
 * Turns the server into a TLS server in place (port 80 listeners become `443 ssl`, placeholder
 * certificate lines go in after them) and puts a port-80 server that redirects to HTTPS before it.
 * Offered only when every plain listener is on port 80 and written in this file, and when moving
 * socket options (default_server, reuseport …) to 443 cannot clash with another server on 443.
 */
function tlsFix(ctx: NginxContext, info: ServerInfo, plain: Listener[], tlsServers: ServerInfo[], servers: ServerInfo[]): Fix | undefined {
  const server = info.scope.owner!.directive;
  if (!server.block || server.block.close === undefined) return undefined;
  const listens = childrenNamed(info.scope, 'listen');
  if (listens.some((n) => !n.local)) return undefined;
  for (const l of plain) {
    const address = l.node.directive.args[0];
    if (l.port !== 80 || !address || address.quoted || address.templated) return undefined;
  }
  const socketOptions = plain.some((l) => l.params.some((p) => SOCKET_OPTIONS.test(p)));
  if (socketOptions && servers.some((s) => s !== info && s.listeners.some((l) => l.port === 443))) return undefined;
  if (tlsServers.length && info.names.length === 0) return undefined;

  const changes: TextChange[] = [];
  for (const l of plain) {
    const address = l.node.directive.args[0];
    changes.push({ start: address.start, end: address.end, newText: `${addressOn443(l)} ssl` });
  }
  const certificate = lookup(info.scope, 'ssl_certificate');
  const name = certificateName(info.names);
  const certificateLines = certificate.nodes.length ? [] : [`ssl_certificate /etc/nginx/tls/${name}.crt;`, `ssl_certificate_key /etc/nginx/tls/${name}.key;`];
  if (plain.length === 0) {
    const insert = ctx.edit.insertIntoBlock(server, ['listen 443 ssl;', ...certificateLines]);
    if (!insert) return undefined;
    changes.push(insert);
  } else if (certificateLines.length) {
    const last = listens.reduce((a, b) => (b.directive.start > a.directive.start ? b : a));
    const insert = ctx.edit.insertAfter(last.directive, server, certificateLines);
    if (!insert) return undefined;
    changes.push(insert);
  }

  const serverIndent = ctx.edit.indentAt(server.start);
  const childIndent = ctx.edit.childIndent(server);
  const unit = childIndent.startsWith(serverIndent) && childIndent.length > serverIndent.length ? childIndent.slice(serverIndent.length) : ctx.edit.indentUnit();
  const body = [
    ...(plain.length ? plain.map((l) => `${directiveText(l.node)};`) : ['listen 80;']),
    ...childrenNamed(info.scope, 'server_name').map((n) => `${directiveText(n)};`),
    'return 301 https://$host$request_uri;',
  ];
  changes.push(ctx.edit.insertBlockBefore(server, ['server {', ...body.map((l) => unit + l), '}']));
  return {
    title: `Serve this server over HTTPS and redirect plain HTTP to it (certificate paths are placeholders)`,
    changes,
    preferred: true,
  };
}
