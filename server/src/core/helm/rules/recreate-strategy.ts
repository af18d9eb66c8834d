import { isMap } from 'yaml';
import { Rule } from '../../types';
import { Entry, scalarText, spanOf, YamlView } from '../../yaml/nav';
import { componentEntry, describeComponent } from '../components';
import { HelmContext } from '../model';
import { minimumPods } from '../replication';
import { replaceScalarFix } from '../values';

const STRATEGY_KEYS = ['strategy', 'updateStrategy', 'deploymentStrategy'];

export const recreateStrategy: Rule<HelmContext> = {
  meta: {
    id: 'helm/recreate-strategy',
    description: 'Replicated stateless components roll out with `RollingUpdate`, not `Recreate`.',
    defaultSeverity: 'information',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    for (const c of ctx.model.components) {
      // A data store may need Recreate (one pod on a ReadWriteOnce volume at a time); that is its call.
      if (!c.workload || !c.at.active || c.dataStore) continue;
      const pods = minimumPods(c);
      if (pods === undefined || pods < 2) continue;
      for (const key of STRATEGY_KEYS) {
        const type = strategyType(c.at.document.view, componentEntry(c, key));
        if (!type?.value || scalarText(type.value)?.trim() !== 'Recreate') continue;
        report({
          span: spanOf(type.value),
          message: `${describeComponent(c)} runs ${pods} pods but rolls out with the Recreate strategy: every upgrade, config change or image bump stops all of them before the new ones start, an outage each time although the replicas could take turns. Use RollingUpdate.`,
          fixes: replaceScalarFix(type, 'RollingUpdate', 'Set the strategy to RollingUpdate'),
        });
      }
    }
  },
};

/** `strategy: {type: Recreate}`, or `strategy: Recreate` where a chart takes the type alone. */
function strategyType(view: YamlView, entry: Entry | undefined): Entry | undefined {
  if (!entry) return undefined;
  if (isMap(entry.value)) return view.get(view.map(entry.value), 'type');
  return entry;
}
