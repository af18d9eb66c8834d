// One finding per defaults section whose proxies lack timeouts (or, with no defaults section, one on the
// first proxy concerned): the fix belongs in that one place, and a file with fifty backends missing
// "timeout connect" should not show fifty warnings. An explicit zero is reported on its own line, as
// information, since it is usually deliberate (long-lived streams).

import { Fix, Rule, TextChange } from '../../types';
import { beforeAttachedComments, bodyIndent, insertLinesAfter, insertLinesBefore } from '../edit';
import {
  capitalise,
  describeProxy,
  headerSpan,
  HaproxyContext,
  isBackendSide,
  isFrontendSide,
  Proxy,
  resolve,
  serversOf,
  TimeoutName,
  trafficMode,
} from '../model';
import { HaDirective } from '../parse';

/** Values added by the fix: short enough to shed dead peers, long enough for ordinary requests. */
export const TIMEOUT_DEFAULTS: [TimeoutName, string][] = [
  ['connect', '5s'],
  ['client', '30s'],
  ['server', '30s'],
];

interface Gap {
  proxy: Proxy;
  missing: TimeoutName[];
}

/** The timeouts HAProxy requires of a proxy (and warns about at startup when they are missing). */
function gapsOf(ctx: HaproxyContext, p: Proxy, zeros: Map<HaDirective, { name: TimeoutName; proxy: Proxy }>): TimeoutName[] {
  const { mode } = trafficMode(ctx, p);
  if (mode !== 'tcp' && mode !== 'http') return [];
  const timeouts = resolve(ctx, p).timeouts;
  const missing: TimeoutName[] = [];
  const need = (name: TimeoutName): void => {
    const t = timeouts.get(name);
    if (!t) missing.push(name);
    else if (t.zero && !zeros.has(t.directive)) zeros.set(t.directive, { name, proxy: p });
  };
  if (isFrontendSide(p)) need('client');
  // Without servers a backend never connects anywhere; HAProxy does not require these then either.
  if (isBackendSide(p) && serversOf(p).length > 0) {
    need('connect');
    const tunnel = timeouts.get('tunnel');
    // In TCP mode the tunnel timeout governs established connections, so it stands in for the server timeout.
    if (!(mode === 'tcp' && tunnel && !tunnel.zero)) need('server');
  }
  return missing;
}

function list(names: TimeoutName[]): string {
  const t = names.map((n) => `timeout ${n}`);
  return t.length <= 1 ? t.join('') : `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]}`;
}

function who(gaps: Gap[]): string {
  const first = describeProxy(gaps[0].proxy);
  return gaps.length === 1 ? first : `${first} and ${gaps.length - 1} other proxy section${gaps.length > 2 ? 's' : ''}`;
}

const WHY =
  'without timeouts HAProxy waits forever on clients and servers that stopped answering, so dead connections pile up until it runs out of connection slots (HAProxy itself warns about this at startup)';

export const missingTimeouts: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/missing-timeouts',
    description: 'Every proxy gets `timeout connect`, `timeout client` and `timeout server`, from itself or its defaults.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    const groups = new Map<Proxy | undefined, Gap[]>();
    const zeros = new Map<HaDirective, { name: TimeoutName; proxy: Proxy }>();
    for (const p of ctx.proxies) {
      if (p.kind === 'defaults') continue;
      // `from` naming a defaults section this file does not have: it is in another file given to HAProxy.
      if (p.section.from && !p.defaults) continue;
      const missing = gapsOf(ctx, p, zeros);
      if (missing.length === 0) continue;
      const gaps = groups.get(p.defaults) ?? [];
      gaps.push({ proxy: p, missing });
      groups.set(p.defaults, gaps);
    }

    for (const [defaults, gaps] of groups) {
      const missing = TIMEOUT_DEFAULTS.map(([n]) => n).filter((n) => gaps.some((g) => g.missing.includes(n)));
      if (defaults) {
        const inDefaults = resolve(ctx, defaults).timeouts;
        const add = TIMEOUT_DEFAULTS.filter(([n]) => !inDefaults.has(n));
        const section = defaults.section;
        const indent = bodyIndent(ctx.config, section);
        const after = section.directives.at(-1)?.line ?? section.header.line;
        const fix: Fix = {
          title: `Add ${list(add.map(([n]) => n))} to the defaults section`,
          preferred: true,
          changes: [insertLinesAfter(ctx.config, after, add.map(([n, v]) => `${indent}timeout ${n} ${v}`))],
        };
        report({
          span: headerSpan(defaults),
          message: `This defaults section sets no ${list(missing)}, and ${who(gaps)} ${gaps.length === 1 ? 'does' : 'do'} not set ${missing.length === 1 ? 'it' : 'them'} either: ${WHY}.`,
          fixes: add.length ? [fix] : [],
        });
      } else {
        const first = ctx.proxies[0];
        const change: TextChange | undefined =
          first && first.kind !== 'defaults'
            ? insertLinesBefore(ctx.config, beforeAttachedComments(ctx.config, first.section), [
                `${first.section.header.line.indent}defaults`,
                ...TIMEOUT_DEFAULTS.map(([n, v]) => `${bodyIndent(ctx.config, first.section)}timeout ${n} ${v}`),
                '',
              ])
            : undefined;
        report({
          span: headerSpan(gaps[0].proxy),
          message: `${capitalise(who(gaps))} ${gaps.length === 1 ? 'has' : 'have'} no ${list(missing)}, and no defaults section provides ${missing.length === 1 ? 'it' : 'them'}: ${WHY}.`,
          fixes: change ? [{ title: 'Add a defaults section with connect, client and server timeouts', preferred: true, changes: [change] }] : [],
        });
      }
    }

    for (const [directive, { name, proxy }] of zeros) {
      report({
        span: { start: directive.start, end: directive.end },
        severity: 'information',
        message: `"timeout ${name}" is 0, which HAProxy takes as no timeout at all for ${describeProxy(proxy)}${directive.section !== proxy.section ? ' (inherited)' : ''}: dead ${name === 'client' ? 'clients' : 'servers'} hold their connections forever. Fine for deliberately endless streams; otherwise set a duration.`,
      });
    }
  },
};
