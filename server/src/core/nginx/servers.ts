// What rules ask about a `server {}`: its listeners, names, TLS, and whether it serves content or
// only redirects.

import { childrenNamed, lookup, Node, NginxContext, Scope } from './model';

export interface Listener {
  node: Node;
  /** The address argument as written (value), e.g. `[::]:80`, `127.0.0.1:8080`, `443`, `${PORT}`. */
  address: string;
  host?: string;
  /** Undefined when the port is a placeholder or otherwise unknown. */
  port?: number;
  ssl: boolean;
  udp: boolean;
  /** Bound to loopback or a unix socket: not reachable from the network. */
  internal: boolean;
  params: string[];
}

/** Parses a `listen` directive; `defaultPort` applies to a host without a port (80 in http). */
export function parseListen(node: Node, defaultPort: number | undefined): Listener {
  const address = node.args[0] ?? '';
  const params = node.args.slice(1);
  let host: string | undefined;
  let portText: string | undefined;
  if (address.startsWith('unix:')) {
    host = address;
  } else if (address.startsWith('[')) {
    const close = address.indexOf(']');
    host = close === -1 ? address : address.slice(1, close);
    portText = close !== -1 && address[close + 1] === ':' ? address.slice(close + 2) : undefined;
  } else if (/^\d+$/.test(address)) {
    portText = address;
  } else {
    const colon = address.lastIndexOf(':');
    // `${HOST}:${PORT}` and `{{ .Port }}` are placeholders: the colon splits host and port only outside them.
    if (colon !== -1 && !/\{[^}]*$/.test(address.slice(0, colon))) {
      host = address.slice(0, colon);
      portText = address.slice(colon + 1);
    } else if (/[${]/.test(address)) portText = address;
    else host = address;
  }
  let port: number | undefined;
  if (portText === undefined) port = host !== undefined && !host.startsWith('unix:') && !/[${]/.test(host) ? defaultPort : undefined;
  else if (/^\d+$/.test(portText)) port = Number(portText);
  const h = host?.toLowerCase();
  const internal = !!h && (h.startsWith('unix:') || h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h));
  return {
    node,
    address,
    host,
    port,
    ssl: params.includes('ssl') || params.includes('quic'),
    udp: params.includes('udp') || params.includes('quic'),
    internal,
    params,
  };
}

/** `ssl on` in the server or an enclosing level (the pre-1.15 way to make every listener TLS). */
export function sslOnInEffect(server: Scope): boolean {
  const found = lookup(server, 'ssl').nodes;
  return found.some((n) => n.args[0]?.toLowerCase() === 'on');
}

export interface ServerInfo {
  scope: Scope;
  protocol: 'http' | 'stream' | 'mail';
  listeners: Listener[];
  /** No `listen` at all: NGINX listens on port 80 (http). */
  defaultListen: boolean;
  sslOn: boolean;
  names: string[];
}

const infoMemo = new WeakMap<Scope, ServerInfo>();

/** What rules ask about a server; computed once per server and analysis (several rules ask). */
export function serverInfo(server: Scope): ServerInfo {
  const known = infoMemo.get(server);
  if (known) return known;
  const info = describeServer(server);
  infoMemo.set(server, info);
  return info;
}

function describeServer(server: Scope): ServerInfo {
  const protocol = server.protocol ?? 'http';
  const listenNodes = childrenNamed(server, 'listen');
  const listeners = listenNodes.map((n) => parseListen(n, protocol === 'http' ? 80 : undefined));
  return {
    scope: server,
    protocol,
    listeners,
    defaultListen: listenNodes.length === 0,
    sslOn: sslOnInEffect(server),
    names: childrenNamed(server, 'server_name').flatMap((n) => n.args),
  };
}

export function isTlsServer(info: ServerInfo): boolean {
  return info.sslOn || info.listeners.some((l) => l.ssl);
}

/** Listeners that accept plain text from the network. */
export function plaintextListeners(info: ServerInfo): Listener[] {
  if (info.sslOn) return [];
  return info.listeners.filter((l) => !l.ssl && !l.internal);
}

/** Whether a `server_name` entry is unknown until deployment (variable, template placeholder). */
function isPlaceholderName(name: string): boolean {
  return /[${]/.test(name);
}

/** Names that only mean "any host": the empty name, `_` and other catch-alls. */
function isCatchAllName(name: string): boolean {
  return name === '' || name === '_' || name === '*' || name === 'default' || name === 'default_server';
}

/** Whether a server_name pattern (exact, `*.x`, `.x`, `x.*`, `~regex`) matches a host name. */
export function nameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (p.startsWith('~')) {
    try {
      return new RegExp(p.slice(1).replace(/\(\?P</g, '(?<'), 'i').test(h);
    } catch {
      return false;
    }
  }
  if (p.startsWith('.')) return h === p.slice(1) || h.endsWith(p);
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
  if (p.endsWith('.*')) return h.startsWith(p.slice(0, -1));
  return false;
}

/**
 * The names the TLS servers of a config answer for, indexed once so that checking every plain server
 * against them stays linear: exact names in a set, wildcard and regex names in a (short) list.
 */
export class TlsNames {
  private readonly exact = new Set<string>();
  private readonly patterns: string[] = [];
  private readonly anyPlaceholder: boolean;
  private readonly catchAll: boolean;
  private readonly any: boolean;
  /** Every name of a TLS server as written (lower case), placeholders and catch-alls included. */
  private readonly literal = new Set<string>();

  constructor(tlsServers: ServerInfo[]) {
    this.any = tlsServers.length > 0;
    for (const s of tlsServers) for (const name of s.names) this.literal.add(name.toLowerCase());
    let placeholder = false;
    let catchAll = false;
    for (const s of tlsServers) {
      if (s.names.length === 0 || s.names.some(isCatchAllName) || s.listeners.some((l) => l.params.includes('default_server') || l.params.includes('default'))) catchAll = true;
      for (const name of s.names) {
        if (isPlaceholderName(name)) placeholder = true;
        else if (name.startsWith('~') || name.startsWith('.') || name.includes('*')) this.patterns.push(name);
        else this.exact.add(name.toLowerCase());
      }
    }
    this.anyPlaceholder = placeholder;
    this.catchAll = catchAll;
  }

  /**
   * Which of a plain server's names no TLS server covers: undefined when all are covered, else the
   * uncovered ones (empty for a server without names and no catch-all TLS server). Names that are
   * placeholders count as covered when any TLS server exists; a server without names is covered by a
   * TLS server without names or a catch-all one.
   */
  uncovered(names: string[]): string[] | undefined {
    const concrete = names.filter((n) => !isCatchAllName(n));
    if (!this.any) return concrete;
    if (concrete.length === 0) return this.catchAll ? undefined : [];
    if (this.anyPlaceholder) return undefined;
    const missing = concrete.filter((name) => !isPlaceholderName(name) && !this.exact.has(name.toLowerCase()) && !this.patterns.some((p) => nameMatches(p, name)));
    return missing.length ? missing : undefined;
  }

  /**
   * Whether a TLS server certainly answers for every one of a plain server's names: each is written
   * the same way in a TLS server (placeholders and `_` included), or matched by a TLS server's wildcard
   * or regex. A plain server without names is never certainly covered.
   */
  certainlyCovers(names: string[]): boolean {
    const written = names.filter((n) => n !== '');
    if (written.length === 0) return false;
    return written.every((name) => this.literal.has(name.toLowerCase()) || (!isPlaceholderName(name) && this.patterns.some((p) => nameMatches(p, name))));
  }
}

export const CONTENT_DIRECTIVES: ReadonlySet<string> = new Set([
  'proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'root', 'alias', 'try_files',
  'content_by_lua_block', 'content_by_lua_file', 'content_by_lua', 'js_content', 'perl', 'autoindex',
]);

const REDIRECT_CODES = new Set(['301', '302', '303', '307', '308']);

/** A `return` or `rewrite` that sends the client to an https:// URL. */
export function redirectsToHttps(node: Node): boolean {
  if (node.name === 'return') {
    const [first, second] = node.args;
    if (first !== undefined && /^https:\/\//i.test(first)) return true;
    return REDIRECT_CODES.has(first ?? '') && second !== undefined && /^https:\/\//i.test(second);
  }
  if (node.name === 'rewrite') return node.args[1] !== undefined && /^https:\/\//i.test(node.args[1]);
  return false;
}

/** `rewrite ^ …`, `rewrite ^(.*)$ …`: a rewrite that applies to every request. */
function isCatchAllRewrite(node: Node): boolean {
  return node.name === 'rewrite' && /^(\^|\^\(\.\*\)\$?|\^\/\(\.\*\)\$?|\.\*|\^\.\*\$?|\^\/)$/.test(node.args[0] ?? '') && node.args.length >= 2;
}

/** A rewrite that ends in an HTTP redirect (absolute URL or redirect/permanent flag). */
function isRedirectRewrite(node: Node): boolean {
  const target = node.args[1] ?? '';
  const flag = node.args[2];
  return /^(https?:\/\/|\$scheme:\/\/)/i.test(target) || flag === 'redirect' || flag === 'permanent';
}

/** A server-level `return`, or a rewrite of every request to another URL: nothing is ever served. */
export function answersEveryRequest(server: Scope): boolean {
  return server.children.some((n) => n.name === 'return' || (isCatchAllRewrite(n) && isRedirectRewrite(n)));
}

/** A server-level `if` that sends requests to https:// (the "one server for both schemes" pattern). */
export function upgradesInIf(server: Scope): boolean {
  return server.children.some((n) => n.name === 'if' && n.body !== undefined && containsHttpsRedirect(n.body));
}

/**
 * Whether the server serves pages or proxies requests somewhere: a content directive at server level,
 * or a location that does more than redirect or refuse. Locations for ACME HTTP-01 challenges do not
 * count: certificate renewal needs them on plain HTTP.
 */
export function servesContent(server: Scope): boolean {
  // With a `location /`, every request lands in some location, so a server-level `root` only serves
  // what the locations let through.
  const catchAll = server.children.some((n) => n.name === 'location' && (n.args.join(' ') === '/' || n.args.join(' ') === '^~ /'));
  for (const n of server.children) {
    if (CONTENT_DIRECTIVES.has(n.name) && !(catchAll && SERVER_FILE_DIRECTIVES.has(n.name))) return true;
    if (n.name === 'location' && n.body && !isAcmeLocation(n) && locationServes(n.body)) return true;
  }
  return false;
}

const SERVER_FILE_DIRECTIVES = new Set(['root', 'alias', 'try_files', 'autoindex']);

/** A redirect to https:// in the scope or an `if` in it (`if` blocks can be nested arbitrarily deep by mistake: no recursion). */
function containsHttpsRedirect(body: Scope): boolean {
  const stack = [body];
  while (stack.length) {
    for (const c of stack.pop()!.children) {
      if (redirectsToHttps(c)) return true;
      if (c.name === 'if' && c.body) stack.push(c.body);
    }
  }
  return false;
}

/** Certificate renewals (ACME HTTP-01) must stay reachable over plain HTTP. */
export function isAcmeLocation(n: Node): boolean {
  return n.args.some((a) => a.includes('.well-known'));
}

/** A location serves content unless all it does is redirect or refuse. */
function locationServes(body: Scope): boolean {
  if (body.children.length === 0) return true; // inherits the server's root: serves files
  if (containsHttpsRedirect(body)) return false;
  const ret = childrenNamed(body, 'return')[0];
  if (!ret) return true;
  const code = ret.args[0] ?? '';
  return !(REDIRECT_CODES.has(code) || /^https?:\/\//.test(code) || /^4\d\d$/.test(code));
}

/** All servers of an http context in the config (this file and what it includes), described. */
export function httpServers(ctx: NginxContext): ServerInfo[] {
  return ctx.servers.filter((s) => s.protocol === 'http' && s.parent?.context === 'http').map(serverInfo);
}
