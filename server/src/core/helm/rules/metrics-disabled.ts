import { Rule } from '../../types';
import { isFalse, spanOf } from '../../yaml/nav';
import { dataStoreOf, entryIn, sectionsWithKey } from '../components';
import { HelmContext } from '../model';
import { flipSwitchFix } from '../values';

export const metricsDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/metrics-disabled',
    description: 'Data stores and brokers keep their metrics exporter and ServiceMonitor switched on.',
    defaultSeverity: 'information',
    category: 'operability',
    fixable: true,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, /^(metrics|serviceMonitor)$/)) {
      // The section is switched off by its own `enabled: false`: does the part it belongs to run, and hold
      // data? A ServiceMonitor is judged beside its exporter's switch (`metrics.serviceMonitor`), not under it:
      // two switches off are two notes, and turning the exporter on leaves the other one standing.
      const owner = m.key === 'serviceMonitor' && m.parent?.key === 'metrics' ? m.parent.parent : m.parent;
      const store = owner && dataStoreOf(owner);
      if (!owner?.active || !store) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      const monitor = m.key === 'serviceMonitor';
      report({
        span: spanOf(enabled.value),
        message: monitor
          ? `"${m.path.join('.')}" is off for a data store or broker (${store}): Prometheus does not scrape its metrics, so no alert fires on replication lag, a full disk or a growing queue until clients fail. Enable it where the Prometheus Operator runs.`
          : `"${m.path.join('.')}" is off for a data store or broker (${store}): it exports no metrics, so no alert can fire on replication lag, a full disk, connection exhaustion or a growing queue until clients fail. Enable the exporter and alert on it.`,
        // A ServiceMonitor needs the Prometheus Operator's CRDs in the cluster: offered, not applied by Fix All.
        fixes: flipSwitchFix(enabled, monitor ? 'Enable the ServiceMonitor' : 'Enable metrics', true).map((f) => ({ ...f, preferred: !monitor })),
      });
    }
  },
};

