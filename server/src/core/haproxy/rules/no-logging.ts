import { Rule } from '../../types';
import { HaproxyContext } from '../model';
import { HaDirective } from '../parse';

/** A `log` line that sends somewhere (`log global` only points at the global section's targets). */
function logsSomewhere(d: HaDirective): boolean {
  return d.keyword === 'log' && !!d.args[0] && d.args[0].value !== 'global';
}

export const noLogging: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/no-logging',
    description: 'Logs go somewhere: a `log` target in the global section, a defaults section or a proxy.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    // Without a global section here, the file is one of several given to HAProxy (-f): the others may log.
    const global = ctx.global;
    if (!global || global.directives.some(logsSomewhere)) return;
    if (ctx.proxies.some((p) => p.section.directives.some(logsSomewhere))) return;
    // Sections this model does not read (log-forward, ring, program) show logging is being thought about elsewhere.
    if (ctx.config.sections.some((s) => s.keyword === 'log-forward' || s.keyword === 'ring')) return;
    const header = global.header;
    report({
      span: { start: header.start, end: header.end },
      message:
        'Nothing in this configuration sends logs anywhere (no "log" target in global, defaults or any proxy): HAProxy starts and reloads silently, and when clients get errors ' +
        'or servers go down there is no record of which requests failed, how long they took or which server answered. ' +
        'Add a target in global (e.g. "log stdout format raw local0" in a container, "log /dev/log local0" on a host) and "log global" with "option httplog" in defaults.',
    });
  },
};
