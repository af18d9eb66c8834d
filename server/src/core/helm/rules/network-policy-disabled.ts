import { Rule } from '../../types';
import { isFalse, spanOf } from '../../yaml/nav';
import { entryIn, sectionsWithKey } from '../components';
import { HelmContext } from '../model';
import { inNodeAgent } from '../podSecurity';
import { flipSwitchFix } from '../values';

export const networkPolicyDisabled: Rule<HelmContext> = {
  meta: {
    id: 'helm/network-policy-disabled',
    description: "The chart's NetworkPolicy stays enabled, so only the pods that need a component can reach it.",
    defaultSeverity: 'information',
    category: 'data',
    fixable: true,
  },
  check(ctx, report) {
    for (const m of sectionsWithKey(ctx.model, /^networkPolic(y|ies)$/)) {
      // Pods on the host network (node agents) are outside any NetworkPolicy.
    // The section is switched off by its own `enabled: false`; the question is whether its parent runs.
      if (!m.parent?.active || inNodeAgent(m, ctx.chart.name)) continue;
      const enabled = entryIn(m, 'enabled');
      if (!enabled?.value || !isFalse(enabled.value)) continue;
      report({
        span: spanOf(enabled.value),
        message: `"${m.path.join('.')}" switches the chart's NetworkPolicy off: every pod in the cluster, in any namespace, can connect to this component, so one compromised pod anywhere reaches every port it listens on. Enable it (the chart's policy admits the chart's own clients) and widen it where other clients need access.`,
        // Who may connect changes with it: offered, never applied by Fix All.
        fixes: flipSwitchFix(enabled, 'Enable the NetworkPolicy', true).map((f) => ({ ...f, preferred: false })),
      });
    }
  },
};
