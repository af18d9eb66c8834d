import { Rule } from '../../types';
import { isFalse, spanOf } from '../../yaml/nav';
import { componentEntry, describeComponent } from '../components';
import { HelmContext } from '../model';
import { minimumPods } from '../replication';

const PDB_KEYS = ['podDisruptionBudget', 'pdb'];

export const noDisruptionBudget: Rule<HelmContext> = {
  meta: {
    id: 'helm/no-disruption-budget',
    description: 'Replicated components keep their PodDisruptionBudget, so node drains cannot evict every pod at once.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: false,
  },
  check(ctx, report) {
    for (const c of ctx.model.components) {
      if (!c.workload || !c.at.active) continue;
      const pods = minimumPods(c);
      if (pods === undefined || pods < 2) continue;
      const view = c.at.document.view;
      for (const key of PDB_KEYS) {
        const pdb = view.map(componentEntry(c, key)?.value);
        if (!pdb) continue;
        const off = [view.get(pdb, 'enabled'), view.get(pdb, 'create')].find((e) => e?.value && isFalse(e.value));
        if (!off) continue;
        report({
          span: spanOf(off.value),
          message: `${describeComponent(c)} runs ${pods} pods but its PodDisruptionBudget is switched off (${key}.${off.key}: false): a node drain or cluster upgrade may evict all of them at once. Enable it (with minAvailable or maxUnavailable).`,
        });
      }
    }
  },
};
