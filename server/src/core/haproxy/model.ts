// The HAProxy file as its rules read it: proxies (frontend/backend/listen) with the defaults section
// each one inherits, resolved the way HAProxy does it, plus the small readers rules share (binds,
// servers, modes, timeouts).
//
// Inheritance, as HAProxy implements it: a frontend/backend/listen takes its defaults from the last
// `defaults` section before it (named or not), or from the one named after `from`. A `defaults`
// section starts empty unless it says `from <name>`. Only sections that appear earlier can be named.

import { BaseContext, SyntaxReport } from '../kind';
import { HaDirective, HaproxyConfig, HaSection, HaToken, parseHaproxy } from './parse';
import { HAPROXY_SYNTAX } from './rules/syntax';

export type ProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';

export interface Proxy {
  section: HaSection;
  kind: ProxyKind;
  /** Empty for an unnamed defaults section. */
  name: string;
  /** The defaults section this one inherits from, if any. */
  defaults?: Proxy;
}

export interface HaproxyContext extends BaseContext {
  config: HaproxyConfig;
  global?: HaSection;
  /** Every defaults/frontend/backend/listen section, in file order. */
  proxies: Proxy[];
  /** backend and listen sections by name (listen sections are backends too). */
  backends: Map<string, Proxy>;
  /** Memoised inherited settings, by proxy. */
  resolved: Map<Proxy, Resolved>;
}

export function prepareHaproxy(base: BaseContext): { ctx: HaproxyContext; syntax: SyntaxReport[] } {
  const { config, problems } = parseHaproxy(base.text);
  const syntax: SyntaxReport[] = problems.map((p) => ({ ruleId: HAPROXY_SYNTAX.id, span: p.span, message: p.message, severity: 'error' }));
  const proxies: Proxy[] = [];
  const backends = new Map<string, Proxy>();
  const namedDefaults = new Map<string, Proxy>();
  let lastDefaults: Proxy | undefined;
  let global: HaSection | undefined;
  for (const section of config.sections) {
    if (section.keyword === 'global') {
      global ??= section;
      continue;
    }
    if (section.keyword !== 'defaults' && section.keyword !== 'frontend' && section.keyword !== 'backend' && section.keyword !== 'listen') continue;
    const kind = section.keyword as ProxyKind;
    const named = section.from ? namedDefaults.get(section.from.value) : undefined;
    const proxy: Proxy = {
      section,
      kind,
      name: section.name?.value ?? '',
      // An unknown `from` name may live in another file given to HAProxy with a second -f; nothing is inherited then.
      defaults: kind === 'defaults' ? named : section.from ? named : lastDefaults,
    };
    proxies.push(proxy);
    if (kind === 'defaults') {
      lastDefaults = proxy;
      if (proxy.name) namedDefaults.set(proxy.name, proxy);
    }
    if ((kind === 'backend' || kind === 'listen') && proxy.name && !backends.has(proxy.name)) backends.set(proxy.name, proxy);
  }
  return { ctx: { ...base, config, global, proxies, backends, resolved: new Map() }, syntax };
}

// ---------------------------------------------------------------------------------------------------
// Reading directives

export function isFrontendSide(p: Proxy): boolean {
  return p.kind === 'frontend' || p.kind === 'listen';
}

export function isBackendSide(p: Proxy): boolean {
  return p.kind === 'backend' || p.kind === 'listen';
}

/** The proxy's own directives with this keyword. */
export function own(p: Proxy, keyword: string): HaDirective[] {
  return p.section.directives.filter((d) => d.keyword === keyword);
}

/** The defaults chain, nearest first. `from` can only name an earlier section, so the chain is finite. */
export function defaultsChain(p: Proxy): Proxy[] {
  const chain: Proxy[] = [];
  for (let d = p.defaults; d && chain.length < 100; d = d.defaults) chain.push(d);
  return chain;
}

/** Directives that apply to the proxy: its defaults chain's (farthest first), then its own. */
export function effectiveDirectives(p: Proxy): HaDirective[] {
  const chain = defaultsChain(p).reverse();
  return [...chain.flatMap((d) => d.section.directives), ...p.section.directives];
}

