import { Rule } from '../../types';
import { childrenNamed, lookup, Node, NginxContext, Scope } from '../model';
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
    description: 'TLS servers send a Strict-Transport-Security header (in the server or the http block).',
    defaultSeverity: 'information',
    category: 'encryption',
    fixable: false,
  },
  check(ctx, report) {
    for (const info of httpServers(ctx)) {
      const owner = info.scope.owner!;
      if (!owner.local || !isTlsServer(info)) continue;
      if (answersEveryRequest(info.scope) || !servesContent(info.scope)) continue;
      if (hstsState(info.scope) !== 'no' || luaMentionsHsts(info.scope)) continue;
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
