import { Rule } from '../../types';
import { scalarText, spanOf } from '../../yaml/nav';
import { entryIn, sectionsWithKey } from '../components';
import { HelmContext } from '../model';
import { minimumPods } from '../replication';
import { intValue, replaceScalarFix } from '../values';

const PDB_KEY = /^(podDisruptionBudget|pdb|disruptionBudget)$/;

export const pdbBlocksDrain: Rule<HelmContext> = {
  meta: {
    id: 'helm/pdb-blocks-drain',
    description: 'PodDisruptionBudgets leave room for one eviction: `minAvailable` below the replica count, `maxUnavailable` above 0.',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: true,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, PDB_KEY)) {
      // `enabled: false` / `create: false` leave the section inactive: no budget, nothing blocked.
      if (!m.active) continue;
      const where = `"${m.path.join('.')}"`;
      const maxUnavailable = entryIn(m, 'maxUnavailable');
      const maxText = scalarText(maxUnavailable?.value)?.trim();
      if (maxUnavailable?.value && (maxText === '0' || maxText === '0%')) {
        report({
          span: spanOf(maxUnavailable.value),
          message: `${where} sets maxUnavailable: ${maxText}: the PodDisruptionBudget allows no voluntary eviction at all, so every node drain, cluster upgrade and autoscaler scale-down waits on these pods until someone deletes the budget by hand. Allow at least 1.`,
          fixes: replaceScalarFix(maxUnavailable, maxText === '0%' ? '25%' : '1', 'Set maxUnavailable to 1'),
        });
        continue;
      }
      const minAvailable = entryIn(m, 'minAvailable');
      const minText = scalarText(minAvailable?.value)?.trim();
      if (!minAvailable?.value || !minText) continue;
      if (minText === '100%') {
        report({
          span: spanOf(minAvailable.value),
          message: `${where} sets minAvailable: 100%: the PodDisruptionBudget allows no voluntary eviction at all, so every node drain and cluster upgrade waits on these pods until someone deletes the budget by hand. Use a lower share, or maxUnavailable: 1.`,
        });
        continue;
      }
      const min = intValue(minAvailable.value);
      const component = m.component;
      const pods = component?.workload && component.at.active ? minimumPods(component) : undefined;
      if (min === undefined || pods === undefined || min < pods || min === 0) continue;
      report({
        span: spanOf(minAvailable.value),
        message: `${where} sets minAvailable: ${min} for ${pods === 1 ? 'a single pod' : `${pods} pods`}: the PodDisruptionBudget can never be met during an eviction, so node drains, cluster upgrades and autoscaler scale-downs hang on these pods until someone deletes the budget by hand. ${pods >= 2 ? `Use minAvailable: ${pods - 1} (or maxUnavailable: 1).` : 'Run at least two replicas, or use maxUnavailable: 1.'}`,
        fixes: pods >= 2 ? replaceScalarFix(minAvailable, String(pods - 1), `Set minAvailable to ${pods - 1}`) : [],
      });
    }
  },
};
