import { isMap, isScalar } from 'yaml';
import { Rule } from '../../types';
import { isFalse, keySpan, scalarText, spanOf } from '../../yaml/nav';
import { componentAnchor, componentEntry, entriesWithKey, entryIn } from '../components';
import { HelmContext } from '../model';
import { flipSwitchFix, isMeaningful, replicasOf } from '../values';
import { describe } from './replicas';

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
          message: `${describe(c)} sets no resources: its pods get no CPU or memory requests (the scheduler packs them blindly) and no limits (one leak can starve the node). Set resources.requests and resources.limits.`,
        });
        continue;
      }
      const value = resources.value;
      const empty = value === undefined || (isScalar(value) && (value.value === null || scalarText(value) === '')) || (isMap(value) && value.items.length === 0);
      if (empty) {
        report({
          span: value?.range && value.range[1] > value.range[0] ? spanOf(value) : keySpan(resources),
          message: usesPreset
            ? `${describe(c)} relies on resourcesPreset "${preset}" only: presets are rough sizes meant for trying a chart out, not measured for your workload. Set resources.requests and resources.limits explicitly.`
            : `${describe(c)} has empty resources: ${c.workload ? 'its pods get' : 'the container gets'} no CPU or memory requests (the scheduler packs pods blindly, and they are the first evicted under pressure) and no limits (one leak can starve the node). Set resources.requests and resources.limits.`,
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
          ? `${describe(c)} sets resource requests but no limits: a memory leak or runaway process can take the whole node's memory. Add resources.limits (at least for memory).`
          : `${describe(c)} sets resource limits but no requests: Kubernetes then requests the full limit, which reserves more than the pods usually need. Set resources.requests explicitly.`,
      });
    }
  },
};

const PROBES: Record<string, string> = {
  livenessProbe: 'the kubelet never restarts a hung container',
  readinessProbe: 'traffic is sent to pods that are still starting or are overloaded, and rollouts cannot tell a broken version from a working one',
};

export const probesDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/probes-disabled',
    description: 'Liveness and readiness probes stay enabled.',
    defaultSeverity: 'warning',
    category: 'availability',
    fixable: true,
  },
  check(ctx, report) {
    for (const [key, why] of Object.entries(PROBES)) {
      for (const { at: m, entry } of entriesWithKey(ctx.model, key)) {
        if (!m.active) continue;
        const view = m.document.view;
        const probe = view.map(entry.value);
        if (!probe) continue;
        const enabled = view.get(probe, 'enabled');
        if (!enabled?.value || !isFalse(enabled.value)) continue;
        // Bitnami charts switch their built-in probe off when a custom one replaces it.
        const custom = `custom${key[0].toUpperCase()}${key.slice(1)}`;
        if (isMeaningful(entryIn(m, custom)?.value)) continue;
        report({
          span: spanOf(enabled.value),
          message: `The ${key} of "${m.path.join('.') || '(top level)'}" is switched off: ${why}. Keep it enabled (and tune its timings if it fails spuriously).`,
          fixes: flipSwitchFix(enabled, `Enable the ${key}`, true),
        });
      }
    }
  },
};