export function hasWord(d: HaDirective, value: string, from = 0): boolean {
  for (let i = from; i < d.args.length; i++) if (d.args[i].value === value) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Inherited settings

export type TimeoutName = 'client' | 'connect' | 'server' | 'tunnel';

export interface TimeoutSetting {
  directive: HaDirective;
  /** An explicit zero: HAProxy treats it as "no timeout" (infinite). */
  zero: boolean;
}

export interface Resolved {
  mode?: { value: string; directive: HaDirective };
  timeouts: Map<TimeoutName, TimeoutSetting>;
  /** Whether `default-server … check` applies (and was not undone by `no-check`). */
  defaultServerCheck?: HaDirective;
}

const LEGACY_TIMEOUTS = new Map<string, TimeoutName>([
  ['clitimeout', 'client'],
  ['contimeout', 'connect'],
  ['srvtimeout', 'server'],
]);
const TIMEOUT_NAMES: ReadonlySet<string> = new Set(['client', 'connect', 'server', 'tunnel']);

/** `0`, `0s`, `0ms`…: zero, which HAProxy takes as "not set". */
function isZeroDuration(v: HaToken | undefined): boolean {
  return !!v && !v.env && /^0+(\.0*)?(us|ms|s|m|h|d)?$/.test(v.value);
}

/** What a proxy ends up with after inheriting from its defaults chain (memoised per proxy). */
export function resolve(ctx: HaproxyContext, p: Proxy): Resolved {
  const cached = ctx.resolved.get(p);
  if (cached) return cached;
  // Iterative over the chain so a long `from` chain cannot overflow the stack.
  const chain = [p, ...defaultsChain(p)].reverse();
  let acc: Resolved = { timeouts: new Map() };
  for (const proxy of chain) {
    const hit = ctx.resolved.get(proxy);
    if (hit) {
      acc = hit;
      continue;
    }
    const next: Resolved = { mode: acc.mode, timeouts: new Map(acc.timeouts), defaultServerCheck: acc.defaultServerCheck };
    for (const d of proxy.section.directives) {
      if (d.keyword === 'mode' && d.args[0]) next.mode = { value: d.args[0].value, directive: d };
      else if (d.keyword === 'timeout' && d.args[0]) {
        if (TIMEOUT_NAMES.has(d.args[0].value)) next.timeouts.set(d.args[0].value as TimeoutName, { directive: d, zero: isZeroDuration(d.args[1]) });
      } else if (LEGACY_TIMEOUTS.has(d.keyword)) {
        next.timeouts.set(LEGACY_TIMEOUTS.get(d.keyword)!, { directive: d, zero: isZeroDuration(d.args[0]) });
      } else if (d.keyword === 'default-server') {
        for (const a of d.args) {
          if (a.value === 'check') next.defaultServerCheck = d;
          else if (a.value === 'no-check') next.defaultServerCheck = undefined;
        }
      }
    }
    ctx.resolved.set(proxy, next);
    acc = next;
  }
  return acc;
}

/** Directives that only make sense for HTTP traffic: a frontend using them is meant to be HTTP. */
export function usesHttpKeywords(directives: HaDirective[]): boolean {
  return directives.some(
    (d) =>
      d.keyword === 'http-request' ||
      d.keyword === 'http-response' ||
      d.keyword === 'http-after-response' ||
      d.keyword === 'redirect' ||
      d.keyword === 'capture' ||
      d.keyword === 'compression' ||
      d.keyword === 'monitor-uri' ||
      (d.keyword === 'option' && /^(httplog|forwardfor|http-server-close|httpclose|http-keep-alive|http-buffer-request|originalto)$/.test(d.args[0]?.value ?? '')),
  );
}

/**
 * `http` or `tcp`, as the proxy will run. HAProxy's own default is tcp; when nothing sets a mode, a
 * frontend that uses HTTP-only keywords is still taken as meant for HTTP (HAProxy would ignore those
 * rules with a warning, but the intent is clear).
 */
export function trafficMode(ctx: HaproxyContext, p: Proxy): { mode: string; explicit: boolean } {
  const mode = resolve(ctx, p).mode;
  if (mode) return { mode: mode.value, explicit: true };
  return { mode: usesHttpKeywords(effectiveDirectives(p)) ? 'http' : 'tcp', explicit: false };
}

// ---------------------------------------------------------------------------------------------------
// Addresses, binds and servers

export interface Address {
  /** A UNIX socket, an abstract socket, an inherited fd: not reachable over the network. */
  socket: boolean;
  loopback: boolean;
  /** Some part comes from an environment variable: not knowable before run time. */
  env: boolean;
  host: string;
  /** Ports covered (ranges expanded up to a limit); empty when there is no port. */
  ports: number[];
  /** This address as written (one item of a comma-separated list). */
  raw: string;
}

const SOCKET_PREFIXES = /^(unix|abns|abnsz|fd|sockpair|uxst|uxdg)@/i;

function parseOneAddress(text: string, env: boolean): Address {
  const raw = text;
  if (SOCKET_PREFIXES.test(text) || text.startsWith('/')) return { socket: true, loopback: true, env, host: text, ports: [], raw };
  const withoutFamily = text.replace(/^[a-z0-9+-]+@/i, '');
  let host = withoutFamily;
  let portText = '';
  const bracket = /^\[([^\]]*)\](?::(.*))?$/.exec(withoutFamily);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2] ?? '';
  } else {
    const colon = withoutFamily.lastIndexOf(':');
    if (colon !== -1) {
      host = withoutFamily.slice(0, colon);
      portText = withoutFamily.slice(colon + 1);
    }
  }
  const ports: number[] = [];
  const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(portText);
  if (range) {
    const lo = Number(range[1]);
    const hi = range[2] ? Number(range[2]) : lo;
    for (let port = lo; port <= hi && ports.length < 1024; port++) ports.push(port);
  }
  const h = host.toLowerCase();
  const loopback = h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === 'ip6-localhost';
  return { socket: false, loopback, env, host, ports, raw };
}

