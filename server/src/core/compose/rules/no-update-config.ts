import { isMap } from 'yaml';
import { Rule } from '../../types';
import { keySpan, scalarText, spanOf } from '../../yaml/nav';
import { ComposeContext, serviceValue } from '../model';

export const noUpdateConfig: Rule<ComposeContext> = {
  meta: {
    id: 'compose/no-update-config',
    description: 'Rolling updates roll back automatically on failure (`update_config.failure_action: rollback`).',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
    variant: 'swarm-stack',
  },
  check(ctx, report) {
    for (const s of ctx.services) {
      const action = scalarText(serviceValue(s, 'deploy', 'update_config', 'failure_action')?.value);
      if (action === 'rollback') continue;
      const uc = serviceValue(s, 'deploy', 'update_config');
      report({
        span: uc && isMap(uc.value) ? keySpan(uc) : spanOf(s.keyNode),
        message: `Service "${s.name}" does not roll back a failed update (update_config.failure_action: rollback); a bad image pauses half-deployed instead.`,
      });
    }
  },
};
