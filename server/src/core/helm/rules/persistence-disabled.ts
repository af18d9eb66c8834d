import { Rule } from '../../types';
import { isFalse, spanOf } from '../../yaml/nav';
import { entryIn, sectionsWithKey, sectionSubject } from '../components';
import { HelmContext } from '../model';
import { flipSwitchFix } from '../values';

const PERSISTENCE_KEYS = new Set(['persistence', 'persistentVolume', 'dataStorage']);

export const persistenceDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/persistence-disabled',
    description: 'Data stores keep their data on a persistent volume (`persistence.enabled` is not false).',
    defaultSeverity: 'warning',
    category: 'data',
    fixable: true,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, (key) => PERSISTENCE_KEYS.has(key))) {
      if (!m.parent?.active) continue;
      const store = m.parent.dataStore;
      // A cache is meant to lose its contents; a restart only costs warm-up.
      if (!store || /memcached/i.test(store)) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      report({
        span: spanOf(enabled.value),
        message: `${sectionSubject(m.parent)}stores its data in the pod's ephemeral filesystem (${m.key}.enabled: false) although ${store}: every restart, rescheduling or upgrade deletes the data. Enable ${m.key}.`,
        fixes: flipSwitchFix(enabled, `Enable ${m.key}`, true),
      });
    }
  },
};