/** A `bind`/`server` address word, which may list several comma-separated addresses. */
export function parseAddresses(word: HaToken): Address[] {
  const env = word.env;
  return word.value.split(',').filter(Boolean).map((part) => parseOneAddress(part, env || part.includes('$')));
}

export interface Bind {
  directive: HaDirective;
  addresses: Address[];
  ssl: boolean;
  /** `crt`, `crt-list` or `default-crt` on the line. */
  certificate: boolean;
  env: boolean;
}

const bindCache = new WeakMap<Proxy, Bind[]>();
const serverCache = new WeakMap<Proxy, Server[]>();

/** The proxy's binds (read once per analysis: several rules look at them). */
export function bindsOf(p: Proxy): Bind[] {
  let binds = bindCache.get(p);
  if (!binds) bindCache.set(p, (binds = readBinds(p)));
  return binds;
}

function readBinds(p: Proxy): Bind[] {
  return own(p, 'bind')
    .filter((d) => d.args.length > 0)
    .map((d) => ({
      directive: d,
      addresses: parseAddresses(d.args[0]),
      ssl: hasWord(d, 'ssl', 1),
      certificate: d.args.some((a, i) => i > 0 && (a.value === 'crt' || a.value === 'crt-list' || a.value === 'default-crt')),
      env: d.args.some((a) => a.env),
    }));
}

/** Reachable from other machines in plain text: not TLS, not a socket or loopback, not left to an environment variable. */
export function isPlainNetworkBind(b: Bind): boolean {
  if (b.ssl || b.env) return false;
  return b.addresses.some((a) => !a.socket && !a.loopback && !a.env);
}

export interface Server {
  directive: HaDirective;
  /** `server-template` lines stand for several servers. */
  template: boolean;
  /** How many servers the line declares (undefined when an environment variable decides). */
  count?: number;
  address?: Address;
  backup: boolean;
  disabled: boolean;
}

/** The proxy's `server` and `server-template` lines (read once per analysis). */
export function serversOf(p: Proxy): Server[] {
  let servers = serverCache.get(p);
  if (!servers) serverCache.set(p, (servers = readServers(p)));
  return servers;
}

function readServers(p: Proxy): Server[] {
  const servers: Server[] = [];
  for (const d of p.section.directives) {
    if (d.keyword === 'server') {
      const addr = d.args[1] ? parseAddresses(d.args[1])[0] : undefined;
      servers.push({ directive: d, template: false, count: 1, address: addr, backup: hasWord(d, 'backup', 2), disabled: hasWord(d, 'disabled', 2) });
    } else if (d.keyword === 'server-template') {
      const num = d.args[1];
      let count: number | undefined;
      const m = num && !num.env ? /^(\d+)(?:-(\d+))?$/.exec(num.value) : null;
      if (m) count = m[2] ? Math.max(0, Number(m[2]) - Number(m[1]) + 1) : Number(m[1]);
      const addr = d.args[2] ? parseAddresses(d.args[2])[0] : undefined;
      servers.push({ directive: d, template: true, count, address: addr, backup: hasWord(d, 'backup', 3), disabled: hasWord(d, 'disabled', 3) });
    }
  }
  return servers;
}

