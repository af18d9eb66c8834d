import { Fix, Rule } from '../../types';
import { keySpan, spanOf } from '../../yaml/nav';
import { Component, describeComponent, editableEntry } from '../components';
import { HelmContext } from '../model';
import { autoscalingOf, replicasOf } from '../replication';
import { replaceScalarFix } from '../values';

export const singleReplica: Rule<HelmContext> = {
  meta: {
    id: 'helm/single-replica',
    description: 'Stateless workloads run at least `prodready.minReplicas` replicas (default 2), or autoscale from at least that many.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    const min = ctx.settings.minReplicas;
    for (const c of ctx.model.components) {
      // Data stores are not made highly available by adding pods; helm/standalone-architecture covers them.
      if (!c.workload || !c.at.active || c.dataStore) continue;
      const hpa = autoscalingOf(c);
      if (hpa) {
        if (hpa.min !== undefined && hpa.min >= min) continue;
        if (hpa.minReplicas && hpa.min === undefined) continue; // a template or a non-number: not ours to judge
        if (!hpa.minReplicas && ctx.overrides) continue; // the chart's defaults decide it
        report({
          span: hpa.minReplicas?.value ? spanOf(hpa.minReplicas.value) : keySpan(hpa.entry),
          message: `${describeComponent(c)} autoscales from ${hpa.min ?? 1} pod${hpa.min === undefined ? ' (autoscaling.minReplicas is not set)' : ''}: whenever load is low it runs a single pod, and one node failure or eviction is an outage. Set autoscaling.minReplicas to at least ${min}.`,
          fixes: () => minReplicasFix(c, hpa, min),
        });
        continue;
      }
      const replicas = replicasOf(c);
      // 0 is a deliberately parked component, not a single point of failure.
      if (!replicas || replicas.count === 0 || replicas.count >= min) continue;
      report({
        span: spanOf(replicas.entry.value),
        message: `${describeComponent(c)} runs ${replicas.count} replica: a node failure, an eviction or a crash takes it down, and every rollout restarts it with nothing to take over. Run at least ${min} replicas.`,
        fixes: () => replaceScalarFix(replicas.entry, String(min), `Set ${replicas.entry.key} to ${min}`),
      });
    }
  },
};

function minReplicasFix(c: Component, hpa: NonNullable<ReturnType<typeof autoscalingOf>>, min: number): Fix[] {
  const title = `Set autoscaling.minReplicas to ${min}`;
  if (hpa.minReplicas) return replaceScalarFix(hpa.minReplicas, String(min), title);
  const { view, edit } = c.at.document;
  const map = view.map(hpa.entry.value);
  if (!map || !editableEntry(hpa.entry)) return [];
  const change = edit.addEntry(map, 'minReplicas', String(min));
  return change ? [{ title, preferred: true, changes: [change] }] : [];
}
