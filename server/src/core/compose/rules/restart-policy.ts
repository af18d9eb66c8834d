import { isScalar } from 'yaml';
import { Rule } from '../../types';
import { keySpan, scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';

export const restartPolicy: Rule<ComposeContext> = {
  meta: {
    id: 'compose/restart-policy',
    description: 'Swarm restarts failed tasks (`restart_policy.condition` is not `none`); `restart:` is not relied on.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const condition = serviceValue(s, 'deploy', 'restart_policy', 'condition');
      if (scalarText(condition?.value) === 'none' && isScalar(condition?.value)) {
        const v = condition!.value!;
        report({
          span: spanOf(v),
          message: `Service "${s.name}" is never restarted when its task fails or its node goes down: it stays down until someone notices. Use condition: any (the default) or on-failure.`,
          fixes: condition!.inherited ? [] : [{ title: 'Set restart condition to any', preferred: true, changes: [{ start: v.range![0], end: v.range![1], newText: 'any' }] }],
        });
      }
      const restart = s.document.view.get(s.map, 'restart');
      if (restart) {
        report({
          span: keySpan(restart),
          severity: 'information',
          message: `"restart:" is ignored by docker stack deploy; Swarm uses deploy.restart_policy (which restarts on any exit by default).`,
        });
      }
    }
  },
};
