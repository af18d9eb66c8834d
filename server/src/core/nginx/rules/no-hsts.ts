import { Report, Rule } from '../../types';
import { childrenNamed, directiveText, lookup, Node, NginxContext, Scope } from '../model';
import { answersEveryRequest, httpServers, isTlsServer, servesContent } from '../servers';

const HSTS = /strict-transport-security/i;

function setsHsts(n: Node): boolean {
  if (n.name === 'add_header') return HSTS.test(n.args[0] ?? '');
  if (n.name === 'more_set_headers') return n.args.some((a) => HSTS.test(a));
  return false;
}

const HSTS_IN_LUA = /strict-transport-security|hsts/i;
const luaMemo = new WeakMap<Scope, boolean>();

/** Whether a Lua block directly in the scope mentions HSTS; remembered, since every server asks its http block. */
function luaHereMentionsHsts(scope: Scope): boolean {
  let known = luaMemo.get(scope);
  if (known === undefined) {
    known = scope.children.some((n) => {
      const lua = n.directive.block?.lua;
      return !!lua && HSTS_IN_LUA.test(n.source.slice(lua.start, lua.end));
    });
    luaMemo.set(scope, known);
  }
  return known;
}

/**
 * Lua in the server or around it that mentions HSTS (a header filter setting it, ingress-nginx's
 * `hsts = true`) may well send the header: benefit of the doubt.
 */
function luaMentionsHsts(server: Scope): boolean {
  for (let s = server.parent; s; s = s.parent) if (luaHereMentionsHsts(s)) return true;
  const stack = [server];
  while (stack.length) {
    const s = stack.pop()!;
    if (luaHereMentionsHsts(s)) return true;
    for (const n of s.children) if (n.body) stack.push(n.body);
  }
  return false;
}

/**
 * Whether the server sends HSTS, following add_header's inheritance: a level inherits the enclosing
 * level's add_header lines only when it has none of its own, unless `add_header_inherit` (NGINX
 * 1.29.3+, itself inherited) says `merge` (always inherit) or `off` (never).
 */
function hstsState(server: Scope): 'yes' | 'no' | 'unknown' {
  for (let s: Scope | undefined = server; s; s = s.parent) {
    if (childrenNamed(s, 'add_header', 'more_set_headers').some(setsHsts)) return 'yes';
    if (s.unresolved.length) return 'unknown';
    const inherit = lookup(s, 'add_header_inherit').nodes[0]?.args[0];
    if (inherit === 'off') return 'no';
    if (inherit !== 'merge' && childrenNamed(s, 'add_header').length) return 'no';
    if (!s.parent && s.outerUnknown) return 'unknown';
  }
  return 'no';
}

export const noHsts: Rule<NginxContext> = {
  meta: {
    id: 'nginx/no-hsts',
    description: 'TLS servers send a Strict-Transport-Security header (in the server or the http block), and no location\'s own add_header drops it.',
    defaultSeverity: 'information',
    category: 'encryption',
    fixable: true,
  },
  check(ctx, report) {
    for (const info of httpServers(ctx)) {
      const owner = info.scope.owner!;
      if (!owner.local || !isTlsServer(info)) continue;
      if (answersEveryRequest(info.scope) || !servesContent(info.scope)) continue;
      const state = hstsState(info.scope);
      if (state === 'yes') reportDroppingLocations(ctx, info.scope, report);
      if (state !== 'no' || luaMentionsHsts(info.scope)) continue;
      const label = info.names.find((n) => n && n !== '_');
      report({
        span: { start: owner.directive.start, end: owner.directive.name.end },
        message:
          `${label ? `TLS server "${label}"` : 'This TLS server'} sends no Strict-Transport-Security header: browsers still try plain HTTP first (typed addresses, old links), ` +
          `and that first request can be intercepted and kept on HTTP. Once HTTPS works reliably for this host, send it with ` +
          `add_header Strict-Transport-Security "max-age=31536000" always; (browsers then use only HTTPS for max-age seconds).`,
      });
    }
  },
};

/**
 * The add_header line the scope's responses get HSTS from, when they get it from add_header (only
 * add_header is subject to the all-or-nothing inheritance; headers-more's more_set_headers is not).
 */
function inheritedHstsLine(scope: Scope): Node | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const own = childrenNamed(s, 'add_header');
    const hsts = own.find(setsHsts);
    if (hsts) return hsts;
    if (own.length || s.unresolved.length) return undefined;
  }
  return undefined;
}

/**
 * Locations of a TLS server that sends HSTS whose own add_header lines replace the inherited ones
 * (NGINX inherits add_header only into levels that have none), so their responses go without it.
 * Not when `add_header_inherit merge` (NGINX 1.29.3+) is in effect, or the location only answers
 * with a return (a redirect or an error), or HSTS also comes from headers-more.
 */
function reportDroppingLocations(ctx: NginxContext, server: Scope, report: (r: Report) => void): void {
  const stack: Scope[] = [server];
  while (stack.length) {
    const scope = stack.pop()!;
    for (const n of scope.children) {
      if (n.name !== 'location' || !n.body) continue;
      const body = n.body;
      stack.push(body);
      if (!n.local) continue;
      const own = childrenNamed(body, 'add_header');
      if (own.length === 0 || own.some(setsHsts) || body.unresolved.length) continue;
      if (childrenNamed(body, 'return', 'internal').length) continue;
      const inherit = lookup(body, 'add_header_inherit').nodes[0]?.args[0];
      if (inherit === 'merge' || inherit === 'off') continue;
      if (childrenNamed(body, 'more_set_headers').some(setsHsts)) continue;
      const source = scope.owner && inheritedHstsLine(scope);
      if (!source) continue;
      const first = own[0];
      const last = own[own.length - 1];
      const line = `${directiveText(source)};`;
      const change = last.local && !/[\r\n]/.test(line) ? ctx.edit.insertAfter(last.directive, n.directive, [line]) : undefined;
      const where = n.args.join(' ');
      report({
        span: { start: first.directive.start, end: first.directive.end },
        message:
          `The add_header lines of location ${where} replace every add_header inherited from the server (NGINX inherits them only into levels that set none), ` +
          `so responses from this location are sent without the server's Strict-Transport-Security header. Repeat the HSTS line here.`,
        fixes: change ? [{ title: 'Repeat the Strict-Transport-Security header in this location', changes: [change], preferred: true }] : [],
      });
    }
  }
}
