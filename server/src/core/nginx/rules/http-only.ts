import { Fix, Report, Rule, TextChange } from '../../types';
import { childrenNamed, directiveText, lookup, NginxContext, Node, Scope } from '../model';
import {
  answersEveryRequest,
  CONTENT_DIRECTIVES,
  isAcmeLocation,
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
    description: 'Plain-HTTP servers redirect to HTTPS instead of serving content, also when an HTTPS server exists for their names.',
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
      if (!owner.local) continue;
      const plain = plaintextListeners(info);
      if (!info.defaultListen && plain.length === 0) continue;
      // An unreadable include in the server could hold the redirect or the TLS listener.
      if (info.scope.unresolved.length) continue;
      if (answersEveryRequest(info.scope) || upgradesInIf(info.scope) || !servesContent(info.scope)) continue;
      if ((isTlsServer(info) || tlsNames.certainlyCovers(info.names)) && mayRedirectInLua(info.scope)) continue;
      if (isTlsServer(info)) {
        reportBothSchemes(info, plain, report);
        continue;
      }
      const missing = tlsNames.uncovered(info.names);
      if (missing === undefined) {
        if (tlsNames.certainlyCovers(info.names)) reportNextToTls(ctx, info, plain, report);
        continue;
      }
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

const REDIRECT = 'return 301 https://$host$request_uri;';

/** Port 80 listeners (or none at all: NGINX's default) of a plain server. */
function onPort80(info: ServerInfo, plain: Listener[]): Listener[] | undefined {
  if (info.defaultListen) return [];
  const on80 = plain.filter((l) => l.port === 80);
  return on80.length ? on80 : undefined;
}

/**
 * A plain port-80 server serving content for names a TLS server also answers for: the site is on
 * HTTPS, but whoever types the address or follows an old http:// link still gets it unencrypted.
 */
function reportNextToTls(ctx: NginxContext, info: ServerInfo, plain: Listener[], report: (r: Report) => void): void {
  const on80 = onPort80(info, plain);
  if (!on80) return;
  const owner = info.scope.owner!;
  const first = on80.find((l) => l.node.local)?.node.directive;
  const label = info.names.find((n) => n && n !== '_');
  const fix = redirectFix(ctx, info);
  report({
    span: first ? { start: first.start, end: first.end } : { start: owner.directive.start, end: owner.directive.name.end },
    message:
      `${label ? `Server "${label}"` : 'This server'} also has an HTTPS server, yet this port-80 server still serves its content over plain HTTP: ` +
      `visitors who type the address or follow an old http:// link get pages, cookies and credentials unencrypted, where anyone on the path can read or change them. ` +
      `Answer plain HTTP with "${REDIRECT}" (an ACME challenge location can stay).`,
    fixes: fix ? [fix] : [],
  });
}

/** Replaces what the server serves by a redirect to HTTPS; locations for ACME challenges stay. */
function redirectFix(ctx: NginxContext, info: ServerInfo): Fix | undefined {
  const server = info.scope.owner!.directive;
  const children = info.scope.children;
  if (children.some((n) => !n.local)) return undefined;
  const acme = children.some((n) => n.name === 'location' && isAcmeLocation(n));
  // Without an ACME location a server-level return answers everything; with one, the server's root may
  // be what the challenge location serves from, so only the other locations give way to `location /`.
  const remove: Node[] = children.filter((n) => (n.name === 'location' && !isAcmeLocation(n)) || (!acme && CONTENT_DIRECTIVES.has(n.name)));
  const changes: TextChange[] = [];
  for (const n of remove) {
    const change = ctx.edit.removeDirective(n.directive);
    if (!change) return undefined;
    changes.push(change);
  }
  const anchors = children.filter((n) => n.name === 'listen' || n.name === 'server_name');
  const after = anchors[anchors.length - 1];
  const unit = ctx.edit.indentUnit();
  const lines = acme ? ['location / {', `${unit}${REDIRECT}`, '}'] : [REDIRECT];
  const insert = after ? ctx.edit.insertAfter(after.directive, server, lines) : ctx.edit.insertIntoBlock(server, lines);
  if (!insert) return undefined;
  changes.push(insert);
  return { title: 'Redirect plain HTTP to HTTPS instead of serving content', changes, preferred: true };
}

/** One server on both plain and TLS ports, serving content on both and never redirecting. */
function reportBothSchemes(info: ServerInfo, plain: Listener[], report: (r: Report) => void): void {
  const on80 = plain.filter((l) => l.port === 80 && l.node.local);
  if (on80.length === 0) return;
  const d = on80[0].node.directive;
  const label = info.names.find((n) => n && n !== '_');
  report({
    span: { start: d.start, end: d.end },
    message:
      `${label ? `Server "${label}"` : 'This server'} listens both with TLS and on plain port 80 and serves the same content on both: ` +
      `visitors who type the address or follow an old http:// link get pages, cookies and credentials unencrypted. ` +
      `Move this listen into a separate server that only answers "${REDIRECT}".`,
  });
}

const REWRITE_LUA = new Set(['rewrite_by_lua_block', 'rewrite_by_lua_file', 'rewrite_by_lua', 'access_by_lua_block', 'access_by_lua_file', 'access_by_lua']);

/** Lua in the rewrite or access phase (OpenResty, ingress-nginx) can redirect to HTTPS: benefit of the doubt. */
function mayRedirectInLua(server: Scope): boolean {
  const stack = [server];
  while (stack.length) {
    for (const n of stack.pop()!.children) {
      if (REWRITE_LUA.has(n.name)) return true;
      if (n.body) stack.push(n.body);
    }
  }
  return false;
}
