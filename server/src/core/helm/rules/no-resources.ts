import { isMap, isScalar } from 'yaml';
import { Rule } from '../../types';
import { keySpan, scalarText, spanOf } from '../../yaml/nav';
import { componentAnchor, componentEntry, describeComponent } from '../components';
import { HelmContext } from '../model';
import { replicasOf } from '../replication';
import { isMeaningful } from '../values';

export const noResources: Rule<HelmContext> = {
  meta: {
    id: 'helm/no-resources',
    description: 'Components that run pods set CPU and memory requests and limits (not `resources: {}` or only a preset).',
    defaultSeverity: 'warning',
    category: 'operability',
    fixable: false,
  },
  check(ctx, report) {
    for (const c of ctx.model.components) {
      if (!c.at.active) continue;
      const view = c.at.document.view;
      const resources = componentEntry(c, 'resources');
      const preset = scalarText(componentEntry(c, 'resourcesPreset')?.value)?.trim();
      const usesPreset = preset !== undefined && preset !== '' && preset !== 'none';
      if (!resources) {
        // Only for a real pod spec; a map with a couple of pod-ish keys may be a chart's defaults block.
        const anchor = componentAnchor(c);
        if (ctx.overrides || !c.workload || !componentEntry(c, 'image') || !replicasOf(c) || !anchor) continue;
        report({
          span: spanOf(anchor),
          message: `${describeComponent(c)} sets no resources: its pods get no CPU or memory requests (the scheduler packs them blindly) and no limits (one leak can starve the node). Set resources.requests and resources.limits.`,
        });
        continue;
      }
      const value = resources.value;
      const empty = value === undefined || (isScalar(value) && (value.value === null || scalarText(value) === '')) || (isMap(value) && value.items.length === 0);
      if (empty) {
        report({
          span: value?.range && value.range[1] > value.range[0] ? spanOf(value) : keySpan(resources),
          message: usesPreset
            ? `${describeComponent(c)} relies on resourcesPreset "${preset}" only: presets are rough sizes meant for trying a chart out, not measured for your workload. Set resources.requests and resources.limits explicitly.`
            : `${describeComponent(c)} has empty resources: ${c.workload ? 'its pods get' : 'the container gets'} no CPU or memory requests (the scheduler packs pods blindly, and they are the first evicted under pressure) and no limits (one leak can starve the node). Set resources.requests and resources.limits.`,
        });
        continue;
      }
      const map = view.map(value);
      if (!map) continue; // a template or a string the chart renders
      const requests = isMeaningful(view.get(map, 'requests')?.value);
      const limits = isMeaningful(view.get(map, 'limits')?.value);
      if (requests === limits) continue;
      report({
        span: keySpan(resources),
        severity: 'information',
        message: requests
          ? `${describeComponent(c)} sets resource requests but no limits: a memory leak or runaway process can take the whole node's memory. Add resources.limits (at least for memory).`
          : `${describeComponent(c)} sets resource limits but no requests: Kubernetes then requests the full limit, which reserves more than the pods usually need. Set resources.requests explicitly.`,
      });
    }
  },
};
