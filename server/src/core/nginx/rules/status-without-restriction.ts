import { Rule } from '../../types';
import { lookup, NginxContext, Node, Scope } from '../model';
import { serverInfo } from '../servers';

/** Directives that turn a location into a status page or a management API. */
const STATUS_DIRECTIVES = new Set(['stub_status', 'api', 'status', 'vhost_traffic_status_display']);

/**
 * Whether access to the location is limited, by the rules NGINX applies there: allow/deny and auth_basic
 * are inherited from the nearest level that has them; auth_request and auth_jwt likewise.
 * `undefined`: an include or the file's surroundings we cannot see may hold the restriction.
 */
function restricted(location: Scope): boolean | undefined {
  let unknown = false;
  for (const names of [['allow', 'deny'], ['auth_basic'], ['auth_request'], ['auth_jwt']]) {
    const found = lookup(location, ...names);
    if (!found.certain) unknown = true;
    if (found.nodes.some((n) => n.args[0] !== undefined && n.args[0] !== 'off')) return true;
  }
  if (location.children.some((n) => n.name === 'internal')) return true;
  return unknown ? undefined : false;
}

/** The server around a location, if it is in this configuration. */
function serverOf(scope: Scope): Scope | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.context === 'server') return s;
  return undefined;
}

function isStatusDirective(n: Node): boolean {
  if (!STATUS_DIRECTIVES.has(n.name) || n.scope.context !== 'location') return false;
  // `status` is NGINX Plus's old API only without arguments (`status_zone`, `status_format` are other directives).
  if (n.name === 'status') return n.args.length === 0;
  return n.args[0] !== 'off';
}

export const statusWithoutRestriction: Rule<NginxContext> = {
  meta: {
    id: 'nginx/status-without-restriction',
    description: '`stub_status` and the NGINX Plus `api` are limited with allow/deny or authentication, or served on loopback only.',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const node of ctx.localNodes) {
      if (!isStatusDirective(node)) continue;
      const location = node.scope;
      if (restricted(location) !== false) continue;
      const server = serverOf(location);
      if (server) {
        const info = serverInfo(server);
        // Loopback and unix-socket listeners are reachable from the machine only.
        if (!info.defaultListen && info.listeners.length > 0 && info.listeners.every((l) => l.internal)) continue;
      }
      const writes = node.name === 'api' && node.args.some((a) => a === 'write=on');
      const what =
        node.name === 'stub_status' || node.name === 'vhost_traffic_status_display'
          ? 'connection and request counters of this NGINX (how busy it is, whether an attack works)'
          : `the NGINX Plus API (upstreams, server addresses and health, zones${writes ? ', and with write=on anyone can add, drain or remove upstream servers' : ''})`;
      report({
        span: { start: node.directive.start, end: node.directive.end },
        message:
          `This location publishes ${what} to anyone who can reach the server: nothing here or around it limits access. ` +
          `Add "allow <your monitoring network>; deny all;", put it behind auth_basic, or serve it on a listener bound to 127.0.0.1.`,
      });
    }
  },
};
