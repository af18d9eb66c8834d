import { Rule } from '../../types';
import { HaproxyContext } from '../model';

export const noMaxconn: Rule<HaproxyContext> = {
  meta: {
    id: 'haproxy/no-maxconn',
    description: 'The global section sets `maxconn`, the process-wide connection limit.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    // Without a global section here, it is in another file given to HAProxy (-f): nothing to say.
    const global = ctx.global;
    if (!global || global.directives.some((d) => d.keyword === 'maxconn')) return;
    const header = global.header;
    report({
      span: { start: header.start, end: header.end },
      message:
        'The global section sets no maxconn: HAProxy then derives its connection limit from the file-descriptor limit (ulimit -n) and memory of whatever machine or container runs it, ' +
        'so the limit changes silently from one environment to the next and a connection surge can exhaust memory or descriptors instead of queueing. ' +
        'Set "maxconn <n>" in global from what the machine can hold, and keep the frontends\' maxconn below it.',
    });
  },
};
