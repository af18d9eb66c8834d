import { Rule } from '../../types';
import { spanOf } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';

export const noResourceLimits: Rule<ComposeContext> = {
  meta: {
    id: 'compose/no-resource-limits',
    description: 'Services set a memory limit under `deploy.resources.limits`.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const limits = s.document.view.map(serviceValue(s, 'deploy', 'resources', 'limits')?.value);
      if (limits && s.document.view.get(limits, 'memory')) continue;
      report({
        span: spanOf(s.keyNode),
        message: `Service "${s.name}" has no memory limit (deploy.resources.limits.memory): one leaking task can starve everything else on its node, managers included.`,
      });
    }
  },
};
