import { Rule } from '../../types';
import { isFalse, spanOf } from '../../yaml/nav';
import { entriesWithKey, entryIn } from '../components';
import { HelmContext } from '../model';
import { flipSwitchFix, isMeaningful } from '../values';

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
