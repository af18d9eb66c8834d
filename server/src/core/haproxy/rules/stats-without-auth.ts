import { Rule } from '../../types';
import { bindsOf, describeProxy, effectiveDirectives, HaproxyContext, own } from '../model';
import { HaDirective } from '../parse';

const DENYING_ACTIONS = new Set(['auth', 'deny', 'reject', 'tarpit', 'silent-drop']);

/** Anything that keeps some clients out: stats credentials, an auth/deny rule, a connection filter. */
function restrictsAccess(d: HaDirective): boolean {
  const a0 = d.args[0]?.value;
  const a1 = d.args[1]?.value;
  if (d.keyword === 'stats') return a0 === 'auth' || (a0 === 'http-request' && !!a1 && DENYING_ACTIONS.has(a1));
  if (d.keyword === 'http-request') return !!a0 && DENYING_ACTIONS.has(a0);
  if (d.keyword === 'tcp-request') return (a0 === 'connection' || a0 === 'session' || a0 === 'content') && (a1 === 'reject' || a1 === 'silent-drop');
  return false;
}

export const statsWithoutAuth: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/stats-without-auth',
    description: 'The stats page asks for credentials, is restricted by ACLs, or listens on loopback only.',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const p of ctx.proxies) {
      const page = own(p, 'stats').filter((d) => d.args[0]?.value === 'enable' || d.args[0]?.value === 'uri');
      if (page.length === 0) continue;
      const directives = effectiveDirectives(p);
      if (directives.some(restrictsAccess)) continue;
      const binds = bindsOf(p);
      if (binds.length > 0 && binds.every((b) => b.env || b.addresses.every((a) => a.socket || a.loopback || a.env))) continue;
      const admin = directives.some((d) => d.keyword === 'stats' && d.args[0]?.value === 'admin');
      report({
        span: { start: page[0].start, end: page[0].end },
        message: `The stats page of ${describeProxy(p)} is open to anyone who can reach it: it lists every backend, server address and health state, a map for attackers${admin ? ', and with "stats admin" anyone can also drain or disable servers' : ''}. Add "stats auth <user>:<password>", restrict it with an ACL, or bind it to 127.0.0.1.`,
      });
    }
  },
};