/** The address is a local socket, or only an environment variable (often a socket path): not a network peer. */
export function isLocalOrUnknownServer(s: Server): boolean {
  if (!s.address) return true;
  if (s.address.socket) return true;
  const word = s.template ? s.directive.args[2] : s.directive.args[1];
  return !!word && word.env && s.address.ports.length === 0;
}

/** `stats auth`, `stats http-request auth` or `http-request auth`: the browser sends a password (HTTP Basic). */
export function asksForCredentials(d: HaDirective): boolean {
  const a0 = d.args[0]?.value;
  if (d.keyword === 'stats') return a0 === 'auth' || (a0 === 'http-request' && d.args[1]?.value === 'auth');
  return d.keyword === 'http-request' && a0 === 'auth';
}

/** `0.0.0.0`, `::` or `*` (any port): HAProxy connects to whatever destination the connection or request carries. */
function isAnyAddress(a: Address): boolean {
  const text = a.raw.replace(/^[a-z0-9+-]+@/i, '');
  return /^(?:0\.0\.0\.0|\*)(?::\d*)?$/.test(text) || /^(?:::|\[::\](?::\d*)?)$/.test(text);
}

/** Lines that choose the destination per request or connection instead of a fixed server address. */
function setsDestination(d: HaDirective): boolean {
  if (d.keyword === 'option') return d.args[0]?.value === 'http_proxy' || d.args[0]?.value === 'transparent';
  if (d.keyword === 'http-request') return d.args[0]?.value === 'set-dst';
  if (d.keyword === 'tcp-request') return d.args.slice(0, 2).some((a) => a.value === 'set-dst');
  return false;
}

/**
 * A transparent or forward proxy's server: an any-address (`server fwd 0.0.0.0`) in a backend where the
 * destination is chosen per request (`http-request set-dst`, `option http_proxy`, `option transparent`),
 * there or in a frontend routing to it. Such a server is not one machine: there is nothing to replicate
 * or health-check.
 */
export function forwardsPerRequest(ctx: HaproxyContext, p: Proxy, s: Server): boolean {
  if (!s.address || !isAnyAddress(s.address)) return false;
  if (effectiveDirectives(p).some(setsDestination)) return true;
  return ctx.proxies.some((f) => f !== p && isFrontendSide(f) && routedBackends(ctx, f).includes(p) && effectiveDirectives(f).some(setsDestination));
}

/** Names of the backends a frontend/listen routes to (static names only). */
export function routedBackends(ctx: HaproxyContext, p: Proxy): Proxy[] {
  const out: Proxy[] = [];
  for (const d of effectiveDirectives(p)) {
    if ((d.keyword === 'default_backend' || d.keyword === 'use_backend') && d.args[0]) {
      const target = ctx.backends.get(d.args[0].value);
      if (target && !out.includes(target)) out.push(target);
    }
  }
  return out;
}

/** The proxy's name for messages: `backend "api"`. */
export function describeProxy(p: Proxy): string {
  return p.name ? `${p.kind} "${p.name}"` : `unnamed ${p.kind} section`;
}

/** For messages that start with a proxy's description. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where a finding about a whole section points: its header's keyword and name. */
export function headerSpan(p: Proxy): { start: number; end: number } {
  const h = p.section.header;
  return { start: h.start, end: p.section.name?.end ?? h.words[0].end };
}

/** Whether the proxy sends requests anywhere: a backend (static or computed name) or servers of its own. */
export function routesTraffic(p: Proxy): boolean {
  if (serversOf(p).length > 0) return true;
  return effectiveDirectives(p).some((d) => d.keyword === 'default_backend' || d.keyword === 'use_backend');
}

/** Whether the configuration faces web clients: a bind on port 80 or 443, or any TLS bind, on a non-loopback address. */
export function facesWebClients(ctx: HaproxyContext): boolean {
  return ctx.proxies.some(
    (p) => isFrontendSide(p) && bindsOf(p).some((b) => b.addresses.some((a) => !a.socket && !a.loopback && (b.ssl || a.ports.includes(80) || a.ports.includes(443)))),
  );
}
