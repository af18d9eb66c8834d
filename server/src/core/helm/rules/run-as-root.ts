import { Rule } from '../../types';
import { isFalse, spanOf } from '../../yaml/nav';
import { entryIn } from '../components';
import { HelmContext } from '../model';
import { inNodeAgent, inRootHelper, securityContexts } from '../podSecurity';
import { intValue } from '../values';

export const runAsRoot: Rule<HelmContext> = {
  meta: {
    id: 'helm/run-as-root',
    description: 'Containers do not run as root: no `runAsUser: 0`, no `runAsNonRoot: false`.',
    defaultSeverity: 'warning',
    category: 'secrets',
    fixable: false,
  },
  check(ctx, report) {
    for (const m of securityContexts(ctx.model)) {
      if (inRootHelper(m) || inNodeAgent(m, ctx.chart.name)) continue;
      const where = `"${m.path.join('.')}"`;
      const user = entryIn(m, 'runAsUser');
      if (user?.value && intValue(user.value) === 0) {
        report({
          span: spanOf(user.value),
          message: `${where} runs the container as root (runAsUser: 0): a bug in the application becomes root inside the container, one kernel or runtime flaw away from root on the node, and every file it can reach on a mounted volume is writable. Run it as an unprivileged user ID the image supports.`,
        });
        continue;
      }
      const nonRoot = entryIn(m, 'runAsNonRoot');
      if (nonRoot?.value && isFalse(nonRoot.value)) {
        report({
          span: spanOf(nonRoot.value),
          message: `${where} sets runAsNonRoot: false, so the kubelet starts the container even when its image runs as root: whoever breaks into the process is root inside the container, one kernel or runtime flaw away from the node. Set runAsNonRoot: true with an image that runs as an unprivileged user.`,
        });
      }
    }
  },
};
